import type { LocationIndex, OffsetRange } from "../model.js";

/** One document as the plain reader builds it: what yaml's Document and toJS would give, and the same ranges. */
export interface PlainDocument {
  value: Record<string, unknown>;
  locations: LocationIndex;
}

export interface ReadOptions {
  /**
   * Build the path → range index (default true). Without it each document's index is empty: a clean
   * tree's positions are rarely asked for, and keeping a thousand files' indexes alive until the end
   * of the run cost more in garbage collection than reading a file again on the rare ask.
   */
  locations?: boolean;
}

/**
 * Reads the plain subset of YAML that config files are written in, in one pass over the lines,
 * building values and the path → range index together; undefined for anything outside it.
 *
 * yaml's lexer, parser, composer and toJS were more than half of a 1,000-file lint, and most of
 * its garbage, building what a clean file never needs (a CST, a Document of nodes, comments,
 * source tokens). The subset is block mappings and sequences of one-line scalars and
 * one-line flow collections, with comments and `---` separators; the caller falls back to the full
 * yaml path for everything else (aliases, anchors, tags, block and multi-line scalars, escapes,
 * tabs, CR, control and non-BMP characters, duplicate or non-string keys, empty values, unusual
 * indentation, suppression comments), so every message, position and bound stays yaml's own. A file
 * read here is free of syntax errors by construction: any line it cannot place makes it give up.
 * test/lint/plain-reader.test.ts checks it against the full path on mutated documents.
 */
