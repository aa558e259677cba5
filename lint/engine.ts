import { printable } from "../text/printable.js";
import type { ParsedFile } from "./load/parse-file.js";
import { secretMasker } from "./load/sensitive.js";
import { locate, type LintResult, type LoadedDocument, type OffsetRange, type Severity, type SeveritySetting } from "./model.js";
import { EMPTY_REPO_CONFIG, type RepoConfig } from "./repo-config.js";
import { RULES, RULES_BY_ID } from "./rules/index.js";
import type { RuleContext, ValidDocument } from "./rules/rule.js";
import { checkSchema, type SchemaCheck } from "./schema-check.js";
import { parseSuppressions, type Suppression } from "./suppressions.js";

interface RawResult {
  ruleId: string;
  severity: Severity;
  file: string;
  range: OffsetRange;
  message: string;
}

export interface EngineOutput {
  results: LintResult[];
  /** Documents that passed every check, typed (what the provider consumes). */
  valid: ValidDocument[];
}

/** Runs every enabled rule over parsed files: pure, no I/O. */
export function runRules(files: readonly ParsedFile[], config: RepoConfig = EMPTY_REPO_CONFIG): EngineOutput {
  const documents: LoadedDocument[] = files.flatMap((f) => f.documents);
  const schema = new Map<LoadedDocument, SchemaCheck>();
  // A document with syntax errors has an uncertain shape: schema messages about it would mislead.
  for (const document of documents) if (document.value !== undefined && !document.hasSyntaxErrors) schema.set(document, checkSchema(document.value));
  const valid: ValidDocument[] = [];
  for (const [document, check] of schema) if (check.status === "valid") valid.push({ document, config: check.config });

  const severityOf = (ruleId: string): SeveritySetting => config.rules[ruleId] ?? RULES_BY_ID.get(ruleId)?.severity ?? "error";
  const byFile = new Map(files.map((f) => [f.file, f]));
  const raw: RawResult[] = [];
  const ruleIds: ReadonlySet<string> = new Set(RULES_BY_ID.keys());
  for (const rule of RULES) {
    const severity = severityOf(rule.id);
    if (severity === "off") continue;
    const context: RuleContext = {
      files,
      documents,
      schema,
      valid,
      site: config.site,
      ruleIds,
      report(where, range, message) {
        raw.push({ ruleId: rule.id, severity, file: where.file, range, message });
      },
    };
    rule.check(context);
  }

  const kept = applySuppressions(preferSpecificRules(raw), files, severityOf, couldHaveFired(files, new Set(valid.map((v) => v.document))));
  // The secrets of every file reported on, not only the result's own: a message may quote another
  // document (a name). A secret-looking value is itself reported in its file, so its file is here.
  const reported = new Set(kept.map((r) => r.file));
  const mask = secretMasker(files.filter((f) => reported.has(f.file)).flatMap((f) => f.secretTexts));
  const results = kept.map((r): LintResult => {
    const position = byFile.get(r.file)!.position;
    // Messages quote the file's text: masked, then escaped, for every format and every caller.
    return { ruleId: r.ruleId, severity: r.severity, file: r.file, message: printable(mask(r.message)), range: { start: position(r.range[0]), end: position(r.range[1]) } };
  });
  results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column));
  const invalidDocs = new Set(results.filter((r) => r.severity === "error").map((r) => r.file));
  return { results, valid: valid.filter((v) => !invalidDocs.has(v.document.file)) };
}

/** A schema message at the very place a dedicated rule already explains is noise: keep the specific one. */
function preferSpecificRules(results: RawResult[]): RawResult[] {
  const specific = new Set(results.filter((r) => r.ruleId !== "schema").map((r) => `${r.file}\u0000${r.range[0]}\u0000${r.range[1]}`));
  return results.filter((r) => r.ruleId !== "schema" || !specific.has(`${r.file}\u0000${r.range[0]}\u0000${r.range[1]}`));
}

/**
 * Could the rules a suppression names have reported on its line? Not in a file with syntax errors
 * or a document that failed the schema (most rules skip those), nor, for rules that look across
 * documents, while any part of the tree is unreadable: "matches no problem; delete it" would be a guess.
 */
function couldHaveFired(files: readonly ParsedFile[], valid: ReadonlySet<LoadedDocument>): (s: Suppression) => boolean {
  const unreadable = (f: ParsedFile) => f.incomplete === true || f.problems.some((p) => p.ruleId === "yaml-syntax");
  const treeReadable = !files.some(unreadable) && files.every((f) => f.documents.every((d) => valid.has(d)));
  const byFile = new Map(files.map((f) => [f.file, f]));
  return (s) => {
    const file = byFile.get(s.file)!;
    if (unreadable(file)) return false;
    // An online rule runs only with --online; offline, its suppression cannot be judged unused.
    if (s.ruleIds.some((id) => RULES_BY_ID.get(id)?.online)) return false;
    if (!treeReadable && s.ruleIds.some((id) => RULES_BY_ID.get(id)?.acrossDocuments)) return false;
    const document = file.documents.find((d) => {
      const [start, end] = locate(d, []);
      return file.position(start).line <= s.targetLine && s.targetLine <= file.position(end).line;
    });
    return document === undefined || valid.has(document);
  };
}

function applySuppressions(results: RawResult[], files: readonly ParsedFile[], severityOf: (id: string) => SeveritySetting, judgeable: (s: Suppression) => boolean): RawResult[] {
  const suppressions = files.flatMap(parseSuppressions).filter((s) => s.reason !== "" && s.ruleIds.length > 0 && s.ruleIds.every((id) => RULES_BY_ID.has(id)));
  if (suppressions.length === 0) return results;
  const used = new Set<Suppression>();
  const positions = new Map(files.map((f) => [f.file, f.position]));
  const kept = results.filter((result) => {
    const line = positions.get(result.file)!(result.range[0]).line;
    const match = suppressions.find((s) => s.file === result.file && s.targetLine === line && s.ruleIds.includes(result.ruleId));
    if (match) used.add(match);
    return !match;
  });
  const severity = severityOf("unused-suppression");
  if (severity !== "off") {
    for (const s of suppressions) {
      if (!used.has(s) && judgeable(s)) kept.push({ ruleId: "unused-suppression", severity, file: s.file, range: s.range, message: `suppression of ${s.ruleIds.join(", ")} matches no problem on the next line; delete it` });
    }
  }
  return kept;
}
