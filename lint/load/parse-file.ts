import type { CST, Document, Node, YAMLError } from "yaml";
import { KINDS } from "../../schema/config-types.js";
import type { LoadedDocument, LoadedFile, LocationIndex, OffsetRange } from "../model.js";
import { MAX_COMMENT_LINES, MAX_NODES, offsetPastNodeLimit, scanCommentLines } from "./count-nodes.js";
import { explainSyntaxErrors } from "./explain-syntax.js";
import { byteToCharOffset, decodeSource, DEFAULT_MAX_FILE_BYTES } from "./decode-source.js";
import { lineIndex } from "./line-index.js";
import { readPlainYaml, type PlainDocument } from "./read-plain-yaml.js";
import { findSensitive, findSensitiveInPlain, type Sensitive } from "./sensitive.js";
import { sourceLines, type SourceLines } from "./source-lines.js";
import { yamlMessage } from "./yaml-message.js";
import { yaml } from "./yaml-on-demand.js";

/** A problem found while turning bytes into documents; reported by the rule named `ruleId`. */
export interface LoadProblem {
  ruleId: "yaml-syntax" | "duplicate-key" | "yaml-anchors" | "empty-file";
  range: OffsetRange;
  message: string;
}

export interface ParsedFile extends LoadedFile {
  problems: LoadProblem[];
  /** Comment tokens (offset + text), for inline suppressions. */
  comments: Array<{ offset: number; text: string }>;
  /**
   * Part of the file never became documents (bad bytes, a limit, documents cut short or swallowed
   * by a syntax error): it may hold anything, so no rule may say something is missing from the tree.
   */
  incomplete?: boolean;
}

/** Aliases resolved per document before we call it an alias bomb (yaml's own default is 100). */
const MAX_ALIAS_COUNT = 100;

export interface ParseOptions {
  maxFileBytes?: number;
  /** Always take yaml's full path (the plain reader's differential test compares the two). */
  fullYaml?: boolean;
}

