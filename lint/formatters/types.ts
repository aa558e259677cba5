import type { LintResult, OffsetRange, Position } from "../model.js";
import type { Rule } from "../rules/rule.js";

/** What every formatter gets: results plus just enough of the sources for code frames. */
export interface FormatterInput {
  results: readonly LintResult[];
  /** Source text per file, with the ranges that must never be printed. */
  sources: ReadonlyMap<string, { text: string; sensitive: readonly OffsetRange[]; position(offset: number): Position }>;
  rules: readonly Rule[];
  /** How much was linted, for summaries. */
  counts: { files: number; documents: number };
  toolVersion: string;
  /**
   * The absolute working folder that relative file names are relative to: SARIF's %SRCROOT%.
   * Without it, SARIF leaves %SRCROOT% to the consumer.
   */
  cwd?: string;
  color?: boolean;
}

export type Formatter = (input: FormatterInput) => string;