export function readPlainYaml(source: string, options: ReadOptions = {}): PlainDocument[] | undefined {
  if (UNUSUAL.test(source) || source.includes("dojo-jira-disable")) return undefined;
  const reader = new Reader(source, options.locations ?? true);
  try {
    return reader.read();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

/**
 * Characters the subset leaves to yaml: tabs, CR, control characters, NEL, the BOM, the Unicode
 * line and paragraph separators (JavaScript regexes treat them as line ends, yaml does not) and
 * surrogates.
 */
const UNUSUAL = /[^\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]/;

/** Thrown inside the reader for anything outside the subset; never escapes readPlainYaml. */
const GIVE_UP = Symbol("outside the plain subset");
function giveUp(): never {
  throw GIVE_UP;
}

/** A mapping key: plain, without spaces, quotes or indicators, followed by `: ` or `:` at the end. */
const KEY = /[A-Za-z0-9_$][\w$./-]*(?=:(?:[ \n]|$))/y;
/** Characters a plain scalar may not start with (YAML indicators). */
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;
/** Flow nesting deeper than this is left to yaml (configs nest two or three levels). */
const MAX_FLOW_DEPTH = 8;
/** Block nesting likewise: attacker-controlled depth stays yaml's problem, with its own bound. */
const MAX_BLOCK_DEPTH = 32;
/** yaml refuses an implicit key whose `:` is more than 1024 characters after its start. */
const MAX_KEY_LENGTH = 1000;
/** A file with more documents goes to yaml's path, which cuts it at parse-file's MAX_DOCUMENTS. */
const MAX_DOCUMENTS = 1000;

interface Frame {
  kind: "map" | "seq";
  indent: number;
  node: Record<string, unknown> | unknown[];
  path: string;
  start: number;
  /** Offset just past the line of the last value: yaml's range end for a block collection. */
  end: number;
}

/** A `key:` or `- ` line with nothing after it: a block collection must start on the next line. */
interface Pending {
  parent: Frame;
  key: string | number;
  path: string;
  keyRange?: OffsetRange;
}

class Reader {
  private documents: PlainDocument[] = [];
  private stack: Frame[] = [];
  private root: Frame | undefined;
  private locations: LocationIndex;
  private pending: Pending | undefined;
  /** Comment lines since the last content line: trailing comments move yaml's range ends. */
  private comments: Array<{ indent: number; end: number }> = [];
  private lineStart = 0;
  private lineEnd = 0;
  /** One for every value of the file: it holds no state between values. */
  private readonly flow: Flow;

  constructor(
    private readonly source: string,
    private readonly withLocations: boolean,
  ) {
    this.locations = new Map();
    this.flow = new Flow(source);
  }

  read(): PlainDocument[] | undefined {
    const source = this.source;
    let pos = 0;
    while (pos < source.length) {
      let end = source.indexOf("\n", pos);
      if (end === -1) end = source.length;
      this.lineStart = pos;
      this.lineEnd = end;
      this.line(pos, end);
      pos = end + 1;
    }
    this.endDocument();
    return this.documents.length > 0 ? this.documents : undefined;
  }

  private line(start: number, end: number): void {
    const source = this.source;
    let at = start;
    while (at < end && source.charCodeAt(at) === 32) at++;
    if (at === end) return; // blank
    const first = source[at]!;
    if (first === "#") {
      this.comments.push({ indent: at - start, end: Math.min(end + 1, source.length) });
      return;
    }
    const indent = at - start;
    if (indent === 0 && (first === "-" || first === ".") && source.startsWith(first === "-" ? "---" : "...", at) && (at + 3 === end || source[at + 3] === " ")) {
      if (first === ".") giveUp(); // document end markers
      // `---` with nothing after it but a comment.
      const rest = source.slice(at + 3, end).trimStart();
      if (rest !== "" && !rest.startsWith("#")) giveUp();
      this.endDocument();
      return;
    }
    if (first === "%") giveUp(); // directives
    this.content(indent, at, end);
  }

  private content(indent: number, at: number, end: number): void {
    const source = this.source;
    const isItem = source[at] === "-" && (at + 1 === end || source[at + 1] === " ");
    if (this.pending) {
      const pending = this.pending;
      this.pending = undefined;
      const parentIndent = pending.parent.indent;
      // A sequence may sit at its key's own indentation (`key:\n- a`); anything else nests deeper.
      const sameIndentSeq = indent === parentIndent && isItem && pending.parent.kind === "map";
      if (indent <= parentIndent && !sameIndentSeq) giveUp(); // an empty value: yaml's null, and its range, are its own
      if (this.comments.length > 0) giveUp();
      this.open(isItem ? "seq" : "map", indent, at, pending.path, pending);
    } else {
      this.settleComments(indent);
      while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.indent > indent) this.close();
      let top = this.stack[this.stack.length - 1];
      // `key:\n- a\nnext: b`: the sequence at its key's indentation ends at the next key.
      if (top && top.kind === "seq" && top.indent === indent && !isItem) {
        const below = this.stack[this.stack.length - 2];
        if (!below || below.kind !== "map" || below.indent !== indent) giveUp();
        this.close();
        top = below;
      }
      if (!top) {
        if (this.root || indent !== 0) giveUp(); // a second root value, or an indented root
        this.open(isItem ? "seq" : "map", indent, at, "", undefined);
      } else if (top.indent !== indent) giveUp();
    }
    const top = this.stack[this.stack.length - 1]!;
    if (top.kind === "map") {
      if (isItem) giveUp();
      this.entry(top, at, end);
    } else {
      if (!isItem) giveUp();
      this.item(top, at, end);
    }
  }

  private open(kind: "map" | "seq", indent: number, at: number, path: string, pending: Pending | undefined): void {
    if (this.stack.length >= MAX_BLOCK_DEPTH) giveUp();
    const frame: Frame = { kind, indent, node: kind === "map" ? {} : [], path, start: at, end: at };
    if (pending) {
      assign(pending.parent, pending.key, frame.node);
      if (this.withLocations) this.locations.set(path, { ...(pending.keyRange ? { key: pending.keyRange } : {}), value: [at, at] });
    } else {
      if (kind !== "map") giveUp(); // a root sequence is no config document
      this.root = frame;
      if (this.withLocations) this.locations.set("", { value: [at, at] });
    }
    this.stack.push(frame);
  }

  /** Ends the innermost collection: its range runs to the end of its last value's line. */
  private close(): void {
    const frame = this.stack.pop()!;
    if (this.withLocations) this.locations.set(frame.path, { ...this.locations.get(frame.path), value: [frame.start, frame.end] });
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.end = frame.end;
  }

  /**
   * Comment lines before a line at `indent` (-1: the end of the document). Comments at or left of
   * the next line belong to what follows and move no range. A trailing comment (right of the next
   * line) stretches the ranges of the collections it ends in ways yaml decides case by case (blank
   * lines after it, a sequence at its key's indentation, the document's end): an independent review
   * found three shapes where a probed imitation ended a range elsewhere, so those go to yaml.
   */
  private settleComments(indent: number): void {
    const comments = this.comments;
    if (comments.length === 0) return;
    this.comments = [];
    if (comments.every((c) => c.indent <= indent)) return;
    giveUp();
  }

  private endDocument(): void {
    if (this.pending) giveUp();
    this.settleComments(-1);
    while (this.stack.length > 0) this.close();
    if (this.root) {
      if (this.documents.length >= MAX_DOCUMENTS) giveUp();
      this.documents.push({ value: this.root.node as Record<string, unknown>, locations: this.locations });
    }
    this.root = undefined;
    this.locations = new Map();
  }

  /** `key: value` or `key:` in a block mapping, from `at` to the end of the line. */
  private entry(frame: Frame, at: number, end: number): void {
    const source = this.source;
    KEY.lastIndex = at;
    const match = KEY.exec(source);
    if (!match || at + match[0].length > end) giveUp();
    const key = match[0];
    const keyEnd = at + key.length;
    if (key.length > MAX_KEY_LENGTH || key === "__proto__" || typeof resolvePlain(key) !== "string" || Object.hasOwn(frame.node, key)) giveUp();
    const path = frame.path === "" ? key : `${frame.path}\u0000${key}`;
    const keyRange: OffsetRange = [at, keyEnd];
    let valueAt = keyEnd + 1;
    while (valueAt < end && source.charCodeAt(valueAt) === 32) valueAt++;
    if (valueAt === end || source[valueAt] === "#") {
      this.pending = { parent: frame, key, path, keyRange };
      return;
    }
    this.inlineValue(frame, key, path, keyRange, valueAt, end);
  }

  /** `- value` or `- key: value` in a block sequence. */
  private item(frame: Frame, at: number, end: number): void {
    const source = this.source;
    const array = frame.node as unknown[];
    const index = array.length;
    const path = frame.path === "" ? String(index) : `${frame.path}\u0000${index}`;
    let valueAt = at + 1;
    while (valueAt < end && source.charCodeAt(valueAt) === 32) valueAt++;
    if (valueAt === end || source[valueAt] === "#") giveUp(); // an empty item, or one whose value starts below
    if (source[valueAt] === "-" && (valueAt + 1 === end || source[valueAt + 1] === " ")) giveUp(); // `- - a`
    KEY.lastIndex = valueAt;
    const key = KEY.exec(source);
    if (key && valueAt + key[0].length <= end) {
      // `- key: value`: a mapping whose keys line up with this first one.
      array.push(undefined);
      this.open("map", valueAt - this.lineStart, valueAt, path, { parent: frame, key: index, path });
      this.entry(this.stack[this.stack.length - 1]!, valueAt, end);
      return;
    }
    array.push(undefined);
    this.inlineValue(frame, index, path, undefined, valueAt, end);
  }

  /** A one-line value after `key: ` or `- `, with an optional comment after it. */
  private inlineValue(frame: Frame, key: string | number, path: string, keyRange: OffsetRange | undefined, at: number, end: number): void {
    const source = this.source;
    const flow = this.flow;
    flow.at = at;
    flow.end = end;
    flow.locations = this.withLocations ? this.locations : undefined;
    const parsed = flow.block(path);
    let after = flow.at;
    while (after < end && source.charCodeAt(after) === 32) after++;
    if (after < end && !(source[after] === "#" && after > flow.at)) giveUp();
    assign(frame, key, parsed.value);
    if (this.withLocations) this.locations.set(path, { ...(keyRange ? { key: keyRange } : {}), value: parsed.range });
    // yaml ends a value's node after its line: the newline, or the end of the text.
    frame.end = Math.min(this.lineEnd + 1, source.length);
  }
}

function assign(frame: Frame, key: string | number, value: unknown): void {
  if (frame.kind === "map") (frame.node as Record<string, unknown>)[key as string] = value;
  else (frame.node as unknown[])[key as number] = value;
}

/** Scalars and flow collections on one line, from `at`; records the ranges of what it nests. */
class Flow {
  at = 0;
  end = 0;
  /** Where nested ranges go; undefined when only values are wanted. */
  locations: LocationIndex | undefined;

  constructor(private readonly source: string) {}

  /** A value in block context: a plain scalar may hold `,[]{}` here, and runs to ` #` or the line end. */
  block(path: string): { value: unknown; range: OffsetRange } {
    const c = this.source[this.at]!;
    if (c === "[" || c === "{") return this.collection(path, 1);
    if (c === '"' || c === "'") return this.quoted();
    return this.plain(false);
  }

  private value(path: string, depth: number): { value: unknown; range: OffsetRange } {
    const c = this.source[this.at];
    if (c === "[" || c === "{") return this.collection(path, depth + 1);
    if (c === '"' || c === "'") return this.quoted();
    return this.plain(true);
  }

  private collection(path: string, depth: number): { value: unknown; range: OffsetRange } {
    if (depth > MAX_FLOW_DEPTH) giveUp();
    const source = this.source;
    const start = this.at;
    const isMap = source[start] === "{";
    const close = isMap ? "}" : "]";
    const prefix = path === "" ? "" : `${path}\u0000`;
    const map: Record<string, unknown> = {};
    const list: unknown[] = [];
    this.at++;
    this.spaces();
    if (source[this.at] === close) {
      this.at++;
      return { value: isMap ? map : list, range: [start, this.at] };
    }
    for (;;) {
      if (isMap) {
        KEY.lastIndex = this.at;
        const match = KEY.exec(source);
        if (!match || this.at + match[0].length + 2 > this.end) giveUp();
        const key = match[0];
        const keyRange: OffsetRange = [this.at, this.at + key.length];
        if (key.length > MAX_KEY_LENGTH || key === "__proto__" || key in map || typeof resolvePlain(key) !== "string") giveUp();
        this.at += key.length + 2; // the key and `: `
        this.spaces();
        const item = this.value(prefix + key, depth);
        map[key] = item.value;
        this.locations?.set(prefix + key, { key: keyRange, value: item.range });
      } else {
        const item = this.value(prefix + list.length, depth);
        this.locations?.set(prefix + list.length, { value: item.range });
        list.push(item.value);
      }
      this.spaces();
      const c = source[this.at];
      if (c === close) {
        this.at++;
        return { value: isMap ? map : list, range: [start, this.at] };
      }
      if (c !== ",") giveUp();
      this.at++;
      this.spaces();
      if (source[this.at] === close || this.at >= this.end) giveUp(); // a trailing comma, or a collection continued below
    }
  }

  /** A one-line quoted scalar without escapes. */
  private quoted(): { value: unknown; range: OffsetRange } {
    const source = this.source;
    const start = this.at;
    const quote = source[start]!;
    let text = "";
    let from = start + 1;
    for (;;) {
      const close = source.indexOf(quote, from);
      if (close === -1 || close >= this.end) giveUp(); // continued on the next line
      if (quote === '"') {
        text = source.slice(start + 1, close);
        if (text.includes("\\")) giveUp();
        this.at = close + 1;
        break;
      }
      if (source[close + 1] === "'") {
        text += source.slice(from, close + 1);
        from = close + 2;
        continue;
      }
      text += source.slice(from, close);
      this.at = close + 1;
      break;
    }
    // A quoted key (`"a": b`) is left to yaml.
    if (source[this.at] === ":") giveUp();
    return { value: text, range: [start, this.at] };
  }

  /** A plain scalar on one line: in flow context it stops at `,]}`; `: ` or ` #` inside is left to yaml. */
  private plain(inFlow: boolean): { value: unknown; range: OffsetRange } {
    const source = this.source;
    const start = this.at;
    if (INDICATOR.test(source[start]!) && !(source[start] === "-" && /[0-9A-Za-z.]/.test(source[start + 1] ?? ""))) giveUp();
    let at = start;
    let valueEnd = start;
    while (at < this.end) {
      const c = source[at]!;
      if (c === " ") {
        if (source[at + 1] === "#") break;
        at++;
        continue;
      }
      if (inFlow && (c === "," || c === "]" || c === "}")) break;
      if (inFlow && (c === "[" || c === "{" || c === ":" || c === "#")) giveUp();
      if (c === ":" && (at + 1 === this.end || source[at + 1] === " ")) giveUp(); // a nested mapping
      at++;
      valueEnd = at;
    }
    if (valueEnd === start) giveUp();
    this.at = valueEnd;
    const value = resolvePlain(source.slice(start, valueEnd));
    return { value, range: [start, valueEnd] };
  }

  private spaces(): void {
    while (this.at < this.end && this.source.charCodeAt(this.at) === 32) this.at++;
  }
}

/**
 * A plain scalar as yaml's YAML 1.2 core schema resolves it (yaml/dist/schema/core): null, booleans
 * and decimal, octal and hexadecimal integers and floats; `.inf` and `.nan` are left to yaml.
 */
function resolvePlain(text: string): unknown {
  // Most keys and values start with a letter that none of the schema's patterns starts with.
  const first = text.charCodeAt(0);
  if (((first >= 65 && first <= 90) || (first >= 97 && first <= 122)) && !"nNtTfF".includes(text[0]!)) return text;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text)) return text[0] === "t" || text[0] === "T";
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(text)) return parseInt(text, 10);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) giveUp();
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text) && /[.eE]/.test(text)) return parseFloat(text);
  return text;
}
