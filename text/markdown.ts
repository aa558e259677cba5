/**
 * Text from a repository or from DefectDojo, made inert in markdown: an inline code span, with a
 * fence longer than any run of backticks inside. Escaping characters is not enough on GitHub:
 * autolinks (https://…, www.…, a@b.example), mentions, issue and commit references and emoji
 * shortcodes are found after backslash escapes are gone, but never inside code.
 */
export function markdownText(text: string): string {
  if (text === "") return "";
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  // A span that starts or ends with a backtick needs a space on both sides (stripped when shown).
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}