export function parseFile(file: string, bytes: Uint8Array, options: ParseOptions = {}): ParsedFile {
  const decoded = decodeSource(bytes, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  if (!("text" in decoded)) {
    // Position the message at the bad byte when the text before it is decodable.
    const prefix = bytes.subarray(0, decoded.byteOffset);
    const at = decoded.byteOffset === 0 ? 0 : byteToCharOffset(bytes, decoded.byteOffset);
    const source = new TextDecoder("utf-8").decode(prefix);
    return emptyFile(file, source, [{ ruleId: "yaml-syntax", range: [at, at], message: decoded.problem }]);
  }
  const source = decoded.text;
  if (source.trim() === "") {
    return emptyFile(file, source, [{ ruleId: "empty-file", range: [0, 0], message: "file has no YAML documents" }]);
  }
  // The cheap line scan first: the node count runs yaml's lexer over the whole file.
  const comments = scanCommentLines(source);
  if (!comments.content) return emptyFile(file, source, [{ ruleId: "empty-file", range: [0, 0], message: ONLY_COMMENTS }]);
  if (comments.pastLimit !== undefined) {
    return emptyFile(file, source, [{ ruleId: "yaml-syntax", range: [comments.pastLimit, comments.pastLimit], message: `more than ${MAX_COMMENT_LINES} comment lines in one file; not checked` }]);
  }
  const pastLimit = offsetPastNodeLimit(source);
  if (pastLimit !== undefined) {
    return emptyFile(file, source, [{ ruleId: "yaml-syntax", range: [pastLimit, pastLimit], message: `more than ${MAX_NODES} YAML nodes in one file; not checked` }]);
  }
  const plain = options.fullYaml ? undefined : readPlainYaml(source, { locations: false });
  if (plain) return plainFile(file, source, plain);
  const { tokens, cut } = parseTokens(source);
  try {
    return parseText(file, source, tokens, cut);
  } catch (error) {
    // yaml and our walkers recurse per nesting level; absurd nesting must not crash the run.
    if (error instanceof RangeError) {
      return emptyFile(file, source, [{ ruleId: "yaml-syntax", range: [0, 0], message: "nesting is too deep to process safely" }]);
    }
    throw error;
  }
}

/** A file the plain reader could read whole: no syntax errors, duplicate keys, anchors or suppressions by construction. */
function plainFile(file: string, source: string, plain: readonly PlainDocument[]): ParsedFile {
  // Read without positions; a file asked for one is read again with them (see NoLocations).
  let located: PlainDocument[] | undefined;
  const locate = () => (located ??= readPlainYaml(source)!);
  const documents = plain.map(
    ({ value }, index): LoadedDocument => ({
      file,
      index,
      hasSyntaxErrors: false,
      value,
      ...headOf(value),
      get locations() {
        const locations = locate()[index]!.locations;
        Object.defineProperty(this, "locations", { value: locations });
        return locations;
      },
    }),
  );
  return withSensitive({ file, source, position: lineIndex(source), documents, problems: [], comments: [] }, () => findSensitiveInPlain(source, locate()));
}

function emptyFile(file: string, source: string, problems: LoadProblem[]): ParsedFile {
  const incomplete = problems.some((p) => p.ruleId === "yaml-syntax");
  // A file over a limit, or of comments alone, is not parsed even now; the raw-text scans cover it.
  const tokens = () => {
    const comments = scanCommentLines(source);
    return comments.content && comments.pastLimit === undefined && offsetPastNodeLimit(source) === undefined ? parseTokens(source).tokens : [];
  };
  return withSensitive({ file, source, position: lineIndex(source), documents: [], problems, comments: [], ...(incomplete ? { incomplete } : {}) }, () => findSensitive(source, tokens(), incomplete));
}

/**
 * Adds what must never be printed, worked out on first use: most files of a clean tree are never
 * shown in a report. The CST is parsed again then rather than kept: keeping it for every file
 * cost a clean 1,000-file run a third more time in garbage collection.
 */
function withSensitive(parsed: Omit<ParsedFile, "sensitive" | "secretTexts">, decide: () => Sensitive): ParsedFile {
  let found: Sensitive | undefined;
  const find = () => (found ??= decide());
  return Object.defineProperties(parsed, {
    sensitive: { enumerable: true, get: () => find().ranges },
    secretTexts: { enumerable: true, get: () => find().texts },
  }) as ParsedFile;
}

/**
 * Documents read from one file, and as many other top-level items (`...` markers, directives,
 * stray tokens). An 8 MB file of `---` lines holds two million empty documents, which took
 * gigabytes and minutes.
 */
export const MAX_DOCUMENTS = 10_000;

/** Where the CST was cut short, and what there was too much of. */
interface Cut {
  at: number;
  what: "documents" | "top-level tokens";
}

/**
 * yaml's CST, streamed and cut after MAX_DOCUMENTS, before anything is built for the rest. Blank
 * lines and comments between documents are dropped as they stream by (the composer only turns
 * them into document comments, which nothing here reads), except the suppression comments; a
 * file of four million `#` lines is then as cheap as an empty one.
 */
function parseTokens(source: string): { tokens: CST.Token[]; cut?: Cut } {
  const tokens: CST.Token[] = [];
  let documents = 0;
  let others = 0;
  for (const token of new (yaml().Parser)().parse(source)) {
    if (token.type === "space" || token.type === "newline" || token.type === "byte-order-mark") continue;
    if (token.type === "comment") {
      if (token.source.includes("dojo-jira-disable")) tokens.push(token);
      continue;
    }
    const document = token.type === "document";
    if ((document ? ++documents : ++others) > MAX_DOCUMENTS) return { tokens, cut: { at: token.offset, what: document ? "documents" : "top-level tokens" } };
    tokens.push(token);
  }
  return { tokens };
}

function parseText(file: string, source: string, tokens: CST.Token[], cut: Cut | undefined): ParsedFile {
  const problems: LoadProblem[] = [];
  const comments: ParsedFile["comments"] = [];
  if (source.includes("dojo-jira-disable")) collectComments(tokens, comments);
  // logLevel "error": a mapping used as a key is reported by the schema rule, not as a Node warning on stderr.
  // uniqueKeys off: yaml compares each new key with every earlier one (49,000 keys took 13 s); findDuplicateKeys is linear.
  const { Composer, isScalar } = yaml();
  const composer = new Composer({ uniqueKeys: false, merge: false, prettyErrors: false, strict: true, logLevel: "error" });
  const documents: LoadedDocument[] = [];
  const mayHaveAnchors = source.includes("*") || source.includes("<<");
  let lines: SourceLines | undefined;
  let incomplete = cut !== undefined;
  for (const doc of composer.compose(tokens, false, source.length)) {
    findDuplicateKeys(doc.contents, source, problems);
    const syntax = doc.errors;
    if (syntax.length > 0) {
      lines ??= sourceLines(source);
      for (const problem of explainSyntaxErrors(syntax, lines, openQuoteFinder(doc))) problems.push({ ruleId: "yaml-syntax", ...problem });
      // An unclosed quote or bracket can run over `---` and swallow the documents after it.
      if (/^---(?:[ \t]|\r?$)/m.test(source.slice(firstOffset(syntax), rangeOf(doc.contents)?.[1] ?? 0))) incomplete = true;
    }
    for (const warning of doc.warnings) {
      problems.push({ ruleId: "yaml-syntax", range: warning.pos, message: yamlMessage(warning) });
    }
    if (mayHaveAnchors) findAnchorsAndMerges(doc.contents, problems);
    // Duplicate keys leave the shape certain, so cross-file rules still get the value; other
    // syntax errors do not (and building a broken deep document can take very long).
    const value = doc.errors.length === 0 ? boundedValue(doc, problems) : undefined;
    const index = documents.length;
    const blank = doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);
    if (blank && doc.errors.length === 0) continue; // a lone `---` or a comment-only document
    documents.push(loadedDocument(file, index, doc, value, syntax, source));
  }
  capSyntaxProblems(problems);
  if (cut) problems.push({ ruleId: "yaml-syntax", range: [cut.at, cut.at], message: `more than ${MAX_DOCUMENTS} ${cut.what} in one file; the rest is not checked` });
  if (documents.length === 0 && problems.length === 0) {
    problems.push({ ruleId: "empty-file", range: [0, 0], message: ONLY_COMMENTS });
  }
  // Within every limit (parseFile checked): the tokens again, not the checks.
  return withSensitive({ file, source, position: lineIndex(source), documents, problems, comments, ...(incomplete ? { incomplete } : {}) }, () =>
    findSensitive(source, parseTokens(source).tokens, problems.some((p) => p.ruleId === "yaml-syntax")),
  );
}

