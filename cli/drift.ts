import { lintPaths } from "../lint/lint-paths.js";
import { INSTANCE_FIELDS, LINK_FIELDS, SETTINGS_FIELDS } from "../provider/client/mapping.js";
import { compare, type Drift } from "../provider/drift.js";
import { readLive } from "../provider/live-config.js";
import { markdownText } from "../text/markdown.js";
import { printable } from "../text/printable.js";
import { checkFormat, parseCommandArgs } from "./args.js";
import { asciiJson } from "./ascii-json.js";
import { directoriesWithoutFiles } from "./empty-directories.js";
import { defectDojoFromEnv } from "./defectdojo-from-env.js";
import { CliUsageError, EXIT, type CommandIO } from "./io.js";

export const DRIFT_HELP = `Usage: dojo-jira drift <config-dir> [--format text|markdown|json] [--defectdojo-url <url>]

Read-only comparison of a config tree with a live DefectDojo: objects only one side has, and
field-level differences. Exit 1 when there is drift (for a scheduled check), 0 when none.
Credentials as for export: DEFECTDOJO_URL / --defectdojo-url and DEFECTDOJO_API_TOKEN.
`;

const show = (v: unknown) => (v === undefined ? "(unset)" : JSON.stringify(v));

type FieldTable = Record<string, { api: string; toApi: (spec: never) => unknown; fromApi: (api: Record<string, unknown>) => unknown }>;
const FIELDS: Record<string, FieldTable> = { JiraInstance: INSTANCE_FIELDS, ProductJiraLink: LINK_FIELDS, EngagementJiraLink: LINK_FIELDS, JiraSettings: SETTINGS_FIELDS };

/**
 * What a side holds where it leaves a field out: DefectDojo's default. The live side is read back
 * the way export writes it (defaults left out), so without this a DefectDojo holding `false`
 * would read "(unset)". Undefined when the field has no default (truly unset).
 */
function effective(kind: string, path: string, value: unknown): unknown {
  if (value !== undefined) return value;
  const field = FIELDS[kind]?.[path];
  if (!field) return undefined;
  try {
    return field.fromApi({ [field.api]: field.toApi({} as never) });
  } catch {
    return undefined; // a field whose value depends on others (transitions.*): no default
  }
}

function withDefaults(drift: Drift): Drift {
  return { ...drift, changed: drift.changed.map((c) => ({ ...c, fields: c.fields.map((f) => ({ ...f, config: effective(c.kind, f.field, f.config), live: effective(c.kind, f.field, f.live) })) })) };
}

function render(drift: Drift, format: string): string {
  if (format === "json") return asciiJson(drift);
  const md = format === "markdown";
  const lines: string[] = [md ? "## DefectDojo Jira drift" : "DefectDojo Jira drift"];
  // Names and values come from DefectDojo and from the config tree: one line each, escaped (and inert in markdown).
  const item = (text: string) => lines.push(md ? `- ${printable(markdownText(text))}` : `  ${printable(text)}`);
  if (drift.changed.length > 0) {
    lines.push(md ? "\n### Changed in DefectDojo" : "\nchanged in DefectDojo:");
    for (const c of drift.changed) for (const f of c.fields) item(`${c.kind} ${c.name} (${c.key}): ${f.field}: config ${show(f.config)}, DefectDojo ${show(f.live)}`);
  }
  if (drift.liveOnly.length > 0) {
    lines.push(md ? "\n### Only in DefectDojo" : "\nonly in DefectDojo:");
    for (const o of drift.liveOnly) item(`${o.kind} ${o.key}`);
  }
  if (drift.configOnly.length > 0) {
    lines.push(md ? "\n### Only in the config" : "\nonly in the config:");
    for (const o of drift.configOnly) item(`${o.kind} ${o.name} (${o.key})`);
  }
  if (drift.unexpressible.length > 0) {
    lines.push(md ? "\n### Not expressible in config" : "\nnot expressible in config:");
    for (const u of drift.unexpressible) item(u);
  }
  if (lines.length === 1) lines.push(md ? "\nNo drift." : "no drift");
  return `${lines.join("\n")}\n`;
}

export async function driftCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    command: "drift",
    config: { args: argv, allowPositionals: true, options: { format: { type: "string", default: "text" }, "defectdojo-url": { type: "string" }, help: { type: "boolean", short: "h" } } },
  });
  if (values.help) {
    io.stdout(DRIFT_HELP);
    return EXIT.ok;
  }
  const format = checkFormat(values.format, ["text", "markdown", "json"]);
  if (positionals.length !== 1) throw new CliUsageError("give exactly one config directory");
  const report = await lintPaths(positionals, { cwd: io.cwd });
  // An empty tree would read as "every object only in DefectDojo": a wrong path, not drift.
  if ((await directoriesWithoutFiles(positionals, report.files.map((f) => f.file), io.cwd)).length > 0) throw new CliUsageError(`no YAML files (*.yaml, *.yml) in ${positionals[0]}: check the path`);
  if (report.results.some((r) => r.severity === "error")) {
    io.stderr(`dojo-jira drift: ${printable(positionals[0]!)} has lint errors; run dojo-jira lint ${printable(positionals[0]!)}\n`);
    return EXIT.usage;
  }
  const drift = compare(report.valid.map((v) => v.config), await readLive(defectDojoFromEnv(io, values["defectdojo-url"]).client));
  io.stdout(render(withDefaults(drift), format));
  const drifted = drift.changed.length + drift.liveOnly.length + drift.configOnly.length + drift.unexpressible.length > 0;
  return drifted ? EXIT.problems : EXIT.ok;
}
