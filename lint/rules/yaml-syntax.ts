import type { Rule } from "./rule.js";
import { reportLoadProblems } from "./util/load-problems.js";

export const yamlSyntax: Rule = {
  id: "yaml-syntax",
  severity: "error",
  docs: {
    summary: "The file must be readable, well-formed UTF-8 YAML.",
    details: "Covers YAML syntax errors, invalid UTF-8, binary files, files over the size limit, more than 10,000 documents or 100,000 nodes in one file, absurd nesting and alias bombs, and files that are not read at all: symbolic links whose target leaves the linted directory, FIFOs and devices. Each mistake is reported once, on the line to fix, in plain terms where it is a common one (a line indented more or less than its siblings, a tab, a missing colon, an unclosed bracket or quote). Nothing in such a file is checked further, and rules that look across files say nothing about what it might define or use (no \"no JiraInstance named ...\" while a broken file might define it), so fix this first.",
    bad: "spec:\n  url: https://corp.atlassian.net\n   username: svc   # wrong indentation",
    good: "spec:\n  url: https://corp.atlassian.net\n  username: svc",
  },
  check: (context) => reportLoadProblems(context, "yaml-syntax"),
};
