import { stringify } from "yaml";
import { runRules } from "../lint/engine.js";
import { parseFile, type ParsedFile } from "../lint/load/parse-file.js";
import type { Position } from "../lint/model.js";
import { checkSchema } from "../lint/schema-check.js";
import { API_VERSION, type Kind } from "../schema/config-types.js";
import { containsUnknown } from "./unknown.js";

import type { CheckFailure } from "./safety-options.js";

/** Rules that need the whole tree; a single resource cannot answer them. */
const TREE_RULES = new Set(["unknown-instance", "unused-instance", "unknown-settings", "single-settings", "jira-disabled", "duplicate-name", "duplicate-link-target", "epic-name-field"]);

export { containsUnknown, UNKNOWN } from "./unknown.js";

/**
 * The provider's `check` is the linter: the same schema and the same per-document rules, with
 * failures reported by property path so that `pulumi preview` shows where the problem is.
 * `waived` lists the rules the document's source suppressed with a reason (comments do not
 * travel with the spec).
 */
export function validateSpec(kind: Kind, name: string, spec: unknown, waived: readonly string[] = []): CheckFailure[] {
  if (containsUnknown(spec)) return [];
  const document = { apiVersion: API_VERSION, kind, metadata: { name }, spec };
  const schema = checkSchema(document);
  if (schema.status === "invalid") {
    return schema.errors.map((e) => ({
      property: e.instancePath.slice(1).replace(/\//g, ".") || "spec",
      reason: e.keyword === "additionalProperties" ? `unknown field "${String((e.params as { additionalProperty?: string }).additionalProperty)}"` : (e.message ?? "is invalid"),
    }));
  }
  const parsed = parseFile(`${kind}:${name}`, Buffer.from(stringify(document)));
  const { results } = runRules([parsed]);
  return results
    .filter((r) => r.severity === "error" && r.ruleId !== "schema" && !TREE_RULES.has(r.ruleId) && !waived.includes(r.ruleId))
    .map((r) => ({ property: propertyAt(parsed, r.range.start), reason: `${r.message} (${r.ruleId})` }));
}

/**
 * The deepest `spec.…` path whose key starts on the result's line. Pulumi prints the value of a
 * failure's top-level property: `spec` alone would print the whole spec, a literal secret included.
 */
function propertyAt(parsed: ParsedFile, at: Position): string {
  let best: string[] = [];
  for (const [path, location] of parsed.documents[0]?.locations ?? []) {
    const start = location.key ?? location.value;
    const segments = path.split("\u0000");
    if (segments[0] === "spec" && segments.length > best.length && parsed.position(start[0]).line === at.line) best = segments;
  }
  return best.length > 1 ? best.join(".") : "spec.*";
}
