import type { ErrorObject } from "ajv";
import { isRecord } from "../../load/parse-file.js";
import type { DocPath } from "../../model.js";
import { allowedProperties } from "./schema-shape.js";

/** One schema error, said for a user: where, and what. */
export interface SchemaMessage {
  error: ErrorObject;
  path: DocPath;
  at: DocPath;
  part: "key" | "value";
  message: string;
  /** For an unknown field: the field it was probably meant to be. */
  suggests?: string;
}

/**
 * Schema errors grouped into mistakes, one message each. ajv reports a misspelt field twice
 * (unknown, and its real name missing); fields left unindented under an empty key as unknown
 * fields of its parent plus "must be a mapping"; a deleted `spec:` line as every spec field
 * unknown under `metadata` plus "missing spec".
 */
export function oneMessagePerMistake(messages: readonly SchemaMessage[], kind: string, value: unknown): SchemaMessage[] {
  const unknown = messages.filter((m) => m.error.keyword === "additionalProperties" || m.error.keyword === "unevaluatedProperties");
  const dropped = new Set<SchemaMessage>();
  const replaced = new Map<SchemaMessage, SchemaMessage>();
  const strays = (parent: DocPath, fields: readonly string[]) => unknown.filter((m) => !dropped.has(m) && same(m.path, parent) && fields.includes(fieldOf(m)));
  for (const m of messages) {
    if (m.error.keyword === "required") {
      const missing = String(m.error.params.missingProperty);
      // Misspelt: the unknown field's did-you-mean names the missing one.
      if (unknown.some((u) => same(u.path, m.path) && u.suggests === missing)) dropped.add(m);
      else if (otherLinkTarget(kind, m.path, missing, value)) dropped.add(m);
      else {
        // `spec:` deleted: its fields now sit under the key above (metadata).
        const fields = allowedProperties(kind, [...m.path, missing]);
        const sibling = unknown.find((u) => u.path.length === m.path.length + 1 && same(u.path.slice(0, -1), m.path) && fields.includes(fieldOf(u)));
        if (!sibling) continue;
        const moved = strays(sibling.path, fields);
        for (const s of moved) dropped.add(s);
        replaced.set(m, { ...sibling, message: `${list(moved.map(fieldOf))} ${moved.length === 1 ? "is a field" : "are fields"} of "${[...m.path, missing].join(".")}", not of "${sibling.path.join(".")}": is a "${missing}:" line missing above ${moved.length === 1 ? "it" : "them"}?` });
      }
    } else if (m.error.keyword === "type" && m.error.params.type === "object" && valueAt(value, m.path) === null) {
      // `transitions:` with its fields below it, not indented: they land in its parent.
      const key = String(m.path[m.path.length - 1]);
      const moved = strays(m.path.slice(0, -1), allowedProperties(kind, m.path));
      if (moved.length === 0) continue;
      for (const s of moved) dropped.add(s);
      replaced.set(m, { ...m, part: "key", message: `"${m.path.join(".")}" is empty: ${list(moved.map(fieldOf))} below it ${moved.length === 1 ? "belongs" : "belong"} to it; indent ${moved.length === 1 ? "it" : "them"} under "${key}"` });
    }
  }
  return messages.filter((m) => !dropped.has(m)).map((m) => replaced.get(m) ?? m);
}

/** A link that names the other kind's target (`product` in an EngagementJiraLink): link-target says it. */
function otherLinkTarget(kind: string, path: DocPath, missing: string, value: unknown): boolean {
  const own = kind === "ProductJiraLink" ? "product" : kind === "EngagementJiraLink" ? "engagement" : undefined;
  const spec = valueAt(value, ["spec"]);
  return own !== undefined && same(path, ["spec"]) && missing === own && isRecord(spec) && (own === "product" ? "engagement" : "product") in spec;
}

function fieldOf(m: SchemaMessage): string {
  return String(m.error.params.additionalProperty ?? m.error.params.unevaluatedProperty);
}

function same(a: DocPath, b: DocPath): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function valueAt(value: unknown, path: DocPath): unknown {
  let at = value;
  for (const segment of path) at = isRecord(at) || Array.isArray(at) ? (at as Record<string, unknown>)[segment] : undefined;
  return at;
}

function list(names: readonly string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  if (quoted.length > 3) return `${quoted.slice(0, 3).join(", ")} and ${quoted.length - 3} more`;
  return quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1)!}`;
}
