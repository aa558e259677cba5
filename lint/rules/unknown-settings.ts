import { locate } from "../model.js";
import type { Rule } from "./rule.js";
import { closest } from "./util/did-you-mean.js";
import { rawSpec } from "./util/raw.js";
import { treeReferences } from "./util/tree-references.js";

export const unknownSettings: Rule = {
  id: "unknown-settings",
  severity: "error",
  acrossDocuments: true,
  docs: {
    summary: "A JiraWebhook's `spec.settings` must name the JiraSettings document of the tree.",
    details: "The webhook URL carries the secret set by that JiraSettings document; without it there is nothing to register. Waits while a document that might be that JiraSettings cannot be read.",
    bad: "kind: JiraWebhook\nspec: { settings: jira-setings, ... }",
    good: "kind: JiraWebhook\nspec: { settings: jira-settings, ... }",
  },
  check(context) {
    const references = treeReferences(context);
    const settings = references.defined("JiraSettings");
    for (const document of context.documents) {
      if (document.kind !== "JiraWebhook") continue;
      const name = rawSpec(document)?.settings;
      if (typeof name !== "string" || settings.has(name) || references.mayDefine("JiraSettings", name)) continue;
      const hint = closest(name, settings);
      context.report(document, locate(document, ["spec", "settings"]), `no JiraSettings named "${name}" in the config tree${hint ? `; did you mean "${hint}"?` : ""}`);
    }
  },
};
