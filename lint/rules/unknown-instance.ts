import { locate } from "../model.js";
import type { Rule } from "./rule.js";
import { closest } from "./util/did-you-mean.js";
import { INSTANCE_REFERRERS, rawSpec } from "./util/raw.js";
import { treeReferences } from "./util/tree-references.js";

export const unknownInstance: Rule = {
  id: "unknown-instance",
  severity: "error",
  acrossDocuments: true,
  docs: {
    summary: "A link's `spec.instance` must name a JiraInstance defined in the tree.",
    details: "References go by `metadata.name`, never by DefectDojo id (ids differ per environment). A dangling reference would fail at `pulumi up`; the linter catches it in the pull request. While a document that might define the name cannot be read (a syntax error, an unknown kind, no readable name), this rule waits: that document is reported for its own mistake.",
    bad: "kind: ProductJiraLink\nspec:\n  instance: corp-jria",
    good: "kind: ProductJiraLink\nspec:\n  instance: corp-jira",
  },
  check(context) {
    const references = treeReferences(context);
    const instances = references.defined("JiraInstance");
    for (const document of context.documents) {
      if (!document.kind || !INSTANCE_REFERRERS.has(document.kind)) continue;
      const instance = rawSpec(document)?.instance;
      // A document that might define it is reported for its own mistake; "not defined" would be a guess.
      if (typeof instance !== "string" || instances.has(instance) || references.mayDefine("JiraInstance", instance)) continue;
      const hint = closest(instance, instances);
      context.report(
        document,
        locate(document, ["spec", "instance"]),
        `no JiraInstance named "${instance}" in the config tree${hint ? `; did you mean "${hint}"?` : instances.size === 0 ? " (no JiraInstance is defined at all)" : ""}`,
      );
    }
  },
};
