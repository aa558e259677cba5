/**
 * Text that came from outside (a linted file, a DefectDojo or Jira answer) made safe for a terminal or
 * a log line: C0/C1 control characters, DEL, bidi marks and overrides, zero-width characters and the
 * Unicode line and paragraph separators become visible `\u{…}` escapes, so
 * an escape sequence can neither retitle nor clear the terminal, nor fake a line of our own output.
 * Tabs survive; newlines survive only where `keepNewlines` says so (multi-line frames).
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/gu;
const CONTROL_AND_NEWLINES = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/gu;

export function printable(text: string, options: { keepNewlines?: boolean } = {}): string {
  const pattern = options.keepNewlines ? CONTROL : CONTROL_AND_NEWLINES;
  return text.replace(pattern, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
