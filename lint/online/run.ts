import { printable } from "../../text/printable.js";
import type { LintReport } from "../lint-paths.js";
import { secretMasker } from "../load/sensitive.js";
import { locate, type LintResult, type OffsetRange, type Severity } from "../model.js";
import type { RepoConfig } from "../repo-config.js";
import { RULES_BY_ID } from "../rules/index.js";
import { links, ofKind, type ValidDocument } from "../rules/rule.js";
import { checkSchema } from "../schema-check.js";
import { parseSuppressions, type Suppression } from "../suppressions.js";
import { gatherFacts } from "./gather.js";
import { JiraSession, loadJira } from "./jira.js";
import { ONLINE_RULES } from "./rules/index.js";

export interface OnlineOptions {
  config: RepoConfig;
  /** Where passwords are read from (the provider's references: fromEnv, and DOJO_JIRA_SECRET_<KEY> for fromConfig). */
  env: NodeJS.ProcessEnv;
  /** Bound on each Jira call. */
  timeoutMs?: number;
  /** Hosts (`host[:port]`) credentials may be sent to: `--jira-host`, or DOJO_JIRA_ONLINE_HOSTS. */
  allowedHosts: readonly string[];
}

interface Raw {
  ruleId: string;
  severity: Severity;
  file: string;
  range: OffsetRange;
  message: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * `lint --online`: the offline report's results plus what the live Jira says, as ordinary results
 * (severities from .dojo-jira.yaml, reasoned suppressions, masked messages).
 */
export async function lintOnline(report: LintReport, options: OnlineOptions): Promise<LintResult[]> {
  const session = new JiraSession(await loadJira(), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  // Every document that has the schema's shape, even in a file with other problems: what Jira says about it still helps.
  const valid: ValidDocument[] = [];
  for (const document of report.files.flatMap((f) => f.documents)) {
    if (document.value === undefined || document.hasSyntaxErrors) continue;
    const check = checkSchema(document.value);
    if (check.status === "valid") valid.push({ document, config: check.config });
  }
  const { facts, secrets } = await gatherFacts(ofKind(valid, "JiraInstance"), links(valid), session, options.env, options.allowedHosts);

  const raw: Raw[] = [];
  for (const rule of ONLINE_RULES) {
    const severity = options.config.rules[rule.id] ?? rule.severity;
    if (severity === "off") continue;
    rule.checkOnline({ facts, site: options.config.site, report: (where, range, message) => raw.push({ ruleId: rule.id, severity, file: where.file, range, message }) });
  }

  const byFile = new Map(report.files.map((f) => [f.file, f]));
  const suppressions = report.files.flatMap(parseSuppressions).filter((s) => s.reason !== "" && s.ruleIds.length > 0 && s.ruleIds.every((id) => RULES_BY_ID.has(id)));
  const used = new Set<Suppression>();
  const kept = raw.filter((r) => {
    const line = byFile.get(r.file)!.position(r.range[0]).line;
    const match = suppressions.find((s) => s.file === r.file && s.targetLine === line && s.ruleIds.includes(r.ruleId));
    if (match) used.add(match);
    return !match;
  });
  // Offline, a suppression of an online rule matched nothing; now it has, so that verdict goes.
  const usedAt = new Set([...used].map((s) => at(s.file, byFile.get(s.file)!.position(s.range[0]))));
  // priority-names can only guess from Jira's defaults; where the site's own list was read, online-priority speaks instead.
  const guessed = new Set<string>();
  for (const f of facts) {
    if (!f.priorities?.ok) continue;
    const { document } = f.instance;
    for (const severity of Object.keys(f.instance.config.spec.severityMapping ?? {})) guessed.add(at(document.file, byFile.get(document.file)!.position(locate(document, ["spec", "severityMapping", severity])[0])));
  }
  const offline = report.results.filter((r) => {
    if (r.ruleId === "unused-suppression") return !usedAt.has(at(r.file, r.range.start));
    if (r.ruleId === "priority-names") return !guessed.has(at(r.file, r.range.start));
    return true;
  });

  const reported = new Set(kept.map((r) => r.file));
  const mask = secretMasker([...report.files.filter((f) => reported.has(f.file)).flatMap((f) => f.secretTexts), ...secrets]);
  const online = kept.map((r): LintResult => {
    const position = byFile.get(r.file)!.position;
    return { ruleId: r.ruleId, severity: r.severity, file: r.file, message: printable(mask(r.message)), range: { start: position(r.range[0]), end: position(r.range[1]) } };
  });
  return [...offline, ...online].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column));
}

function at(file: string, position: { line: number; column: number }): string {
  return `${file}\u0000${position.line}\u0000${position.column}`;
}
