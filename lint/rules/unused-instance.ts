import { locate } from "../model.js";
import { ofKind, type Rule } from "./rule.js";
import { closest } from "./util/did-you-mean.js";
import { treeReferences } from "./util/tree-references.js";

export const unusedInstance: Rule = {
  id: "unused-instance",
  severity: "warning",
  acrossDocuments: true,
  docs: {
    summary: "A JiraInstance that no link uses.",
    details: "An instance nothing links to still holds live credentials in DefectDojo. Remove it, or add the link that was meant to use it. Not reported while a link that might use it cannot be read (a syntax error, a misspelt kind or `instance` key).",
    bad: "kind: JiraInstance\nmetadata: { name: old-jira }   # no link says instance: old-jira",
    good: "kind: ProductJiraLink\nspec: { instance: old-jira, ... }",
  },
  check(context) {
    // Raw specs, not only valid ones: a link with an unrelated mistake still uses its instance, and
    // one that cannot be read (a syntax error, a misspelt `instance`) might use any.
    const references = treeReferences(context);
    const used = references.used("instance");
    if (used.any) return;
    // A misspelt reference (`corp-jria`) is unknown-instance's, with a did-you-mean for this instance.
    const defined = references.defined("JiraInstance");
    const meant = new Set([...used.names].filter((name) => !defined.has(name)).map((name) => closest(name, defined)));
    for (const { document, config } of ofKind(context.valid, "JiraInstance")) {
      if (used.names.has(config.metadata.name) || meant.has(config.metadata.name)) continue;
      context.report(document, locate(document, ["metadata", "name"]), `JiraInstance "${config.metadata.name}" is not used by any link`);
    }
  },
};
