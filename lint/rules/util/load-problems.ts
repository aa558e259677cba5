import type { LoadProblem } from "../../load/parse-file.js";
import type { RuleContext } from "../rule.js";

/** Forwards what the loader found for one rule id (syntax, duplicate keys, anchors, empty files). */
export function reportLoadProblems(context: RuleContext, ruleId: LoadProblem["ruleId"]): void {
  for (const file of context.files) {
    for (const problem of file.problems) if (problem.ruleId === ruleId) context.report(file, problem.range, problem.message);
  }
}
