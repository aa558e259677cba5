import { lineOf, lineStarts } from "./line-index.js";

/** One line of a YAML source, read the way a person reads its indentation. */
export interface SourceLine {
  /** 1-based. */
  number: number;
  start: number;
  /** Offset of the line break (or of the end of the source). */
  end: number;
  text: string;
  /** Leading spaces; a tab ends them. */
  indent: number;
  /** Column (0-based) where the line's own content starts, past any `- ` list markers. */
  content: number;
  /** Blank, or only a comment. */
  empty: boolean;
  /** The line starts a list item (`- `). */
  item: boolean;
  /** The `key:` the line holds at its content column, and the text after the colon (comment dropped). */
  key?: { name: string; value: string };
}

export interface SourceLines {
  /** The line holding `offset`. */
  at(offset: number): SourceLine;
  /** Line `number` (1-based), if the source has it. */
  get(number: number): SourceLine | undefined;
  /** The nearest line before (-1) or after (+1) line `number` that is not blank or only a comment. */
  content(number: number, direction: -1 | 1): SourceLine | undefined;
}

/** A block key at the start of a line's content: plain or quoted, then `:` and a space or the end. */
const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"[\]{},:-][^#]*?|-[^\s#][^#]*?))[ \t]*:(?:[ \t]+(.*))?$/;

export function sourceLines(source: string): SourceLines {
  const starts = lineStarts(source);
  const cache = new Map<number, SourceLine>();
  const get = (number: number): SourceLine | undefined => {
    if (number < 1 || number > starts.length) return undefined;
    let line = cache.get(number);
    if (!line) {
      const start = starts[number - 1]!;
      const end = number < starts.length ? starts[number]! - 1 : source.length;
      line = describe(number, start, source.slice(start, end).replace(/\r$/, ""));
      cache.set(number, line);
    }
    return line;
  };
  const at = (offset: number): SourceLine => get(lineOf(starts, offset) + 1)!;
  const content = (number: number, direction: -1 | 1): SourceLine | undefined => {
    for (let n = number + direction; n >= 1 && n <= starts.length; n += direction) {
      const line = get(n)!;
      if (!line.empty) return line;
    }
    return undefined;
  };
  return { at, get, content };
}

function describe(number: number, start: number, text: string): SourceLine {
  const indent = /^ */.exec(text)![0].length;
  let content = indent;
  while (/^-[ \t]/.test(text.slice(content))) content += 1 + /^[ \t]*/.exec(text.slice(content + 1))![0].length;
  const rest = text.slice(content);
  const empty = rest.trim() === "" || rest.startsWith("#");
  const match = KEY.exec(rest);
  const key = match ? { name: match[1] ?? match[2] ?? match[3]!, value: (match[4] ?? "").replace(/(^|[ \t])#.*$/, "").trim() } : undefined;
  return { number, start, end: start + text.length, text, indent, content, empty, item: content > indent, ...(key ? { key } : {}) };
}
