/**
 * JSON for a terminal or a pipe, every character outside printable ASCII written as a `\uXXXX`
 * escape: the same JSON to any parser, but a name from DefectDojo, Jira or git history cannot
 * reach the terminal as a raw C1 escape, DEL or bidi override (JSON.stringify escapes only C0).
 */
export function asciiJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}\n`;
}
