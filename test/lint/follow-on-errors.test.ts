import { describe, expect, it } from "vitest";
import { edit, INSTANCE, LINK, lintTree, messages, SETTINGS, WEBHOOK } from "./config-tree.js";

describe("one mistake, one message: consequences elsewhere are not reported", () => {
  it("a syntax error in the instance file: the links do not say the instance is missing", async () => {
    const broken = edit(INSTANCE, "  username: svc\n", "    username: svc\n");
    expect(await lintTree({ "instance.yaml": broken, "links.yaml": LINK })).toEqual(["instance.yaml:7 yaml-syntax"]);
    // The name itself unreadable: the document might still define the instance.
    const nameBroken = edit(INSTANCE, "  name: corp-jira\n", "  name: [corp-jira\n");
    expect(await lintTree({ "instance.yaml": nameBroken, "links.yaml": LINK })).toEqual(["instance.yaml:4 yaml-syntax"]);
  });

  it("a syntax error in the links file: the instance is not called unused", async () => {
    const broken = edit(LINK, "  projectKey: PAY\n", "    projectKey: PAY\n");
    expect(await lintTree({ "instance.yaml": INSTANCE, "links.yaml": broken })).toEqual(["links.yaml:8 yaml-syntax"]);
  });

  it("an unclosed quote that swallows the next document: nothing in it is called missing or unused", async () => {
    const links = `${edit(LINK, "product: Payments API", 'product: "Payments API')}---\n${edit(LINK, "instance: corp-jira", "instance: other-jira")}`;
    const other = edit(INSTANCE, "name: corp-jira", "name: other-jira");
    expect(await lintTree({ "instance.yaml": `${INSTANCE}---\n${other}`, "links.yaml": links })).toEqual(["links.yaml:6 yaml-syntax"]);
  });

  it("a syntax error in the settings or webhook file: no unknown-settings, no unused-instance", async () => {
    const settings = edit(SETTINGS, "  enableWebhook: true\n", "    enableWebhook: true\n");
    expect(await lintTree({ "instance.yaml": INSTANCE, "links.yaml": LINK, "settings.yaml": settings, "webhook.yaml": WEBHOOK })).toEqual(["settings.yaml:7 yaml-syntax"]);
    const webhook = edit(WEBHOOK, "  instance: corp-jira\n", "  instance: corp-jira\n   settings: x\n");
    expect(await lintTree({ "instance.yaml": INSTANCE, "settings.yaml": SETTINGS, "webhook.yaml": webhook })).toEqual(["webhook.yaml:7 yaml-syntax"]);
  });

  it("a file that cannot be read at all holds back what it might define", async () => {
    const bad = Buffer.concat([Buffer.from("apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: corp-"), Buffer.from([0xff]), Buffer.from("jira\n")]);
    expect(await lintTree({ "instance.yaml": bad, "links.yaml": LINK })).toEqual(["instance.yaml:4 yaml-syntax"]);
  });

  it("a misspelt kind is one error, for an instance, a link and settings", async () => {
    expect(await lintTree({ "instance.yaml": edit(INSTANCE, "kind: JiraInstance", "kind: JiraInstanse"), "links.yaml": LINK })).toEqual(["instance.yaml:2 unknown-kind"]);
    expect(await lintTree({ "instance.yaml": INSTANCE, "links.yaml": edit(LINK, "kind: ProductJiraLink", "kind: ProductJiraLnk") })).toEqual(["links.yaml:2 unknown-kind"]);
    expect(await lintTree({ "instance.yaml": INSTANCE, "settings.yaml": edit(SETTINGS, "kind: JiraSettings", "kind: JiraSetings"), "webhook.yaml": WEBHOOK })).toEqual(["settings.yaml:2 unknown-kind"]);
  });

  it("real dangling references are still reported, beside YAML that is not ours", async () => {
    const workflow = "name: ci\non: [push\njobs:\n  lint: {}\n";
    expect(await messages({ "instance.yaml": INSTANCE, "links.yaml": edit(LINK, "instance: corp-jira", "instance: corp-jria"), "ci.yaml": workflow })).toEqual([
      "ci.yaml:2 yaml-syntax: this [ is not closed: end the list with ], or indent the lines that continue it more than its key",
      'links.yaml:7 unknown-instance: no JiraInstance named "corp-jria" in the config tree; did you mean "corp-jira"?',
    ]);
    expect(await messages({ "links.yaml": LINK })).toEqual(['links.yaml:7 unknown-instance: no JiraInstance named "corp-jira" in the config tree (no JiraInstance is defined at all)']);
  });

  it("an alias to another document's anchor is one error that says so, not an alias bomb", async () => {
    const links = `${edit(LINK, "spec:", "spec: &shared")}---\n${edit(LINK, "spec:\n  product: Payments API\n  instance: corp-jira\n  projectKey: PAY\n", "spec: *shared\n").replace("payments-api", "copy")}`;
    expect(await messages({ "instance.yaml": INSTANCE, "links.yaml": links })).toEqual([
      "links.yaml:14 yaml-syntax: alias *shared has no anchor &shared before it in this document (anchors do not reach across documents or files); write the value out",
    ]);
  });
});

describe("a suppression is not called unused where its rule could not have run", () => {
  const suppressed = edit(INSTANCE, "  url: https://corp.atlassian.net\n", "  # dojo-jira-disable-next-line insecure-url -- lab Jira on the VPN\n  url: http://corp.atlassian.net\n");

  it("in a file with a syntax error, or in a document the schema refuses", async () => {
    expect(await lintTree({ "instance.yaml": edit(suppressed, "  username: svc\n", "    username: svc\n"), "links.yaml": LINK })).toEqual(["instance.yaml:8 yaml-syntax"]);
    expect(await lintTree({ "instance.yaml": edit(suppressed, "epicNameId: 10011", "epicNameId: ten"), "links.yaml": LINK })).toEqual(["instance.yaml:10 schema"]);
  });

  it("for a rule across documents, while another file cannot be read", async () => {
    const kept = edit(INSTANCE, "  name: corp-jira\n", "  # dojo-jira-disable-next-line unused-instance -- kept for the migration\n  name: corp-jira\n");
    expect(await lintTree({ "instance.yaml": kept, "links.yaml": edit(LINK, "  projectKey: PAY\n", "    projectKey: PAY\n") })).toEqual(["links.yaml:8 yaml-syntax"]);
  });

  it("but still where it could have", async () => {
    expect(await lintTree({ "instance.yaml": edit(INSTANCE, "  url:", "  # dojo-jira-disable-next-line insecure-url -- lab Jira on the VPN\n  url:"), "links.yaml": LINK })).toEqual([
      "instance.yaml:6 unused-suppression",
    ]);
  });
});
