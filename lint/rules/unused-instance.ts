import { locate } from "../model.js";
import { ofKind, type Rule } from "./rule.js";
import { INSTANCE_REFERRERS, rawSpec } from "./util/raw.js";

export const unusedInstance: Rule = {
  id: "unused-instance",
  severity: "warning",
  docs: {
    summary: "A JiraInstance that no link uses.",
    details: "An instance nothing links to still holds live credentials in DefectDojo. Remove it, or add the link that was meant to use it.",
    bad: "kind: JiraInstance\nmetadata: { name: old-jira }   # no link says instance: old-jira",
    good: "kind: ProductJiraLink\nspec: { instance: old-jira, ... }",
  },
  check(context) {
    // Raw specs, not only valid ones: a link with an unrelated mistake still uses its instance.
    const used = new Set(context.documents.filter((d) => d.kind && INSTANCE_REFERRERS.has(d.kind)).map((d) => rawSpec(d)?.instance));
    for (const { document, config } of ofKind(context.valid, "JiraInstance")) {
      if (used.has(config.metadata.name)) continue;
      context.report(document, locate(document, ["metadata", "name"]), `JiraInstance "${config.metadata.name}" is not used by any link`);
    }
  },
};
