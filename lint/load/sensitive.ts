import type { CST } from "yaml";
import { yaml } from "./yaml-on-demand.js";
import type { OffsetRange } from "../model.js";
import type { PlainDocument } from "./read-plain-yaml.js";
import { isSecretKey, secretKind } from "../rules/util/secret-patterns.js";

/** What of a file must never be printed: code frames mask the ranges, messages the texts. */
export interface Sensitive {
  ranges: OffsetRange[];
  /** The text of each range, raw and as YAML reads it. */
  texts: string[];
}

type Scalar = CST.FlowScalar | CST.BlockScalar;

/** Keys under a secret field that name where the secret comes from, not the secret. */
const REFERENCE_KEYS = new Set(["fromConfig", "fromEnv"]);

/**
 * The one masking decision of the linter, made from the raw text (the CST, which yaml builds even
 * for broken files) so that it holds whatever the rules make of the document: every scalar under
 * a key that names a credential (in a flow mapping too, where only the `fromConfig`/`fromEnv`
 * name is spared), the anchored values such a key aliases, the userinfo of URLs, and any key or
 * value that looks like a credential (the patterns of secret-like-value). A file with syntax
 * errors also gets every `secret-key: rest of line` of its text, since a broken file may not parse
 * into the pairs it was meant to hold. Code frames mask the ranges; the engine masks the texts in
 * every message, so no rule can quote what a frame hides.
 */
export function findSensitive(source: string, tokens: readonly CST.Token[], broken: boolean): Sensitive {
  const found: Sensitive = { ranges: [], texts: [] };
  const mark = (range: OffsetRange, parsed?: string) => {
    found.ranges.push(range);
    found.texts.push(source.slice(range[0], range[1]));
    if (parsed !== undefined) found.texts.push(parsed);
  };
  const anchors = new Map<string, Set<CST.Token>>();
  const anchor = (props: readonly CST.SourceToken[] | undefined, target: CST.Token | null | undefined) => {
    for (const prop of props ?? []) {
      if (prop.type !== "anchor" || !target) continue;
      const name = prop.source.slice(1);
      anchors.set(name, (anchors.get(name) ?? new Set()).add(target));
    }
  };
  const secretAliases: string[] = [];
  const aliasKeys: Array<{ name: string; value: CST.Token }> = [];
  // Each token is walked once as a secret at most, so alias chains and alias bombs stay linear.
  const walkedAsSecret = new Set<CST.Token>();
  // Iterative: nesting depth is attacker-controlled.
  const stack = tokens.map((token) => ({ token, secret: false }));
  const walk = () => {
    while (stack.length > 0) {
      const { token, secret } = stack.pop()!;
      if (secret) {
        if (walkedAsSecret.has(token)) continue;
        walkedAsSecret.add(token);
      }
      if (token.type === "document") {
        anchor(token.start, token.value);
        if (token.value) stack.push({ token: token.value, secret });
      } else if (token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection") {
        for (const item of token.items) {
          anchor(item.start, "key" in item && item.key ? item.key : item.value);
          anchor("sep" in item ? item.sep : undefined, item.value);
          const key = "key" in item ? scalarOf(item.key) : undefined;
          // An alias as the key (`*k : value`, `&k password` elsewhere): decided once anchors are known.
          if ("key" in item && item.key?.type === "alias" && item.value && !secret) aliasKeys.push({ name: item.key.source.slice(1), value: item.value });
          // Under a secret field even a key is secret (`password: {Hunter2}` is a one-key mapping),
          // except the reference keys themselves.
          if ("key" in item && item.key) stack.push({ token: item.key, secret: secret && !(key && REFERENCE_KEYS.has(key.value)) });
          if (item.value) stack.push({ token: item.value, secret: secret ? !(key && REFERENCE_KEYS.has(key.value)) : !!key && isSecretKey(key.value) });
        }
      } else if (token.type === "alias") {
        if (secret) secretAliases.push(token.source.slice(1));
      } else if (isScalar(token)) {
        const scalar = scalarOf(token)!;
        // A block scalar's text starts after its header.
        const text = { raw: token.source, start: scalar.range[1] - token.source.length, plain: token.type === "scalar" };
        if (secret) markScalar(text, scalar, mark);
        else markCredentialLike(text, scalar, mark);
      }
    }
  };
  walk();
  // `username: &pw Hunter2` … `password: *pw`: the anchored value is the secret. And `&k password`
  // … `*k : Hunter2`: the value under a key that reads as a secret one.
  for (const { name, value } of aliasKeys) {
    if ([...(anchors.get(name) ?? [])].some((token) => isSecretKey(scalarOf(token)?.value ?? ""))) stack.push({ token: value, secret: true });
  }
  walk();
  for (let name = secretAliases.pop(); name !== undefined; name = secretAliases.pop()) {
    for (const token of anchors.get(name) ?? []) stack.push({ token, secret: true });
    walk();
  }
  if (broken) markSecretLines(source, mark);
  markSecretComments(source, mark);
  return found;
}

