import { locate } from "../model.js";
import { ofKind, type Rule } from "./rule.js";
import { closest } from "./util/did-you-mean.js";

/** Jira's default priority scheme. */
const JIRA_PRIORITIES = ["Highest", "High", "Medium", "Low", "Lowest"];

export const priorityNames: Rule = {
  id: "priority-names",
  severity: "warning",
  docs: {
    summary: "Severity mappings should name priorities the Jira site has.",
    details: "DefectDojo sends the mapped priority name verbatim when it creates an issue, and Jira refuses names it does not know. Jira's defaults are Highest, High, Medium, Low, Lowest; declare a site's own names under site.extraPriorityNames in .dojo-jira.yaml, or check them live with --online.",
    bad: "severityMapping: { critical: Blocker }",
    good: "severityMapping: { critical: Highest }",
  },
  check(context) {
    const known = [...JIRA_PRIORITIES, ...context.site.extraPriorityNames];
    for (const { document, config } of ofKind(context.valid, "JiraInstance")) {
      for (const [severity, name] of Object.entries(config.spec.severityMapping ?? {})) {
        if (typeof name !== "string" || known.includes(name)) continue;
        const hint = closest(name, known);
        context.report(
          document,
          locate(document, ["spec", "severityMapping", severity]),
          `"${name}" is not a known Jira priority${hint ? ` (did you mean "${hint}"?)` : ""}; declare site priorities in .dojo-jira.yaml site.extraPriorityNames`,
        );
      }
    }
  },
};