function firstOffset(errors: readonly YAMLError[]): number {
  return Math.min(...errors.map((e) => e.pos[0]));
}

function boundedValue(doc: Document.Parsed, problems: LoadProblem[]): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    // An alias whose anchor is in another document (or nowhere) is no alias bomb: say which it is.
    const unresolved = error.message.startsWith("Unresolved alias") ? unresolvedAlias(doc) : undefined;
    // That alias also got the yaml-anchors warning: one mistake, one message.
    if (unresolved) problems.splice(0, problems.length, ...problems.filter((p) => p.ruleId !== "yaml-anchors" || p.range.join() !== unresolved.range.join()));
    problems.push(
      unresolved
        ? { ruleId: "yaml-syntax", range: unresolved.range, message: `alias *${unresolved.name} has no anchor &${unresolved.name} before it in this document (anchors do not reach across documents or files); write the value out` }
        : { ruleId: "yaml-syntax", range: rangeOf(doc.contents) ?? [0, 0], message: `aliases expand too much (over ${MAX_ALIAS_COUNT}): refusing a possible alias bomb` },
    );
    return undefined;
  }
}

function unresolvedAlias(doc: Document.Parsed): { name: string; range: OffsetRange } | undefined {
  let found: { name: string; range: OffsetRange } | undefined;
  const { visit } = yaml();
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      found = { name: node.source, range: rangeOf(node) ?? [0, 0] };
      return visit.BREAK;
    },
  });
  return found;
}

