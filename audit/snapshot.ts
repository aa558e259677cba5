import type { ParsedFile } from "../lint/load/parse-file.js";
import { isRecord } from "../lint/load/parse-file.js";
import type { LintResult, LoadedDocument, OffsetRange, Position } from "../lint/model.js";
import { checkSchema } from "../lint/schema-check.js";
import { naturalKey } from "../provider/drift.js";

/** One document of a config tree as the audit compares it, valid or not. */
export interface SnapshotDocument {
  file: string;
  kind: string;
  name: string;
  /** The natural key; only a document that passes the schema is sure to have one. */
  key?: string;
  /** What is compared: spec and options as written. */
  fields: { spec: unknown; options: unknown };
  /** Rule ids of this document's lint errors, sorted; empty when it is valid. */
  errors: string[];
  /** Dot paths of values the linter treats as secret (literal credentials): compared, never shown. */
  sensitive: ReadonlySet<string>;
}

/** A file the diff could not compare, and why. */
export interface Unread {
  file: string;
  reason: string;
  /** Its git blob, so that a file unchanged between two revisions is not reported again. */
  blob?: string;
}

export interface Snapshot {
  label: string;
  documents: SnapshotDocument[];
  unread: Unread[];
}

/**
 * A linted tree as the audit sees it. Invalid documents stay in, with their errors: one that
 * became invalid has not been removed, and a sibling's error in the same file changes nothing.
 */
export function snapshotOf(label: string, files: readonly ParsedFile[], results: readonly LintResult[], options: { skipped?: Unread[]; blobs?: ReadonlyMap<string, string> } = {}): Snapshot {
  const errors = new Map<string, LintResult[]>();
  for (const r of results) {
    if (r.severity !== "error") continue;
    const list = errors.get(r.file) ?? [];
    list.push(r);
    errors.set(r.file, list);
  }
  const documents: SnapshotDocument[] = [];
  const unread = [...(options.skipped ?? [])];
  for (const file of files) {
    const fileErrors = errors.get(file.file) ?? [];
    const broken = file.documents.some((d) => d.value === undefined) || (file.documents.length === 0 && fileErrors.length > 0);
    const syntax = fileErrors.find((r) => r.ruleId === "yaml-syntax");
    if (broken && syntax) unread.push({ file: file.file, reason: `not read: ${syntax.message}`, blob: options.blobs?.get(file.file) });
    const perDocument = errorsPerDocument(file, fileErrors);
    file.documents.forEach((document, i) => {
      if (document.value === undefined) return;
      const value = isRecord(document.value) ? document.value : {};
      const check = checkSchema(document.value);
      documents.push({
        file: file.file,
        kind: document.kind ?? "(no kind)",
        name: document.name ?? "(no name)",
        ...(check.status === "valid" ? { key: naturalKey(check.config) } : {}),
        fields: { spec: value.spec, options: value.options ?? {} },
        errors: perDocument[i]!,
        sensitive: sensitivePaths(document, file.sensitive),
      });
    });
  }
  return { label, documents, unread };
}

const atOrBefore = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.column <= b.column);

/** A result belongs to the last document that starts at or before it. */
function errorsPerDocument(file: ParsedFile, errors: readonly LintResult[]): string[][] {
  if (errors.length === 0) return file.documents.map(() => []);
  const starts = file.documents.map((d) => file.position(d.locations.get("")?.value[0] ?? 0));
  const ids = file.documents.map(() => new Set<string>());
  for (const error of errors) {
    let owner = 0;
    for (let i = 1; i < starts.length; i++) if (atOrBefore(starts[i]!, error.range.start)) owner = i;
    ids[owner]?.add(error.ruleId);
  }
  return ids.map((set) => [...set].sort());
}

/** Paths whose value holds text the linter masks (it decides from the source, valid or not). */
function sensitivePaths(document: LoadedDocument, ranges: readonly OffsetRange[]): ReadonlySet<string> {
  const paths = new Set<string>();
  if (ranges.length === 0) return paths;
  for (const [path, { value }] of document.locations) {
    if (ranges.some(([start, end]) => start < value[1] && value[0] < end)) paths.add(path.split("\u0000").join("."));
  }
  return paths;
}
