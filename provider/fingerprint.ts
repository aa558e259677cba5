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