/** Where the quoted scalar that runs on to an offset (yaml found it unclosed there) opens; the document is walked once. */
function openQuoteFinder(doc: Document.Parsed): (offset: number) => number | undefined {
  let quoted: OffsetRange[] | undefined;
  return (offset) => {
    if (!quoted) {
      const found: OffsetRange[] = [];
      yaml().visit(doc, {
        Scalar(_key, node) {
          if ((node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") && node.range) found.push([node.range[0], node.range[1]]);
        },
      });
      quoted = found;
    }
    let start: number | undefined;
    for (const range of quoted) if (range[0] < offset && range[1] >= offset && (start === undefined || range[0] > start)) start = range[0];
    return start;
  };
}

function loadedDocument(file: string, index: number, doc: Document.Parsed, value: unknown, syntax: readonly YAMLError[], source: string): LoadedDocument {
  const head = value === undefined ? certainHead(doc.contents, syntax.length > 0 ? source.lastIndexOf("\n", firstOffset(syntax) - 1) + 1 : Infinity) : headOf(value);
  const unknown = value === undefined && head.apiVersion === undefined && head.kind === undefined;
  return {
    file,
    index,
    hasSyntaxErrors: syntax.length > 0,
    value,
    ...head,
    ...(unknown ? { mentionsOurFormat: OUR_FORMAT.test(source.slice(doc.range[0], doc.range[2])) } : {}),
    // Built on first use: most documents of a clean tree are never asked for a position.
    get locations() {
      const locations = indexLocations(doc.contents);
      Object.defineProperty(this, "locations", { value: locations });
      return locations;
    },
  };
}

type Head = Pick<LoadedDocument, "apiVersion" | "kind" | "name">;

const OUR_FORMAT = new RegExp(`defectdojo-jira/|\\b(?:${KINDS.join("|")})\\b`);

function headOf(value: unknown): Head {
  const record = isRecord(value) ? value : undefined;
  const metadata = record && isRecord(record.metadata) ? record.metadata : undefined;
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  return { apiVersion: text(record?.apiVersion), kind: text(record?.kind), name: text(metadata?.name) };
}

/**
 * What a document that could not be built says for certain: the plain scalars `apiVersion`, `kind`
 * and `metadata.name` that end before the line of its first syntax error (yaml reads a line wrong
 * from the line above it at the earliest), never through an alias.
 */
function certainHead(root: Node | null, limit: number): Head {
  const { isMap, isScalar } = yaml();
  const entry = (map: unknown, key: string): unknown => (isMap(map) ? map.items.find((p) => isScalar(p.key) && p.key.value === key)?.value : undefined);
  const certain = (node: unknown) => (isScalar(node) && typeof node.value === "string" && (rangeOf(node)?.[1] ?? Infinity) <= limit ? node.value : undefined);
  return { apiVersion: certain(entry(root, "apiVersion")), kind: certain(entry(root, "kind")), name: certain(entry(entry(root, "metadata"), "name")) };
}

/** Records the range of every key and value once, iteratively (nesting depth is attacker-controlled). */
function indexLocations(root: Node | null): LocationIndex {
  const { isMap, isScalar, isSeq } = yaml();
  const index: LocationIndex = new Map();
  const rootRange = rangeOf(root);
  if (!rootRange) return index;
  index.set("", { value: rootRange });
  const stack: Array<{ node: unknown; path: string }> = [{ node: root, path: "" }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    const prefix = path === "" ? "" : `${path}\u0000`;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const childPath = prefix + String(pair.key.value);
        if (index.has(childPath)) continue; // a duplicate key: the first one stays where it is
        const key = rangeOf(pair.key);
        index.set(childPath, { key, value: rangeOf(pair.value) ?? key ?? [0, 0] });
        if (pair.value) stack.push({ node: pair.value, path: childPath });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const range = rangeOf(item);
        if (!range) return;
        index.set(prefix + i, { value: range });
        stack.push({ node: item, path: prefix + i });
      });
    }
  }
  return index;
}

