import { describe, expect, it } from "vitest";
import { edit, INSTANCE, LINK, lintTree, messages, SETTINGS, WEBHOOK } from "./config-tree.js";

describe("one typo, one error", () => {
  it("a misspelt top-level key is one error, in the instance and in a link", async () => {
    expect(await messages({ "instance.yaml": edit(INSTANCE, "metadata:", "metdata:"), "links.yaml": LINK })).toEqual([
      'instance.yaml:3 schema: unknown field "metdata" in document; did you mean "metadata"?',
    ]);
    expect(await messages({ "instance.yaml": INSTANCE, "links.yaml": edit(LINK, "spec:", "spc:") })).toEqual(['links.yaml:5 schema: unknown field "spc" in document; did you mean "spec"?']);
    expect(await messages({ "instance.yaml": edit(INSTANCE, "apiVersion:", "apiVerison:"), "links.yaml": LINK })).toEqual([
      'instance.yaml:1 unknown-kind: unknown field "apiVerison"; did you mean "apiVersion"? (expected apiVersion: defectdojo-jira/v1)',
    ]);
    expect(await messages({ "instance.yaml": edit(INSTANCE, "kind:", "knd:"), "links.yaml": LINK })).toEqual([
      'instance.yaml:2 unknown-kind: unknown field "knd"; did you mean "kind"? (expected one of JiraInstance, ProductJiraLink, EngagementJiraLink, JiraSettings, JiraWebhook)',
    ]);
  });

  it("a misspelt nested key is one error: not also a missing field, nor an unused or unknown instance", async () => {
    expect(await messages({ "instance.yaml": INSTANCE, "links.yaml": edit(LINK, "instance:", "instanc:") })).toEqual([
      'links.yaml:7 schema: unknown field "instanc" in "spec"; did you mean "instance"?',
    ]);
    expect(await messages({ "instance.yaml": edit(INSTANCE, "  name:", "  nmae:"), "links.yaml": LINK })).toEqual(['instance.yaml:4 schema: unknown field "nmae" in "metadata"; did you mean "name"?']);
    expect(await messages({ "instance.yaml": INSTANCE, "settings.yaml": SETTINGS, "webhook.yaml": edit(WEBHOOK, "settings:", "setings:") })).toEqual([
      'webhook.yaml:7 schema: unknown field "setings" in "spec"; did you mean "settings"?',
    ]);
  });

  it("the wrong kind of link target is one error", async () => {
    expect(await messages({ "instance.yaml": INSTANCE, "links.yaml": edit(LINK, "kind: ProductJiraLink", "kind: EngagementJiraLink") })).toEqual([
      'links.yaml:6 link-target: an EngagementJiraLink targets an engagement only; remove "product" or use a ProductJiraLink document for a product',
    ]);
  });

  it("a field of the wrong type is one error", async () => {
    expect(await lintTree({ "instance.yaml": edit(INSTANCE, "metadata:\n  name: corp-jira", "metadata: corp-jira"), "links.yaml": LINK })).toEqual(["instance.yaml:3 schema"]);
    expect(await lintTree({ "instance.yaml": edit(INSTANCE, "kind: JiraInstance", "kind: 42"), "links.yaml": LINK })).toEqual(["instance.yaml:2 unknown-kind"]);
    expect(await lintTree({ "instance.yaml": INSTANCE, "links.yaml": edit(LINK, "instance: corp-jira", "instance: [corp-jira]") })).toEqual(["links.yaml:7 schema"]);
    expect(await lintTree({ "instance.yaml": INSTANCE, "links.yaml": edit(LINK, "spec:\n", "spec: []\nx:\n") })).toEqual(["links.yaml:5 schema", "links.yaml:6 schema"]);
    expect(await lintTree({ "instance.yaml": edit(INSTANCE, "name: corp-jira", "name: Corp Jira"), "links.yaml": LINK })).toEqual(["instance.yaml:4 schema"]);
  });

  it("a missing required field in an instance that links reference is one error", async () => {
    expect(await lintTree({ "instance.yaml": edit(INSTANCE, "  url: https://corp.atlassian.net\n", ""), "links.yaml": LINK })).toEqual(["instance.yaml:5 schema"]);
  });
});
