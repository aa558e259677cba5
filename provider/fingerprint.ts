import { createHmac, randomBytes } from "node:crypto";
import type { Secret } from "./secret.js";

/**
 * DefectDojo never returns a Jira password, so state keeps a salted HMAC of it: a changed
 * secret shows as a diff, while the fingerprint reveals nothing. A rotation made outside the
 * code cannot be seen this way; DefectDojo gives no means to.
 */
export function fingerprint(secret: Secret, salt: string): string {
  return createHmac("sha256", salt).update(secret.reveal()).digest("hex");
}

export function newSalt(): string {
  return randomBytes(16).toString("hex");
}

/**
 * A secret's fingerprint for `check`, keeping the resource's salt so that an unchanged secret gives
 * an unchanged fingerprint. A secret that cannot be resolved becomes a check failure on `property`.
 */
export function fingerprintFor(property: string, oldSalt: string | undefined, secret: () => Secret): { salt: string; fingerprint: string } | { failures: Array<{ property: string; reason: string }> } {
  const salt = oldSalt ?? newSalt();
  try {
    return { salt, fingerprint: fingerprint(secret(), salt) };
  } catch (error) {
    return { failures: [{ property, reason: (error as Error).message }] };
  }
}
