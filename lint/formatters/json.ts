import { printable } from "../../text/printable.js";
import type { Formatter } from "./types.js";
import { countBySeverity } from "./utils/summary.js";

/** Machine output: every result as data, plus counts. File names escaped like messages (JSON leaves C1 and bidi characters raw). */
export const json: Formatter = ({ results, toolVersion }) =>
  `${JSON.stringify({ tool: "dojo-jira", version: toolVersion, summary: countBySeverity(results), results: results.map((r) => ({ ...r, file: printable(r.file) })) }, null, 2)}\n`;
