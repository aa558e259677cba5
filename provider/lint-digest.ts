import { createHash } from "node:crypto";
import type { Kind } from "../schema/config-types.js";
import { stableJson } from "./client/mapping.js";
import type { CheckFailure } from "./safety-options.js";

/**
 * The root program lints the whole tree before it declares anything (same rules, tree rules too,
 * same reasoned suppressions), and each resource's `check` would lint its document again: a third
 * of the provider's work in a no-op `up`. The program therefore passes this digest of each document
 * it validated; `check` skips the lint when the digest matches what it received, and lints any
 * other input (a program of your own, an edited spec) as before. Bound to the exact content.
 */
export function lintDigest(kind: Kind, name: string, spec: unknown, waived: readonly string[] = []): string {
  return createHash("sha256").update(stableJson({ kind, name, spec, waived })).digest("base64url").slice(0, 22);
}

/**
 * A resource's `check` of its spec: nothing to do for the document the root program linted (its
 * digest matches), else the linter (validate.ts), loaded only then: it is most of what the
 * provider process would load.
 */
export async function validateUnlessLinted(kind: Kind, name: string, spec: unknown, waived: readonly string[] = [], linted?: unknown): Promise<CheckFailure[]> {
  if (typeof linted === "string" && linted === lintDigest(kind, name, spec, waived)) return [];
  return (await import("./validate.js")).validateSpec(kind, name, spec, waived);
}
