import { yaml } from "./yaml-on-demand.js";

/**
 * YAML nodes one file may hold. yaml builds a CST, a document and plain values for each node, a
 * few hundred bytes apiece: an 8 MB file of `- a` lines (two million items) took 2.8 GB and 15 s.
 * A tree of 2,000 links in one file stays under a third of this.
 */
export const MAX_NODES = 100_000;

/**
 * Comment lines one file may hold. Comments are no nodes, yet yaml makes a token of each: 8 MB of
 * `#` lines took 23 s and 1.6 GB on yaml's path. A tree of 2,000 links holds a few thousand.
 */
export const MAX_COMMENT_LINES = 200_000;

/**
 * One pass over the lines, without yaml: whether any line holds more than a comment (a file of
 * comments alone is an empty file, whatever its size), and where the comment line past
 * MAX_COMMENT_LINES starts.
 */
export function scanCommentLines(source: string): { content: boolean; pastLimit?: number } {
  let comments = 0;
  let content = false;
  let pastLimit: number | undefined;
  for (let start = 0; start < source.length && !(content && pastLimit !== undefined); ) {
    let end = source.indexOf("\n", start);
    if (end === -1) end = source.length;
    let at = start;
    while (at < end && (source[at] === " " || source[at] === "\t" || source[at] === "\r")) at++;
    if (at < end && source[at] === "#") {
      if (++comments > MAX_COMMENT_LINES) pastLimit ??= start;
    } else if (at < end) content = true;
    start = end + 1;
  }
  return { content, pastLimit };
}

/** Lexer markers that take no room in the source. */
const MARKERS = new Set(["\u0002", "\u0018"]);
const SCALAR = "\u001f";

/**
 * Offset of the node past MAX_NODES, found by yaml's lexer alone (strings, no objects: a few MB
 * for any file), or undefined when the file is within the limit. A node needs at least one
 * character, so smaller files are not lexed twice.
 */
export function offsetPastNodeLimit(source: string): number | undefined {
  if (source.length <= MAX_NODES) return undefined;
  let nodes = 0;
  let offset = 0;
  let scalarSource = false;
  for (const lexeme of new (yaml().Lexer)().lex(source)) {
    if (MARKERS.has(lexeme)) continue;
    if (lexeme === SCALAR) {
      scalarSource = true; // the next lexeme is the scalar's text, counted here
      if (++nodes > MAX_NODES) return offset;
      continue;
    }
    // Quoted scalars, aliases, flow collections and block sequence items (which may be empty)
    // come without a marker.
    if (!scalarSource && /^(?:["'*[{]|-$)/.test(lexeme) && ++nodes > MAX_NODES) return offset;
    scalarSource = false;
    offset += lexeme.length;
  }
  return undefined;
}
