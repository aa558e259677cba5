import { parseSuppressions } from "../suppressions.js";
import type { Rule } from "./rule.js";

export const invalidSuppression: Rule = {
  id: "invalid-suppression",
  severity: "error",
  docs: {
    summary: "An inline suppression must name known rules and give a reason.",
    details: "Write `# dojo-jira-disable-next-line <rule>[, <rule>] -- <why>` on the line above the problem. The reason is mandatory so that reviewers and auditors see why a check was waived; a suppression without one, or for a rule that does not exist, suppresses nothing.",
    bad: "# dojo-jira-disable-next-line insecure-url\nurl: http://jira.lab.internal",
    good: "# dojo-jira-disable-next-line insecure-url -- lab Jira, reachable only over the VPN\nurl: http://jira.lab.internal",
  },
  check(context) {
    for (const file of context.files) {
      for (const suppression of parseSuppressions(file)) {
        if (suppression.ruleIds.length === 0) {
          context.report(file, suppression.range, "suppression names no rule: write `# dojo-jira-disable-next-line <rule> -- <reason>`");
        }
        for (const id of suppression.ruleIds) {
          if (!context.ruleIds.has(id)) context.report(file, suppression.range, `suppression names unknown rule "${id}"`);
        }
        if (suppression.reason === "") {
          context.report(file, suppression.range, "suppression has no reason: add ` -- <why this is fine>` so reviewers can judge it");
        }
      }
    }
  },
};
