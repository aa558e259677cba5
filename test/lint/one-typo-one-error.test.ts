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

  it("a misspelt reference is one error: the instance it meant is not also called unused", async () => {
    expect(await messages({ "instance.yaml": INSTANCE, "links.yaml": edit(LINK, "instance: corp-jira", "instance: corp-jria") })).toEqual([
      'links.yaml:7 unknown-instance: no JiraInstance named "corp-jria" in the config tree; did you mean "corp-jira"?',
    ]);
  });

  it("a misspelt key inside a flow mapping is one error", async () => {
    expect(await lintTree({ "instance.yaml": edit(INSTANCE, "close: 31", "clsoe: 31"), "links.yaml": LINK })).toEqual(["instance.yaml:10 schema"]);
  });

  it("fields left unindented under an empty key are one error, at that key", async () => {
    const flat = edit(INSTANCE, "  transitions: { reopen: 11, close: 31 }\n", "  transitions:\n  reopen: 11\n  close: 31\n");
    expect(await messages({ "instance.yaml": flat, "links.yaml": LINK })).toEqual([
      'instance.yaml:10 schema: "spec.transitions" is empty: "reopen" and "close" below it belong to it; indent them under "transitions"',
    ]);
  });

  it("a deleted spec: line is one error, not one per field", async () => {
    expect(await messages({ "instance.yaml": edit(INSTANCE, "spec:\n", ""), "links.yaml": LINK })).toEqual([
      'instance.yaml:5 schema: "url", "username", "password" and 2 more are fields of "spec", not of "metadata": is a "spec:" line missing above them?',
    ]);
  });

  it("the wrong kind of link target is one error", async () => {
    expect(await messages({ "instance.yaml": INSTANCE, "links.yaml": edit(LINK, "kind: ProductJiraLink", "kind: EngagementJiraLink") })).toEqual([
      'links.yaml:6 link-target: an EngagementJiraLink targets an engagement only; remove "product" or use a ProductJiraLink document for a product',
    ]);
    expect(await messages({ "instance.yaml": INSTANCE, "links.yaml": edit(LINK, "product: Payments API", "engagement: { product: Payments API, name: Q3 }") })).toEqual([
      'links.yaml:6 link-target: a ProductJiraLink targets a product only; remove "engagement" or use an EngagementJiraLink document for an engagement',
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
