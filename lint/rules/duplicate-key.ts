import type { Rule } from "./rule.js";
import { reportLoadProblems } from "./util/load-problems.js";

export const duplicateKey: Rule = {
  id: "duplicate-key",
  severity: "error",
  docs: {
    summary: "A key may appear only once in a mapping.",
    details: "YAML parsers disagree on duplicate keys (most keep the last one silently), so a reviewer may read one value while DefectDojo gets the other.",
    bad: "spec:\n  projectKey: PAY\n  projectKey: PAYM",
    good: "spec:\n  projectKey: PAYM",
  },
  check: (context) => reportLoadProblems(context, "duplicate-key"),
};
