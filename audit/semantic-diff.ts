import { SECRET_FIELDS as SECRET_FIELDS_BY_KIND } from "../lint/rules/literal-secret.js";
import { naturalKey } from "../provider/drift.js";
import type { ConfigDocument } from "../schema/config-types.js";
import type { Snapshot, Unread } from "./config-at.js";

export interface FieldChange {
  field: string;
  before?: unknown;
  after?: unknown;
  /** A secret reference changed: shown as such, never with values. */
  secret?: true;
}

export interface ObjectChange {
  kind: string;
  key: string;
  change: "added" | "removed" | "changed";
  name: string;
  renamedFrom?: string;
  movedFrom?: string;
  file: string;
  fields: FieldChange[];
}

export interface SemanticDiff {
  from: string;
  to: string;
  changes: ObjectChange[];
  /** Files of either side that could not be compared (`at` names the side); their objects are not in `changes`. */
  unread: Array<{ file: string; at: string; reason: string }>;
  risks: string[];
}

/** Spec fields that hold secret references, from the linter's one list. */
const SECRET_FIELDS = new Set(Object.values(SECRET_FIELDS_BY_KIND));

/** Leaf paths of a value: `transitions.close` → 31. Lists compare as a whole. */
function flatten(value: unknown, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value && typeof value === "object" && !Array.isArray(value) && !SECRET_FIELDS.has(prefix.split(".").pop()!)) {
    for (const [k, v] of Object.entries(value)) for (const [p, leaf] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(p, leaf);
  } else if (prefix) {
    out.set(prefix, value);
  }
  return out;
}

function fieldChanges(before: ConfigDocument, after: ConfigDocument): FieldChange[] {
  const a = flatten({ spec: before.spec, options: before.options ?? {} });
  const b = flatten({ spec: after.spec, options: after.options ?? {} });
  const changes: FieldChange[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(path);
    const y = b.get(path);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    const secret = SECRET_FIELDS.has(path.split(".").pop()!);
    changes.push(secret ? { field: path, secret: true } : { field: path, ...(x === undefined ? {} : { before: x }), ...(y === undefined ? {} : { after: y }) });
  }
  return changes;
}

/**
 * What changed in the configuration, object by object: objects are recognised by kind and natural
 * key, so renames and moves between files read as such, and formatting, key order, comments and
 * file splits are no change at all.
 */
export function semanticDiff(from: Snapshot, to: Snapshot): SemanticDiff {
  const index = (s: Snapshot) => new Map(s.documents.map((d) => [`${d.config.kind}\u0000${naturalKey(d.config)}`, d]));
  const a = index(from);
  const b = index(to);
  const changes: ObjectChange[] = [];
  for (const [id, after] of b) {
    const before = a.get(id);
    const base = { kind: after.config.kind, key: naturalKey(after.config), name: after.config.metadata.name, file: after.file };
    if (!before) {
      changes.push({ ...base, change: "added", fields: [] });
      continue;
    }
    const fields = fieldChanges(before.config, after.config);
    const renamedFrom = before.config.metadata.name !== after.config.metadata.name ? before.config.metadata.name : undefined;
    const movedFrom = before.file !== after.file ? before.file : undefined;
    if (fields.length > 0 || renamedFrom || movedFrom) changes.push({ ...base, change: "changed", fields, ...(renamedFrom ? { renamedFrom } : {}), ...(movedFrom ? { movedFrom } : {}) });
  }
  for (const [id, before] of a) {
    if (!b.has(id)) changes.push({ kind: before.config.kind, key: naturalKey(before.config), name: before.config.metadata.name, file: before.file, change: "removed", fields: [] });
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
    const what = `${c.kind} ${c.name} (${c.key})`;
    if (c.change === "removed" && (c.kind === "ProductJiraLink" || c.kind === "EngagementJiraLink")) risks.push(`${what} removed: pulumi up refuses while Jira issues are linked under it; consider enabled: false`);
    if (c.change === "removed" && c.kind === "JiraInstance") risks.push(`${what} removed`);
    if (c.kind === "JiraInstance" && c.fields.some((f) => f.field === "spec.url")) risks.push(`${what}: Jira URL changed`);
    if (c.fields.some((f) => f.secret)) risks.push(`${what}: credentials reference changed`);
    if (turnedOff(c, "spec.enableJira")) risks.push(`${what}: Jira switched off`);
    if (turnedOff(c, "spec.enableWebhook")) risks.push(`${what}: Jira webhook switched off`);
    if (c.fields.some((f) => f.field === "spec.disableWebhookSecret" && f.after === true)) risks.push(`${what}: webhook secret check switched off`);
    if (c.fields.some((f) => f.field === "spec.enabled" && f.after === false)) risks.push(`${what}: link disabled`);
    for (const flag of ["spec.pushAllIssues", "spec.pushNotes"]) if (turnedOff(c, flag)) risks.push(`${what}: ${flag.slice(5)} turned off`);
    if (c.fields.some((f) => f.field === "options.allowDeleteWithJiraIssues" && f.after === true)) risks.push(`${what}: deletion with Jira issues allowed`);
  }
  return risks;
}
