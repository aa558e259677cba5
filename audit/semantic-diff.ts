import { SECRET_FIELDS as SECRET_FIELDS_BY_KIND } from "../lint/rules/literal-secret.js";
import type { Snapshot, SnapshotDocument, Unread } from "./snapshot.js";

export interface FieldChange {
  field: string;
  before?: unknown;
  after?: unknown;
  /**
   * A secret changed, shown as such and never with values: "reference" when it is a
   * fromConfig/fromEnv reference, "literal" when a value the linter holds secret is written in the file.
   */
  secret?: "reference" | "literal";
}

export interface ObjectChange {
  kind: string;
  /** The natural key; absent only for an invalid document that has no valid counterpart to take it from. */
  key?: string;
  change: "added" | "removed" | "changed";
  name: string;
  renamedFrom?: string;
  movedFrom?: string;
  file: string;
  /** Rule ids of the document's lint errors (as it is now; as it was, for a removed one): pulumi up stops at them. */
  invalid?: string[];
  /** A changed document's lint errors before the change. */
  wasInvalid?: string[];
  fields: FieldChange[];
}

export interface SemanticDiff {
  from: string;
  to: string;
  changes: ObjectChange[];
  /** Files of either side that could not be compared (`at` names the side). */
  unread: Array<{ file: string; at: string; reason: string }>;
  risks: string[];
}

/** Spec fields that hold secret references, from the linter's one list. */
const SECRET_FIELDS = new Set(Object.values(SECRET_FIELDS_BY_KIND));

/** How an object is named in every line about it. */
export const describe = (c: ObjectChange) => `${c.kind} ${c.name}${c.key === undefined ? "" : ` (${c.key})`}`;

/** Leaf paths of a value: `spec.transitions.close` → 31. Lists and secret fields compare as a whole. */
function flatten(value: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  // Iterative: an invalid document's nesting depth is whatever the file says.
  const stack: Array<[string, unknown]> = [["", value]];
  while (stack.length > 0) {
    const [path, v] = stack.pop()!;
    if (v && typeof v === "object" && !Array.isArray(v) && !SECRET_FIELDS.has(path.split(".").pop()!)) {
      for (const [k, child] of Object.entries(v)) stack.push([path ? `${path}.${k}` : k, child]);
    } else if (path) {
      out.set(path, v);
    }
  }
  return out;
}

function fieldChanges(before: SnapshotDocument, after: SnapshotDocument): FieldChange[] {
  const a = flatten(before.fields);
  const b = flatten(after.fields);
  const changes: FieldChange[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(path);
    const y = b.get(path);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    if (before.sensitive.has(path) || after.sensitive.has(path)) changes.push({ field: path, secret: "literal" });
    else if (SECRET_FIELDS.has(path.split(".").pop()!)) changes.push({ field: path, secret: "reference" });
    else changes.push({ field: path, ...(x === undefined ? {} : { before: x }), ...(y === undefined ? {} : { after: y }) });
  }
  return changes;
}

/**
 * Each document with its counterpart on the other side, by kind and natural key. A document that
 * fails the schema may have no readable key (that may be what broke), so what is left over pairs
 * by kind and name when one side of the pair is such a document.
 */
function pairs(from: SnapshotDocument[], to: SnapshotDocument[]): Array<[SnapshotDocument | undefined, SnapshotDocument | undefined]> {
  const unmatched = new Set(from);
  const byKey = new Map(from.filter((d) => d.key !== undefined).map((d) => [`${d.kind}\u0000${d.key}`, d]));
  const matched: Array<[SnapshotDocument | undefined, SnapshotDocument | undefined]> = [];
  const leftOver: SnapshotDocument[] = [];
  for (const after of to) {
    const before = after.key === undefined ? undefined : byKey.get(`${after.kind}\u0000${after.key}`);
    if (before && unmatched.delete(before)) matched.push([before, after]);
    else leftOver.push(after);
  }
  const byName = new Map([...unmatched].map((d) => [`${d.kind}\u0000${d.name}`, d]));
  for (const after of leftOver) {
    const before = byName.get(`${after.kind}\u0000${after.name}`);
    if (before && (before.key === undefined || after.key === undefined) && unmatched.delete(before)) matched.push([before, after]);
    else matched.push([undefined, after]);
  }
  for (const before of unmatched) matched.push([before, undefined]);
  return matched;
}