function rangeOf(node: unknown): OffsetRange | undefined {
  if (node && typeof node === "object" && "range" in node) {
    const range = (node as { range?: [number, number, number] | null }).range;
    if (range) return [range[0], range[1]];
  }
  return undefined;
}

function findAnchorsAndMerges(contents: Node | null, problems: LoadProblem[]): void {
  if (!contents) return;
  const { isScalar, visit } = yaml();
  visit(contents, {
    Alias(_key, node) {
      problems.push({ ruleId: "yaml-anchors", range: rangeOf(node) ?? [0, 0], message: `alias *${node.source} repeats a value by reference; write it out so reviewers see what is configured` });
    },
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === "<<") {
        problems.push({ ruleId: "yaml-anchors", range: rangeOf(pair.key) ?? [0, 0], message: "merge key `<<` is not part of YAML 1.2 and is not supported; write the fields out" });
      }
    },
  });
}

function collectComments(tokens: unknown, out: ParsedFile["comments"]): void {
  const stack: unknown[] = [tokens];
  while (stack.length > 0) {
    const item = stack.pop();
    if (Array.isArray(item)) {
      for (const child of item) stack.push(child);
    } else if (item && typeof item === "object") {
      const token = item as { type?: string; offset?: number; source?: string };
      if (token.type === "comment" && typeof token.offset === "number" && typeof token.source === "string") {
        out.push({ offset: token.offset, text: token.source });
      }
      for (const child of Object.values(item)) if (child && typeof child === "object") stack.push(child);
    }
  }
}

/** Keys that repeat in one mapping, as yaml's uniqueKeys decides it (scalars by value), in one pass with a Set per mapping. */
function findDuplicateKeys(root: Node | null, source: string, problems: LoadProblem[]): void {
  const { isMap, isScalar, isSeq } = yaml();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          if (seen.has(pair.key.value)) {
            const at = rangeOf(pair.key)?.[0] ?? 0;
            problems.push({ ruleId: "duplicate-key", range: [at, at + 1], message: duplicateKeyMessage(source, [at, at + 1]) });
          }
          seen.add(pair.key.value);
        } else if (pair.key) stack.push(pair.key);
        if (pair.value) stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
}

function duplicateKeyMessage(source: string, pos: [number, number]): string {
  const key = /^[^:\n]{1,60}/.exec(source.slice(pos[0]))?.[0].trim();
  return key ? `duplicate key "${key}": YAML keeps only one of them` : "duplicate key: YAML keeps only one of them";
}

const ONLY_COMMENTS = "file has no YAML documents (only comments or separators)";

/** One broken bracket can cascade into hundreds of messages; the first few say it all. */
const MAX_SYNTAX_PROBLEMS = 10;

function capSyntaxProblems(problems: LoadProblem[]): void {
  const syntax = problems.filter((p) => p.ruleId === "yaml-syntax");
  if (syntax.length <= MAX_SYNTAX_PROBLEMS) return;
  const dropped = new Set(syntax.slice(MAX_SYNTAX_PROBLEMS));
  const last = syntax[MAX_SYNTAX_PROBLEMS]!;
  problems.splice(0, problems.length, ...problems.filter((p) => !dropped.has(p)), {
    ruleId: "yaml-syntax",
    range: last.range,
    message: `${dropped.size} more syntax errors follow; fix the ones above first`,
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
