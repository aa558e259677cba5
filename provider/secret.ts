import { inspect } from "node:util";

const REDACTED = "[secret]";

/**
 * A secret value that cannot be printed by accident: `toString`, `toJSON`, template strings and
 * `console.log` all show "[secret]". Only `reveal()` gives the value, at the one place that sends it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/**
 * A JSON.stringify replacer that sends a Secret's real value: JSON.stringify calls toJSON before a
 * replacer sees the value, so it reads the raw one from the holder. Used only where a body is sent.
 */
export function revealSecrets(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Secret ? raw.reveal() : value;
}

/**
 * Replaces every occurrence of the given secrets in a text (for error messages built from responses),
 * also as a server may echo them: escaped inside a JSON string (a quote or backslash in a password)
 * or percent-encoded in a URL.
 */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])) out = out.split(form).join(REDACTED);
  }
  return out;
}
