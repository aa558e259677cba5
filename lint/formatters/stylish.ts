import { printable } from "../../text/printable.js";
import type { Formatter } from "./types.js";
import { codeFrame } from "./utils/code-frame.js";
import { countBySeverity, groupByFile, plural } from "./utils/summary.js";

const paint = (on: boolean, code: string) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/** Human output: results grouped by file, each with a code frame, then a summary line. */
export const stylish: Formatter = ({ results, sources, counts, color = false }) => {
  if (results.length === 0) return `${paint(color, "32")("✔")} ${plural(counts.files, "file")}, ${plural(counts.documents, "document")}: no problems\n`;
  const red = paint(color, "31");
  const yellow = paint(color, "33");
  const blue = paint(color, "34");
  const dim = paint(color, "2");
  const bold = paint(color, "1");
  const out: string[] = [];
  for (const [file, fileResults] of groupByFile(results)) {
    out.push(bold(printable(file)));
    for (const r of fileResults) {
      const severity = r.severity === "error" ? red("error") : r.severity === "warning" ? yellow("warning") : blue("info");
      out.push(`  ${r.range.start.line}:${r.range.start.column}  ${severity}  ${r.message}  ${dim(r.ruleId)}`);
      const source = sources.get(file);
      if (source && source.text.length > 0) out.push(indent(dim(codeFrame(source, r.range)), 4));
    }
    out.push("");
  }
  const { errors, warnings, infos } = countBySeverity(results);
  const line = `✖ ${plural(results.length, "problem")} (${plural(errors, "error")}, ${plural(warnings, "warning")}, ${infos} info)`;
  out.push(errors > 0 ? red(bold(line)) : yellow(bold(line)));
  return `${out.join("\n")}\n`;
};

function indent(text: string, by: number): string {
  return text.replace(/^/gm, " ".repeat(by));
}
