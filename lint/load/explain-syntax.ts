import type { YAMLError } from "yaml";
import type { OffsetRange } from "../model.js";
import type { SourceLine, SourceLines } from "./source-lines.js";
import { yamlMessage } from "./yaml-message.js";

export interface SyntaxProblem {
  range: OffsetRange;
  message: string;
}

interface Explanation extends SyntaxProblem {
  /** Errors that start before this offset follow from this one (the rest of a mis-indented block). */
  covers: number;
}

/** Problems explained per document; the rest keep yaml's words, and the loader caps them anyway. */
const EXPLAINED = 10;

/** Where the quoted value that yaml found unclosed at `offset` opens; needs the parsed document. */
export type OpenQuoteFinder = (offset: number) => number | undefined;

/**
 * yaml's errors for one document, said in the user's terms: one message per mistake, on the line
 * the mistake is on, with the fix. yaml reports an over-indented line as two errors about "compact
 * mappings" and "implicit keys" on the line above; an unclosed quote at the end of the file. What
 * follows from a mistake already explained (the rest of the block it broke, a second error on the
 * same line) is dropped. Messages quote keys only, never values: a broken line may hold a secret.
 */
export function explainSyntaxErrors(errors: readonly YAMLError[], lines: SourceLines, openQuote: OpenQuoteFinder): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  let covered = -1;
  for (const error of [...errors].sort((a, b) => a.pos[0] - b.pos[0])) {
    if (error.pos[0] < covered) continue;
    // Past the first few, nobody reads them (the loader keeps ten): explaining costs a look around each.
    const explained = (problems.length < EXPLAINED ? explain(error, lines, openQuote) : undefined) ?? { range: error.pos, message: yamlMessage(error), covers: 0 };
    problems.push({ range: explained.range, message: explained.message });
    covered = Math.max(covered, explained.covers, lines.at(error.pos[0]).end + 1);
  }
  return problems;
}

