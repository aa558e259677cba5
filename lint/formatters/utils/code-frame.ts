import { printable } from "../../../text/printable.js";
import type { OffsetRange, Position, Range } from "../../model.js";

const CONTEXT_LINES = 1;
const MAX_LINE_WIDTH = 160;
/** Columns shown before a range that starts past the line's first MAX_LINE_WIDTH - LEAD. */
const LEAD = 40;

type Source = { text: string; sensitive: readonly OffsetRange[]; position(offset: number): Position };

/**
 * A few source lines around a range with a caret under it. Sensitive ranges are masked before
 * anything is cut out, so a secret never reaches the terminal; control characters are escaped,
 * so a linted file can neither drive the terminal nor fake a line of the report.
 */
export function codeFrame(source: Source, range: Range): string {
  const lines = maskedLines(source);
  const first = Math.max(1, range.start.line - CONTEXT_LINES);
  const last = Math.min(lines.length, range.start.line + CONTEXT_LINES);
  const width = String(last).length;
  // Only the part of a long line around the range is escaped and shown (from `from`, after an
  // ellipsis): escaping the whole line for each of its results made a file of one long line with
  // thousands of results take minutes.
  const from = range.start.column - 1 <= MAX_LINE_WIDTH - LEAD ? 0 : range.start.column - 1 - LEAD;
  const cut = from > 0 ? "…" : "";
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const raw = (lines[n - 1] ?? "").slice(from, from + MAX_LINE_WIDTH);
    const line = (cut + printable(raw)).slice(0, MAX_LINE_WIDTH);
    const marker = n === range.start.line ? ">" : " ";
    out.push(`${marker} ${String(n).padStart(width)} | ${line}`);
    if (n === range.start.line) {
      // Columns as printed: an escaped character before the range widens the line.
      const column = (c: number) => cut.length + printable(raw.slice(0, Math.max(0, c - 1 - from))).length + 1;
      const startColumn = column(range.start.column);
      const endColumn = range.end.line === range.start.line ? column(range.end.column) : line.length + 1;
      const length = Math.max(1, Math.min(endColumn, MAX_LINE_WIDTH) - startColumn);
      out.push(`  ${" ".repeat(width)} | ${" ".repeat(Math.min(startColumn - 1, MAX_LINE_WIDTH))}${"^".repeat(length)}`);
    }
  }
  return out.join("\n");
}

/** Masked lines per source, split once: a file with many results is not re-masked for each. */
const cache = new WeakMap<Source, string[]>();

function maskedLines(source: Source): string[] {
  let lines = cache.get(source);
  if (!lines) {
    lines = mask(source.text, source.sensitive).split(/\r?\n/);
    cache.set(source, lines);
  }
  return lines;
}

/** Stars over every sensitive character (line breaks kept, so lines stay where they were). */
function mask(text: string, sensitive: readonly OffsetRange[]): string {
  if (sensitive.length === 0) return text;
  const pieces: string[] = [];
  let done = 0;
  for (const [start, end] of [...sensitive].sort((a, b) => a[0] - b[0])) {
    const from = Math.max(start, done);
    const to = Math.min(end, text.length);
    if (to <= from) continue;
    pieces.push(text.slice(done, from), text.slice(from, to).replace(/[^\r\n]/g, "*"));
    done = to;
  }
  pieces.push(text.slice(done));
  return pieces.join("");
}
