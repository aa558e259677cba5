import type { ParsedFile } from "./load/parse-file.js";
import type { OffsetRange } from "./model.js";

const DIRECTIVE = /^#\s*dojo-jira-disable-next-line\b(.*)$/;

/** `# dojo-jira-disable-next-line <rule>[, <rule>…] -- <reason>`, applying to the line below it. */
export interface Suppression {
  file: string;
  range: OffsetRange;
  /** 1-based line the suppression applies to. */
  targetLine: number;
  ruleIds: string[];
  reason: string;
}

export function parseSuppressions(file: ParsedFile): Suppression[] {
  const found: Suppression[] = [];
  for (const comment of file.comments) {
    const match = DIRECTIVE.exec(comment.text);
    if (!match) continue;
    const [rulesPart = "", ...reasonParts] = match[1]!.split(/\s--(?:\s|$)/);
    found.push({
      file: file.file,
      range: [comment.offset, comment.offset + comment.text.length],
      targetLine: file.position(comment.offset).line + 1,
      ruleIds: rulesPart.split(/[\s,]+/).filter(Boolean),
      reason: reasonParts.join(" -- ").trim(),
    });
  }
  return found.sort((a, b) => a.range[0] - b.range[0]);
}

/**
 * Rule ids a document waives with reasoned suppressions, for the provider's `check`, which sees
 * the document without its comments.
 */
export function rulesWaivedIn(file: ParsedFile, range: OffsetRange): string[] {
  const first = file.position(range[0]).line;
  const last = file.position(range[1]).line;
  return [...new Set(parseSuppressions(file).filter((s) => s.reason !== "" && s.targetLine >= first && s.targetLine <= last).flatMap((s) => s.ruleIds))];
}
