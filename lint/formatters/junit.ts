import { printable } from "../../text/printable.js";
import type { Formatter } from "./types.js";
import { groupByFile } from "./utils/summary.js";
import { xmlEscape } from "./utils/xml-escape.js";

/** JUnit XML for CI test tabs: one suite per file with problems, one failing case per problem. */
export const junit: Formatter = ({ results }) => {
  const out = ['<?xml version="1.0" encoding="utf-8"?>', `<testsuites name="dojo-jira" tests="${Math.max(1, results.length)}" failures="${results.length}">`];
  for (const [path, fileResults] of groupByFile(results)) {
    const file = printable(path);
    out.push(`  <testsuite name="${xmlEscape(file)}" tests="${fileResults.length}" failures="${fileResults.length}" errors="0">`);
    for (const r of fileResults) {
      const where = `${file}:${r.range.start.line}:${r.range.start.column}`;
      out.push(`    <testcase classname="${xmlEscape(file)}" name="${xmlEscape(`${r.ruleId} at ${where}`)}">`);
      out.push(`      <failure type="${r.severity}" message="${xmlEscape(r.message)}">${xmlEscape(`${where} ${r.severity} ${r.message} (${r.ruleId})`)}</failure>`);
      out.push("    </testcase>");
    }
    out.push("  </testsuite>");
  }
  if (results.length === 0) out.push('  <testsuite name="dojo-jira" tests="1" failures="0" errors="0"><testcase classname="dojo-jira" name="lint"/></testsuite>');
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
};
