import { locate } from "../model.js";
import type { Rule } from "./rule.js";

export const singleSettings: Rule = {
  id: "single-settings",
  severity: "error",
  acrossDocuments: true,
  docs: {
    summary: "At most one JiraSettings document per tree.",
    details: "DefectDojo has one System Settings row; two documents would overwrite each other's fields on every `pulumi up`.",
    bad: "kind: JiraSettings\nmetadata: { name: jira }\n---\nkind: JiraSettings\nmetadata: { name: jira-webhook }",
    good: "kind: JiraSettings\nmetadata: { name: jira }",
  },
  check(context) {
    const settings = context.documents.filter((d) => d.kind === "JiraSettings");
    for (const document of settings.slice(1)) {
      context.report(document, locate(document, ["kind"]), `a second JiraSettings document; DefectDojo has one settings row, merge this into "${settings[0]!.name ?? "the first"}"`);
    }
  },
};