const errorsOf = (d: SnapshotDocument) => (d.errors.length > 0 ? { invalid: d.errors } : {});
const identity = (d: SnapshotDocument, key = d.key) => ({ kind: d.kind, ...(key === undefined ? {} : { key }), name: d.name, file: d.file });

/**
 * What changed in the configuration, object by object: objects are recognised by kind and natural
 * key, so renames and moves between files read as such, and formatting, key order, comments and
 * file splits are no change at all. A document that became invalid is a change with its rule ids,
 * not a removal; one in a file the other side could not read is not called removed either.
 */
export function semanticDiff(from: Snapshot, to: Snapshot): SemanticDiff {
  const unreadNow = new Set(to.unread.map((u) => u.file));
  const changes: ObjectChange[] = [];
  for (const [before, after] of pairs(from.documents, to.documents)) {
    if (!before) {
      changes.push({ ...identity(after!), change: "added", ...errorsOf(after!), fields: [] });
    } else if (!after) {
      if (!unreadNow.has(before.file)) changes.push({ ...identity(before), change: "removed", ...errorsOf(before), fields: [] });
    } else {
      const fields = fieldChanges(before, after);
      const renamedFrom = before.name !== after.name ? before.name : undefined;
      const movedFrom = before.file !== after.file ? before.file : undefined;
      const validityChanged = before.errors.join() !== after.errors.join();
      if (fields.length === 0 && !renamedFrom && !movedFrom && !validityChanged) continue;
      changes.push({
        ...identity(after, after.key ?? before.key),
        change: "changed",
        ...errorsOf(after),
        ...(before.errors.length > 0 ? { wasInvalid: before.errors } : {}),
        fields,
        ...(renamedFrom ? { renamedFrom } : {}),
        ...(movedFrom ? { movedFrom } : {}),
      });
    }
  }
  return { from: from.label, to: to.label, changes, unread: [...unreadOnlyIn(from, to), ...unreadOnlyIn(to, from)], risks: risksOf(changes) };
}

/** What `side` could not read, except files that are the very same blob on the other side: those did not change. */
function unreadOnlyIn(side: Snapshot, other: Snapshot): SemanticDiff["unread"] {
  const same = (u: Unread) => u.blob !== undefined && other.unread.some((o) => o.file === u.file && o.blob === u.blob);
  return side.unread.filter((u) => !same(u)).map((u) => ({ file: u.file, at: side.label, reason: u.reason }));
}

/** The changes an auditor must not miss. */
function risksOf(changes: ObjectChange[]): string[] {
  const risks: string[] = [];
  const turnedOff = (c: ObjectChange, field: string) => c.fields.some((f) => f.field === field && f.before === true && f.after !== true);
  for (const c of changes) {
    const what = describe(c);
    if (c.change === "removed" && (c.kind === "ProductJiraLink" || c.kind === "EngagementJiraLink")) risks.push(`${what} removed: pulumi up refuses while Jira issues are linked under it; consider enabled: false`);
    if (c.change === "removed" && c.kind === "JiraInstance") risks.push(`${what} removed`);
    if (c.change !== "removed" && c.invalid) risks.push(`${what}: invalid (${c.invalid.join(", ")}); pulumi up stops at lint errors`);
    const literals = c.fields.filter((f) => f.secret === "literal").map((f) => f.field);
    if (literals.length > 0) risks.push(`${what}: literal secret in ${literals.join(", ")}; it is in git history now: rotate it`);
    if (c.kind === "JiraInstance" && c.fields.some((f) => f.field === "spec.url")) risks.push(`${what}: Jira URL changed`);
    if (c.fields.some((f) => f.secret === "reference")) risks.push(`${what}: credentials reference changed`);
    if (turnedOff(c, "spec.enableJira")) risks.push(`${what}: Jira switched off`);
    if (turnedOff(c, "spec.enableWebhook")) risks.push(`${what}: Jira webhook switched off`);
    if (c.fields.some((f) => f.field === "spec.disableWebhookSecret" && f.after === true)) risks.push(`${what}: webhook secret check switched off`);
    if (c.fields.some((f) => f.field === "spec.enabled" && f.after === false)) risks.push(`${what}: link disabled`);
    for (const flag of ["spec.pushAllIssues", "spec.pushNotes"]) if (turnedOff(c, flag)) risks.push(`${what}: ${flag.slice(5)} turned off`);
    if (c.fields.some((f) => f.field === "options.allowDeleteWithJiraIssues" && f.after === true)) risks.push(`${what}: deletion with Jira issues allowed`);
  }
  return risks;
}
