import { locate } from "../model.js";
import { links, ofKind, type Rule } from "./rule.js";

export const jiraDisabled: Rule = {
  id: "jira-disabled",
  severity: "warning",
  acrossDocuments: true,
  docs: {
    summary: "Links are configured while the JiraSettings document leaves Jira off.",
    details: "With `enable_jira` off DefectDojo pushes nothing and ignores webhooks, whatever the links say. Set `enableJira: true`, or drop the links until Jira is switched on.",
    bad: "kind: JiraSettings\nspec: { enableJira: false }\n---\nkind: ProductJiraLink\n...",
    good: "kind: JiraSettings\nspec: { enableJira: true }",
  },
  check(context) {
    if (links(context.valid).length === 0) return;
    for (const { document, config } of ofKind(context.valid, "JiraSettings")) {
      if (config.spec.enableJira === true) continue;
      const at = config.spec.enableJira === undefined ? locate(document, ["spec"], "key") : locate(document, ["spec", "enableJira"]);
      context.report(document, at, `the tree links ${links(context.valid).length} product(s) or engagement(s) to Jira, but enableJira is not true: DefectDojo would push nothing`);
    }
  },
};
