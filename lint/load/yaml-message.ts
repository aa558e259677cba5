import type { YAMLError } from "yaml";

/**
 * yaml messages that quote the source, cut to their generic part. A syntax error is exactly where a
 * secret may sit unparsed (`Unexpected scalar token in YAML stream: "Hunter2"`), and no masking
 * can know that a stray token was meant as a password.
 */
const QUOTING: ReadonlyArray<readonly [RegExp, string]> = [
  // The composer appends the offending token, JSON-quoted, to the parser's message.
  [/^(.*?): ".*"$/s, "$1"],
  [/^(Not a YAML token|Unresolved tag|Could not resolve tag|Not a valid tag|Invalid escape sequence|Block scalar header includes extra characters|Anchor must not contain whitespace or control characters|Unknown directive|Unsupported YAML version)\b.*$/s, "$1"],
  [/^The .* tag has no suffix$/s, "A tag has no suffix"],
  [/^Verbatim tags aren't resolved, so .* is invalid\.$/s, "Verbatim tags aren't resolved"],
  [/^Value may be parsed as either .*$/s, "Value may be parsed as more than one type"],
];

/** The first line of yaml's message, without its position (ours is in the range) and without source text. */
export function yamlMessage(error: Pick<YAMLError, "message">): string {
  let message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  for (const [pattern, generic] of QUOTING) message = message.replace(pattern, generic);
  return message;
}
