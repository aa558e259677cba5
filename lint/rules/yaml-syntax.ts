import type { Rule } from "./rule.js";
import { reportLoadProblems } from "./util/load-problems.js";

export const yamlSyntax: Rule = {
  id: "yaml-syntax",
  severity: "error",
  docs: {
    summary: "The file must be readable, well-formed UTF-8 YAML.",
    details: "Covers YAML syntax errors, invalid UTF-8, binary files, files over the size limit, absurd nesting and alias bombs. Nothing in such a file is checked further, so fix this first.",
    bad: "spec:\n  url: https://corp.atlassian.net\n   username: svc   # wrong indentation",
    good: "spec:\n  url: https://corp.atlassian.net\n  username: svc",
  },
  check: (context) => reportLoadProblems(context, "yaml-syntax"),
};
