import { printable } from "../../text/printable.js";
import type { Formatter } from "./types.js";

const COMMAND = { error: "error", warning: "warning", info: "notice" } as const;

/** GitHub Actions workflow commands: annotations on the pull request's changed lines. */
export const github: Formatter = ({ results }) =>
  results
    .map((r) => {
      const props = [
        `file=${escapeProperty(printable(r.file))}`,
        `line=${r.range.start.line}`,
        `col=${r.range.start.column}`,
        `endLine=${r.range.end.line}`,
        `endColumn=${r.range.end.column}`,
        `title=${escapeProperty(`dojo-jira ${r.ruleId}`)}`,
      ];
      return `::${COMMAND[r.severity]} ${props.join(",")}::${escapeData(r.message)}\n`;
    })
    .join("");

function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
