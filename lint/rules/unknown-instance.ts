import { locate } from "../model.js";
import type { Rule } from "./rule.js";
import { closest } from "./util/did-you-mean.js";
import { INSTANCE_REFERRERS, rawSpec } from "./util/raw.js";

export const unknownInstance: Rule = {
  id: "unknown-instance",
  severity: "error",
  docs: {
    summary: "A link's `spec.instance` must name a JiraInstance defined in the tree.",
    details: "References go by `metadata.name`, never by DefectDojo id (ids differ per environment). A dangling reference would fail at `pulumi up`; the linter catches it in the pull request.",
    bad: "kind: ProductJiraLink\nspec:\n  instance: corp-jria",
    good: "kind: ProductJiraLink\nspec:\n  instance: corp-jira",
  },
  check(context) {
    const instances = new Set(context.documents.filter((d) => d.kind === "JiraInstance" && d.name).map((d) => d.name!));
    for (const document of context.documents) {
      if (!document.kind || !INSTANCE_REFERRERS.has(document.kind)) continue;
      const instance = rawSpec(document)?.instance;
      if (typeof instance !== "string" || instances.has(instance)) continue;
      const hint = closest(instance, instances);
      context.report(
        document,
        locate(document, ["spec", "instance"]),
        `no JiraInstance named "${instance}" in the config tree${hint ? `; did you mean "${hint}"?` : instances.size === 0 ? " (no JiraInstance is defined at all)" : ""}`,
      );
    }
  },
};
