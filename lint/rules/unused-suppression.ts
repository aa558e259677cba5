import type { Rule } from "./rule.js";

export const unusedSuppression: Rule = {
  id: "unused-suppression",
  severity: "warning",
  docs: {
    summary: "A suppression that suppresses nothing.",
    details: "The problem it waived was fixed or moved, so the comment now only misleads; delete it. Reported after every other rule has run, and only where the rule it names could have fired: not in a file with syntax errors or a document the schema refuses, nor, for a rule across documents, while part of the tree cannot be read.",
    bad: "# dojo-jira-disable-next-line insecure-url -- lab Jira\nurl: https://jira.lab.internal",
    good: "url: https://jira.lab.internal",
  },
  // The engine reports this one: only it knows, after every rule ran, which suppressions were used.
  check: () => undefined,
};