function explain(error: YAMLError, lines: SourceLines, openQuote: OpenQuoteFinder): Explanation | undefined {
  const line = lines.at(error.pos[0]);
  const message = error.message;
  if (error.code === "TAB_AS_INDENT") {
    return { range: [error.pos[0], error.pos[0] + 1], message: `line ${line.number} is indented with a tab; YAML indents with spaces only`, covers: line.end + 1 };
  }
  if ((error.code === "BLOCK_AS_IMPLICIT_KEY" && message.startsWith("Nested mappings")) || (error.code === "MULTILINE_IMPLICIT_KEY" && message.startsWith("Implicit keys need"))) {
    const next = lines.content(line.number, 1);
    // `key: value` and a deeper line below it: yaml reads the deeper line as part of the value.
    if (line.key && line.key.value !== "" && next && next.indent > line.content) return indentation(next, lines);
    if (error.code === "BLOCK_AS_IMPLICIT_KEY" && line.key) {
      return { range: [error.pos[0], line.end], message: `the value of ${nameOf(line)} contains ": ", which YAML reads as another key; put the value in quotes`, covers: line.end + 1 };
    }
    if (error.code === "MULTILINE_IMPLICIT_KEY" && !line.key && !line.item) return missingColon(line, lines.at(error.pos[1]).end + 1);
  }
  if (error.code === "MISSING_CHAR" && message.startsWith("Implicit map keys need to be followed") && !line.key && !line.item) return missingColon(line, line.end + 1);
  if (error.code === "BAD_INDENT" && /^All (mapping|sequence) items must start at the same column/.test(message)) return indentation(line, lines);
  if (error.code === "MISSING_CHAR" && message.startsWith("Sequence item without - indicator")) return indentation(line, lines);
  if (error.code === "BLOCK_AS_IMPLICIT_KEY" && message.startsWith("A block sequence may not be used")) return indentation(line, lines);
  if (error.code === "UNEXPECTED_TOKEN" && / at node end$/.test(message)) return mixedLevel(line, lines);
  if (error.code === "UNEXPECTED_TOKEN" && message.startsWith("Unexpected block-seq-ind on same line with key")) {
    return { range: error.pos, message: `a list cannot start on its key's line: put each "- " item on its own line below the key, indented, or write the list as [a, b]`, covers: line.end + 1 };
  }
  if (error.code === "BAD_INDENT" && /^Flow (sequence|map) in block collection/.test(message)) return unclosedFlow(error, message.includes("sequence") ? "[" : "{", lines);
  if (error.code === "MISSING_CHAR" && /^Missing closing ["']quote/.test(message)) {
    const start = openQuote(error.pos[0]);
    if (start === undefined) return undefined;
    const quote = message.includes('"quote') ? '"' : "'";
    return { range: [start, start + 1], message: `this ${quote} opens a value that is never closed: end the value with ${quote}`, covers: error.pos[1] + 1 };
  }
  if (error.code === "BAD_SCALAR_START" && /reserved character|indicator/.test(message)) {
    return { range: error.pos, message: `${yamlMessage(error)}; put the value in quotes`, covers: line.end + 1 };
  }
  return undefined;
}

/** A line indented to no level of the lines above it: more than its sibling, or between two levels. */
function indentation(line: SourceLine, lines: SourceLines): Explanation | undefined {
  const above = lines.content(line.number, -1);
  if (!above) return undefined;
  const range: OffsetRange = [line.start, line.start + line.indent];
  if (line.item) {
    const sibling = levelsAbove(line, lines).find((l) => l.item);
    if (!sibling || sibling.indent === line.indent) return mixedLevel(line, lines);
    const more = line.indent > sibling.indent ? "more" : "less";
    return { range, message: `line ${line.number} is indented ${more} than the list item above it; indent it like that item (${spaces(sibling.indent)})`, covers: blockEnd(line, Math.min(line.indent - 1, sibling.indent), lines) };
  }
  if (line.indent > above.content && above.key) {
    return { range, message: `line ${line.number} is indented more than the key above it; indent it like ${nameOf(above)} (${spaces(above.content)})`, covers: blockEnd(line, above.content, lines) };
  }
  const all = levelsAbove(line, lines);
  if (all.some((l) => l.indent === line.indent || (l.key && l.content === line.indent))) return mixedLevel(line, lines);
  const levels = all.filter((l) => l.key);
  const inner = levels.filter((l) => l.content > line.indent).at(-1);
  const outer = levels.find((l) => l.content < line.indent);
  if (!inner) return undefined;
  const choice = outer ? `between ${nameOf(outer)} (${spaces(outer.content)}) and ${nameOf(inner)} (${spaces(inner.content)}); indent it like one of them` : `less than ${nameOf(inner)} above it; indent it like ${nameOf(inner)} (${spaces(inner.content)})`;
  // The lines after it at its indentation share its mistake.
  return { range, message: `line ${line.number} is indented ${spaces(line.indent)}, ${choice}`, covers: blockEnd(line, line.indent - 1, lines) };
}

/** A key among `- ` items, or an item among keys, at one indentation. */
function mixedLevel(line: SourceLine, lines: SourceLines): Explanation | undefined {
  const peer = levelsAbove(line, lines).find((l) => l.indent === line.indent);
  if (!peer || peer.item === line.item || (!line.item && !line.key)) return undefined;
  const what = line.item ? `a "- " list item among the keys above it (line ${peer.number})` : `a key among the "- " list items above it (line ${peer.number})`;
  return { range: [line.start + line.indent, line.end], message: `line ${line.number} is ${what}; one indentation level holds either keys or "- " items, not both`, covers: blockEnd(line, line.indent, lines) };
}

/** The lines above `line` that open a level: each indented less than all lines between it and `line`. */
function levelsAbove(line: SourceLine, lines: SourceLines): SourceLine[] {
  const levels: SourceLine[] = [];
  let least = Infinity;
  for (let above = lines.content(line.number, -1); above && least > 0; above = lines.content(above.number, -1)) {
    if (/^(---|\.\.\.)(\s|$)/.test(above.text)) break;
    if (above.indent >= least) continue;
    least = above.indent;
    levels.push(above);
  }
  return levels;
}

function missingColon(line: SourceLine, covers: number): Explanation {
  const text = line.text.slice(line.content);
  const message = /^[^\s:#]+:[^\s]/.test(text) && !/:(\s|$)/.test(text) ? `line ${line.number} needs a space after ":" to separate the key from its value` : `line ${line.number} has no ":" after its key; write key: value`;
  return { range: [line.start + line.content, line.end], message, covers };
}

/** yaml reports an unclosed `[` or `{` on the line after it; the opening bracket is the place to fix. */
function unclosedFlow(error: YAMLError, open: "[" | "{", lines: SourceLines): Explanation | undefined {
  const close = open === "[" ? "]" : "}";
  const what = open === "[" ? "list" : "mapping";
  for (let line = lines.content(lines.at(error.pos[0]).number, -1); line; line = lines.content(line.number, -1)) {
    const at = unclosedIn(line.text, open, close);
    if (at !== undefined) {
      return { range: [line.start + at, line.start + at + 1], message: `this ${open} is not closed: end the ${what} with ${close}, or indent the lines that continue it more than its key`, covers: error.pos[1] + 1 };
    }
    if (line.indent === 0) break;
  }
  return undefined;
}

/** Column of the last `open` left unclosed on one line, outside quotes and comments. */
function unclosedIn(text: string, open: string, close: string): number | undefined {
  const stack: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === "\\" && quote === '"') i++;
      else if (ch === quote) quote = undefined;
    } else if ((ch === '"' || ch === "'") && /^$|[\s[{,:]$/.test(text.slice(Math.max(0, i - 1), i))) {
      quote = ch;
    } else if (ch === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      break;
    } else if (ch === open) {
      stack.push(i);
    } else if (ch === close) {
      stack.pop();
    }
  }
  return stack.at(-1);
}

/** The offset after `line` and the lines below it indented more than `level`: what the fix of `line` moves. */
function blockEnd(line: SourceLine, level: number, lines: SourceLines): number {
  let last = line;
  for (let next = lines.content(line.number, 1); next && next.indent > level; next = lines.content(next.number, 1)) last = next;
  return last.end + 1;
}

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,39}$/;

/** A key as messages show it: quoted when it is a plain name, else by its line. */
function nameOf(line: SourceLine): string {
  return line.key && SIMPLE_KEY.test(line.key.name) ? `"${line.key.name}"` : `line ${line.number}`;
}

function spaces(n: number): string {
  return n === 1 ? "1 space" : `${n} spaces`;
}
