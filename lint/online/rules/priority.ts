import { locate } from "../../model.js";
import { closest } from "../../rules/util/did-you-mean.js";
import { onlineRule } from "../model.js";

export const onlinePriority = onlineRule({
  id: "online-priority",
  severity: "error",
  docs: {
    summary: "(online) Every priority named in `severityMapping` must exist in the Jira site.",
    details:
      "DefectDojo sends the mapped priority name verbatim when it creates an issue, and Jira refuses names it does not know. Offline, priority-names can only compare with Jira's defaults and site.extraPriorityNames; --online reads the site's priority list.",
    bad: "severityMapping: { critical: Blocker }   # the site's priorities are Highest … Lowest",
    good: "severityMapping: { critical: Highest }",
  },
  checkOnline(context) {
    for (const facts of context.facts) {
      if (!facts.priorities?.ok) continue;
      const known = facts.priorities.value;
      const { document, config } = facts.instance;
      for (const [severity, name] of Object.entries(config.spec.severityMapping ?? {})) {
        if (typeof name !== "string" || known.includes(name)) continue;
        const near = closest(name, known);
        context.report(document, locate(document, ["spec", "severityMapping", severity]), `Jira at ${config.spec.url} has no priority "${name}"${near ? ` (did you mean "${near}"?)` : `; it has ${known.join(", ") || "none"}`}`);
      }
    }
  },
});
