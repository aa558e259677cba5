import { stringify } from "yaml";
import { runRules } from "../lint/engine.js";
import { parseFile } from "../lint/load/parse-file.js";
import { checkSchema } from "../lint/schema-check.js";
import { API_VERSION, type Kind } from "../schema/config-types.js";
import { lintDigest } from "./lint-digest.js";

export interface CheckFailure {
  property: string;
  reason: string;
}

/** Rules that need the whole tree; a single resource cannot answer them. */
const TREE_RULES = new Set(["unknown-instance", "unused-instance", "unknown-settings", "single-settings", "jira-disabled", "duplicate-name", "duplicate-link-target", "epic-name-field"]);

/** Pulumi's placeholder for values not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function containsUnknown(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes(UNKNOWN);
}

/**
 * The provider's `check` is the linter: the same schema and the same per-document rules, with
 * failures reported by property path so that `pulumi preview` shows where the problem is.
 * `waived` lists the rules the document's source suppressed with a reason (comments do not
 * travel with the spec); `linted` is the root program's digest of a document it already linted.
 */
export function validateSpec(kind: Kind, name: string, spec: unknown, waived: readonly string[] = [], linted?: unknown): CheckFailure[] {
  if (containsUnknown(spec)) return [];
  if (typeof linted === "string" && linted === lintDigest(kind, name, spec, waived)) return []; // the root program's lint passed this very document
  const document = { apiVersion: API_VERSION, kind, metadata: { name }, spec };
  const schema = checkSchema(document);
  if (schema.status === "invalid") {
    return schema.errors.map((e) => ({
      property: e.instancePath.slice(1).replace(/\//g, ".") || "spec",
      reason: e.keyword === "additionalProperties" ? `unknown field "${String((e.params as { additionalProperty?: string }).additionalProperty)}"` : (e.message ?? "is invalid"),
    }));
  }
  const { results } = runRules([parseFile(`${kind}:${name}`, Buffer.from(stringify(document)))]);
  return results
    .filter((r) => r.severity === "error" && r.ruleId !== "schema" && !TREE_RULES.has(r.ruleId) && !waived.includes(r.ruleId))
    .map((r) => ({ property: "spec", reason: `${r.message} (${r.ruleId})` }));
}