function isScalar(token: CST.Token): token is Scalar {
  return token.type === "scalar" || token.type === "single-quoted-scalar" || token.type === "double-quoted-scalar" || token.type === "block-scalar";
}

function scalarOf(token: CST.Token | null | undefined): { value: string; range: OffsetRange } | undefined {
  if (!token || !isScalar(token)) return undefined;
  const resolved = yaml().CST.resolveAsScalar(token, false, () => undefined);
  return { value: resolved.value, range: [resolved.range[0], resolved.range[1]] };
}

/** A plain `true`, `false` or `null` is no secret (`disableWebhookSecret: true`). */
const NOT_A_STRING = /^(?:true|false|null|~)?$/i;

/** A scalar's source text, where it starts, and whether it is plain (unquoted, not a block scalar). */
interface ScalarText {
  raw: string;
  start: number;
  plain: boolean;
}

function markScalar(text: ScalarText, scalar: { value: string; range: OffsetRange }, mark: (range: OffsetRange, parsed?: string) => void): void {
  if (text.plain && NOT_A_STRING.test(text.raw)) return;
  mark(scalar.range, scalar.value);
}

/**
 * `scheme://user:password@`: group 1 is the scheme and `//`, group 2 the userinfo. The scheme is
 * bounded (and only text holding "://" is searched), so a long `a+a+a+…` costs linear time.
 */
