import type { Rule } from "./rule.js";
import { reportLoadProblems } from "./util/load-problems.js";

export const yamlAnchors: Rule = {
  id: "yaml-anchors",
  severity: "warning",
  docs: {
    summary: "Write values out instead of using aliases (`*x`) or merge keys (`<<`).",
    details: "Aliases hide what a document really configures from the person reviewing a diff, and the merge key `<<` is not part of YAML 1.2: it would be read as a literal field called `<<`. Aliases are expanded with a bound, so alias bombs are refused either way.",
    bad: "spec: &common\n  pushAllIssues: true\n---\nspec:\n  <<: *common",
    good: "spec:\n  pushAllIssues: true\n---\nspec:\n  pushAllIssues: true",
  },
  check: (context) => reportLoadProblems(context, "yaml-anchors"),
};
