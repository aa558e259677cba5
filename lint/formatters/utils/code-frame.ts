import type { OffsetRange, Position, Range } from "../../model.js";

const CONTEXT_LINES = 1;
const MAX_LINE_WIDTH = 160;

/**
 * A few source lines around a range with a caret under it. Sensitive ranges are
 * masked before anything is cut out, so a secret never reaches the terminal.
 */
export function codeFrame(
  source: { text: string; sensitive: readonly OffsetRange[]; position(offset: number): Position },
  range: Range,
): string {
  const text = mask(source.text, source.sensitive);
  const lines = text.split(/\r?\n/);
  const first = Math.max(1, range.start.line - CONTEXT_LINES);
  const last = Math.min(lines.length, range.start.line + CONTEXT_LINES);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const line = (lines[n - 1] ?? "").slice(0, MAX_LINE_WIDTH);
    const marker = n === range.start.line ? ">" : " ";
    out.push(`${marker} ${String(n).padStart(width)} | ${line}`);
    if (n === range.start.line) {
      const endColumn = range.end.line === range.start.line ? range.end.column : line.length + 1;
      const length = Math.max(1, Math.min(endColumn, MAX_LINE_WIDTH) - range.start.column);
      out.push(`  ${" ".repeat(width)} | ${" ".repeat(Math.min(range.start.column - 1, MAX_LINE_WIDTH))}${"^".repeat(length)}`);
    }
  }
  return out.join("\n");
}

function mask(text: string, sensitive: readonly OffsetRange[]): string {
  if (sensitive.length === 0) return text;
  let result = text;
  for (const [start, end] of sensitive) {
    const masked = text.slice(start, end).replace(/[^\r\n]/g, "*");
    result = result.slice(0, start) + masked + result.slice(end);
  }
  return result;
}
