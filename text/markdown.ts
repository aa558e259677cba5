const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Text from a repository or from DefectDojo, made inert in markdown: a name or a value cannot become
 * a link, an image, HTML, emphasis, code, a table cell, a mention or an issue reference in a
 * pull-request comment. Characters that act only at the start of a line are left alone: this text
 * never starts one.
 */
export function markdownText(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c]!).replace(/[\\`*_[\]!|~#@]/g, "\\$&");
}
