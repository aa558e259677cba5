import type { Rule } from "./rule.js";
import { reportLoadProblems } from "./util/load-problems.js";

export const emptyFile: Rule = {
  id: "empty-file",
  severity: "warning",
  docs: {
    summary: "A config file should hold at least one document.",
    details: "An empty file in the config tree is usually a leftover of a move or a bad merge; delete it or fill it.",
    bad: "# payments.yaml\n",
    good: "apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\n...",
  },
  check: (context) => reportLoadProblems(context, "empty-file"),
};
