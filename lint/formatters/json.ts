import type { Formatter } from "./types.js";
import { countBySeverity } from "./utils/summary.js";

/** Machine output: every result as data, plus counts. */
export const json: Formatter = ({ results, toolVersion }) =>
  `${JSON.stringify({ tool: "dojo-jira", version: toolVersion, summary: countBySeverity(results), results }, null, 2)}\n`;
