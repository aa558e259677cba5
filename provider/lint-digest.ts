import { createHash } from "node:crypto";
import type { Kind } from "../schema/config-types.js";
import { stableJson } from "./client/mapping.js";

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
