import type { LintResult } from "../../model.js";

export function countBySeverity(results: readonly LintResult[]): { errors: number; warnings: number; infos: number } {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const r of results) {
    if (r.severity === "error") errors++;
    else if (r.severity === "warning") warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}

export function groupByFile(results: readonly LintResult[]): Map<string, LintResult[]> {
  const groups = new Map<string, LintResult[]>();
  for (const r of results) {
    const list = groups.get(r.file);
    if (list) list.push(r);
    else groups.set(r.file, [r]);
  }
  return groups;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
