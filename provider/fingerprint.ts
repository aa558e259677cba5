import { createHmac, randomBytes } from "node:crypto";
import type { Secret } from "./secret.js";

/**
 * DefectDojo never returns a Jira password, so state keeps a fingerprint of it: a changed secret
 * shows as a diff. A salted hash beside its salt would let anyone who reads the state test
 * password guesses offline, so the fingerprint is keyed by a secret the state does not hold: the
 * DefectDojo API token (whoever has that can point the instance at their own Jira anyway). Rotating
 * the token therefore re-sends each secret once. A rotation made outside the code cannot be seen
 * this way; DefectDojo gives no means to.
 */
const VERSION = "v2:";

export function fingerprint(secret: Secret, salt: string, key: Secret): string {
  const resourceKey = createHmac("sha256", key.reveal()).update(`dojo-jira fingerprint ${salt}`).digest();
  return VERSION + createHmac("sha256", resourceKey).update(secret.reveal()).digest("hex");
}

/**
 * Whether `print` was made from `secret`, also in the unkeyed form of releases before v2 (so an
 * upgrade rewrites state without sending any password again).
 */
export function isFingerprintOf(print: string | undefined, salt: string | undefined, secret: Secret, key: Secret): boolean {
  if (print === undefined || salt === undefined) return false;
  if (print.startsWith(VERSION)) return print === fingerprint(secret, salt, key);
  return print === createHmac("sha256", salt).update(secret.reveal()).digest("hex");
}

export function newSalt(): string {
  return randomBytes(16).toString("hex");
}

/**
 * A secret's fingerprint for `check`, keeping the resource's salt so that an unchanged secret gives
 * an unchanged fingerprint. A secret that cannot be resolved becomes a check failure on `property`.
 */
export function fingerprintFor(property: string, oldSalt: string | undefined, secret: () => Secret, key: () => Secret): { salt: string; fingerprint: string } | { failures: Array<{ property: string; reason: string }> } {
  const salt = oldSalt ?? newSalt();
  try {
    return { salt, fingerprint: fingerprint(secret(), salt, key()) };
  } catch (error) {
    return { failures: [{ property, reason: (error as Error).message }] };
  }
}