const USERINFO = /\b([a-z][a-z0-9+.-]{0,31}:\/\/)([^/\s?#@]+)@/gi;

/** `password:Hunter2` with no space after the colon: one plain scalar, a key in a flow mapping or a value. */
const GLUED_PAIR = /^[ \t]*([\w.-]+)[ \t]*[:=]+[ \t]*(\S[^]*)$/;

/** URL userinfo, and the whole scalar if it looks like a credential (a token used as a key too). */
function markCredentialLike(text: ScalarText, scalar: { value: string; range: OffsetRange }, mark: (range: OffsetRange, parsed?: string) => void): void {
  const written = text.raw.includes("://") ? [...text.raw.matchAll(USERINFO)] : [];
  const read = scalar.value.includes("://") ? [...scalar.value.matchAll(USERINFO)] : [];
  // Messages quote the value as YAML reads it (quotes doubled, escapes, folded lines): each
  // userinfo is masked as written and as read, and where the two do not line up, the whole value.
  written.forEach((match, i) => {
    const at = text.start + match.index + match[1]!.length;
    mark([at, at + match[2]!.length], read[i]?.[2]);
  });
  if (read.length > written.length) mark(scalar.range, scalar.value);
  const glued = GLUED_PAIR.exec(scalar.value);
  // A URL's password alone is masked above; the rest of the URL stays readable.
  if ((glued && isSecretKey(glued[1]!)) || secretKind(scalar.value.includes("://") ? scalar.value.replace(USERINFO, "$1") : scalar.value)) mark(scalar.range, scalar.value);
}

/**
 * findSensitive's decision for a file the plain reader read (read-plain-yaml.ts), from its values
 * and ranges instead of yaml's CST, so that reporting on a clean file does not load yaml and parse
 * it again. Such a file has no aliases, anchors, block scalars or syntax errors, so the walk is
 * findSensitive's without them: the same keys make values secret, the same scalars are marked.
 */
export function findSensitiveInPlain(source: string, documents: readonly PlainDocument[]): Sensitive {
  const found: Sensitive = { ranges: [], texts: [] };
  const mark = (range: OffsetRange, parsed?: string) => {
    found.ranges.push(range);
    found.texts.push(source.slice(range[0], range[1]));
    if (parsed !== undefined) found.texts.push(parsed);
  };
  const scalar = (range: OffsetRange, value: unknown, secret: boolean) => {
    const raw = source.slice(range[0], range[1]);
    const plain = raw[0] !== "'" && raw[0] !== '"';
    // As yaml's CST reads it: a plain scalar's text is its source, whatever the schema makes of it.
    const parsed = { value: plain ? raw : (value as string), range };
    if (secret) markScalar({ raw, start: range[0], plain }, parsed, mark);
    else markCredentialLike({ raw, start: range[0], plain }, parsed, mark);
  };
  for (const { value, locations } of documents) {
    // Iterative like findSensitive, though the plain reader bounds nesting anyway.
    const stack: Array<{ value: unknown; path: string; secret: boolean }> = [{ value, path: "", secret: false }];
    while (stack.length > 0) {
      const { value, path, secret } = stack.pop()!;
      const prefix = path === "" ? "" : `${path}\u0000`;
      if (Array.isArray(value)) {
        value.forEach((item, i) => stack.push({ value: item, path: prefix + i, secret }));
      } else if (value !== null && typeof value === "object") {
        for (const [key, item] of Object.entries(value)) {
          const reference = REFERENCE_KEYS.has(key);
          scalar(locations.get(prefix + key)!.key!, key, secret && !reference);
          stack.push({ value: item, path: prefix + key, secret: secret ? !reference : isSecretKey(key) });
        }
      } else {
        scalar(locations.get(path)!.value, value, secret);
      }
    }
  }
  markSecretComments(source, mark);
  return found;
}

/**
 * `key<separator>rest of line`, the key quoted or not, in block or flow style, with or without a
 * space after the separator: group 2 is the key, group 3 the rest.
 */
const keyAndRest = (separator: string) => new RegExp(`(?<=^|[\\s{,[])(["']?)([\\w.-]+)\\1[ \\t]*(?:${separator})(?:[ \\t]*([^\\r\\n]+))?`, "g");

/** `password: …` anywhere on a line. */
const KEY_AND_REST = keyAndRest(":");

/** In a comment, also `password=…` and `password -> …` (a shell line, a note). */
const COMMENT_PAIR = keyAndRest(":|=|->");

/** Comment words are read in pieces of at most this many characters; a piece that long is a pasted blob. */
const LONG_WORD = 4096;
const COMMENT_WORD = new RegExp(`[^\\s"'\`,;()<>[\\]{}]{12,${LONG_WORD}}`, "g");

/**
 * Comments are text a reviewer reads too: a commented-out `password: …` or a token pasted into a
 * comment is still a secret. A `#` at a line's start or after a blank starts a comment, as in YAML;
 * one inside a quoted value may mask a little more than needed, never less.
 */
function markSecretComments(source: string, mark: (range: OffsetRange) => void): void {
  for (const comment of source.matchAll(/(?<=^|[ \t])#([^\r\n]*)/gm)) {
    const body = comment[1]!;
    if (body.length < 4) continue; // no `k: v`, no token: the common `#` rule line costs nothing more
    const start = comment.index + 1;
    for (const pair of body.matchAll(COMMENT_PAIR)) {
      const rest = pair[3] ?? "";
      if (rest !== "" && isSecretKey(pair[2]!)) mark([start + pair.index + pair[0].length - rest.length, start + body.length]);
    }
    // In pieces (an unbounded run overflowed the regex stack on a megabytes-long comment).
    for (const word of body.matchAll(COMMENT_WORD)) {
      if (word[0].length === LONG_WORD || secretKind(word[0]) !== undefined) mark([start + word.index, start + word.index + word[0].length]);
    }
  }
}

/**
 * For files yaml could not parse: the rest of the line after a secret key, and the more indented
 * lines below it (a block scalar or a continued value).
 */
function markSecretLines(source: string, mark: (range: OffsetRange) => void): void {
  let covered = 0; // lines already masked as a continuation need no second look (and keep this linear)
  for (const match of source.matchAll(KEY_AND_REST)) {
    if (match.index < covered || !isSecretKey(match[2]!)) continue;
    const lineStart = source.lastIndexOf("\n", match.index - 1) + 1;
    const indent = /^[ \t]*/.exec(source.slice(lineStart))![0].length;
    let end = source.indexOf("\n", match.index);
    if (end === -1) end = source.length;
    const rest = match[3] ?? "";
    if (rest !== "") mark([match.index + match[0].length - rest.length, end]);
    // Continuation lines: deeper-indented or blank, up to the next line at the key's level.
    let next = end + 1;
    while (next < source.length) {
      const lineEnd = source.indexOf("\n", next) === -1 ? source.length : source.indexOf("\n", next);
      const line = source.slice(next, lineEnd);
      if (line.trim() !== "" && /^[ \t]*/.exec(line)![0].length <= indent) break;
      if (line.trim() !== "") mark([next, lineEnd]);
      next = lineEnd + 1;
    }
    covered = next;
  }
}

/** Shorter texts are too likely to occur in a message by chance (`true`, `PAY`). */
const MIN_MASKED_LENGTH = 4;

/**
 * Replaces every occurrence of a secret text in a message by `***`, whatever its case (a hint may
 * upper-case a value), and drops a did-you-mean that would only have shown it.
 */
export function secretMasker(texts: Iterable<string>): (message: string) => string {
  // Longest first, so that a secret containing another is masked whole.
  const unique = [...new Set([...texts].flatMap((t) => t.split(/\r?\n/)).map((t) => t.trim()))].filter((t) => t.length >= MIN_MASKED_LENGTH).sort((a, b) => b.length - a.length);
  if (unique.length === 0) return (message) => message;
  // One pattern of every secret, run over every message, grew with files × secrets × messages (a
  // file of 1,200 instances took 13 s): each message gets a pattern of the secrets it may hold.
  // The cheap test folds case as the pattern's /iu does for ASCII ("ſ" reads as "s"); a secret
  // with other characters is always in the pattern.
  const candidates = unique.map((text) => ({ escaped: text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), folded: /^[\x20-\x7e]*$/.test(text) ? text.toLowerCase() : undefined }));
  return (message) => {
    const folded = message.toLowerCase().replaceAll("ſ", "s");
    const present = candidates.filter((c) => c.folded === undefined || folded.includes(c.folded)).map((c) => c.escaped);
    const masked = present.length === 0 ? message : message.replace(new RegExp(present.join("|"), "giu"), "***");
    return masked.replace(/; did you mean "[^"]*\*\*\*[^"]*"\?| \(did you mean "[^"]*\*\*\*[^"]*"\?\)/g, "");
  };
}
