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

/** Replaces every occurrence of the given secrets in a text (for error messages built from responses). */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out;
}
