import { editDistance } from "./did-you-mean.js";

/** What a string looks like, if it looks like a credential. Never returns the value itself. */
export function secretKind(value: string): string | undefined {
  const v = value.trim();
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v)) return "a private key";
  if (/^ATATT[A-Za-z0-9_\-=]{20,}$/.test(v)) return "an Atlassian API token";
  if (/^eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}$/.test(v)) return "a JSON Web Token";
  if (/^(Bearer|Basic|Token)\s+[\w\-.=+/]{16,}$/i.test(v)) return "an Authorization header value";
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(v)) return "a URL with an embedded password";
  if (/^[0-9a-f]{40}$/i.test(v)) return "a DefectDojo API token (40 hex characters)";
  // Each prefix with the separator its issuer uses (ghp_, glpat-, xoxb-): a slug of words that
  // happens to start with "ghs" or "ghp" (ghs-krhttzjp-1gsfhsv45pd-aerjc) is a name.
  if (/^(?:gh[pousr]_|glpat-|xox[abp]-)[A-Za-z0-9_-]{16,}$/.test(v)) return "an access token";
  if (v.length >= 24 && v.length <= 512 && !/\s/.test(v) && /\d/.test(v) && /[a-z]/i.test(v) && entropy(v) >= 4.2 && !isWordSlug(v)) {
    return "a random token (high entropy)";
  }
  return undefined;
}

/**
 * `dojo-jira-acc-mwx5he46-payments` and `SecurityFindingsFromDefectDojo2026` are names, not tokens:
 * short segments, at least half of them words, when split at separators (a run id stays whole) or
 * also at case changes and digits. Random base64url rarely looks so (about 1 in 3,000 tokens of 32
 * characters).
 */
function isWordSlug(text: string): boolean {
  return [/[-_.]+/, /[-_.]+|(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])/].some((boundary) => {
    const segments = text.split(boundary).filter(Boolean);
    if (segments.length < 3 || segments.some((segment) => segment.length >= 16)) return false;
    const words = segments.filter((segment) => /^[A-Z]?[a-z]{3,}$/.test(segment)).length;
    return words >= 2 && words * 2 >= segments.length;
  });
}

function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Words that make a key's value a credential, wherever the key sits (Git's `extraheader` carries a CI token). */
const SECRET_KEY_WORDS = ["password", "passwd", "passphrase", "secret", "token", "apikey", "extraheader", "authorization", "credential", "privatekey", "pwd"];

/** Short names of a credential, as whole keys only (`key` is one, `projectKey` is not). */
const SECRET_KEY_NAMES = new Set(["pass", "pw", "auth", "key", "apitok", "cred", "creds"]);

/**
 * Does a mapping key name a credential (`password`, `api_token`, `webhookSecret`, `X-Authorization`),
 * or nearly (`pasword`, `jiraPassowrd`, `webhookSecert`)? A misspelled key still holds the secret.
 */
export function isSecretKey(key: string): boolean {
  const whole = key.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (SECRET_KEY_WORDS.some((word) => whole.includes(word)) || SECRET_KEY_NAMES.has(whole)) return true;
  const words = key.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).map((w) => w.toLowerCase());
  return [whole, ...words].some((candidate) => SECRET_KEY_WORDS.some((word) => isTypoOf(candidate, word)));
}

/** Cheap tests first: this runs for every key of every file shown in a report. */
function isTypoOf(candidate: string, word: string): boolean {
  const allowed = word.length >= 8 ? 2 : 1;
  return candidate.length >= 5 && Math.abs(candidate.length - word.length) <= allowed && /^[a-z]+$/.test(candidate) && editDistance(candidate, word) <= allowed;
}
