import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Document, isMap, isScalar } from "yaml";
import { countBySeverity, plural } from "../lint/formatters/utils/summary.js";
import { lintPaths } from "../lint/lint-paths.js";
import { readLive } from "../provider/live-config.js";
import { printable } from "../text/printable.js";
import { parseCommandArgs } from "./args.js";
import { defectDojoFromEnv } from "./defectdojo-from-env.js";
import { ioReason } from "./io-error.js";
import { CliUsageError, EXIT, type CommandIO } from "./io.js";

export const EXPORT_HELP = `Usage: dojo-jira export --out <dir> [--defectdojo-url <url>]

Reads a live DefectDojo and writes its Jira configuration as a config tree, one file per object,
every object marked options.adopt so that the first pulumi up takes it over without recreating it.
URL from --defectdojo-url or DEFECTDOJO_URL; the API token only from DEFECTDOJO_API_TOKEN.
Passwords are written as references to stack config keys you must set (DefectDojo never returns
them); the command lists them. Objects the schema cannot express are reported, not dropped.
A Jira that DefectDojo holds on plain http is written as found, with a reasoned suppression of
insecure-url above its url, and the report gives the exported tree's lint result.
`;

export async function exportCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs({
    command: "export",
    onlyOutput: "it writes YAML files and prints a text report",
    config: { args: argv, options: { out: { type: "string", short: "o" }, "defectdojo-url": { type: "string" }, help: { type: "boolean", short: "h" } } },
  });
  if (values.help) {
    io.stdout(EXPORT_HELP);
    return EXIT.ok;
  }
  if (!values.out) throw new CliUsageError("--out <dir> is required");
  const out = resolve(io.cwd, values.out);
  const cannotWrite = (error: unknown) => Promise.reject(new CliUsageError(`cannot write into --out ${values.out}: ${ioReason(error)}`));
  const existing = await readdir(out).catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? [] : cannotWrite(error)));
  if (existing.some((f) => /\.ya?ml$/.test(f))) throw new CliUsageError(`${printable(values.out)} already holds YAML files; export into an empty directory`);
  // The whole read first: a DefectDojo that fails half-way leaves no directory and no file behind.
  const live = await readLive(defectDojoFromEnv(io, values["defectdojo-url"]).client);
  await mkdir(out, { recursive: true }).catch(cannotWrite);
  for (const doc of live.documents) {
    const prefix = doc.kind === "JiraInstance" ? "instance" : doc.kind === "JiraSettings" ? "settings" : "link";
    // Names from DefectDojo are data: only the yaml library writes them, quoted as they need.
    const file = new Document(doc);
    file.commentBefore = " Exported from DefectDojo by dojo-jira export.";
    if (doc.kind === "JiraInstance" && /^http:\/\//i.test(doc.spec.url)) waive(file, "url", INSECURE_URL_WAIVER);
    await writeFile(join(out, `${prefix}-${doc.metadata.name}.yaml`), file.toString()).catch(cannotWrite);
  }
  const report = await lintPaths([out], { cwd: io.cwd });
  const { errors, warnings, infos } = countBySeverity(report.results);
  const findings = [plural(errors, "error"), plural(warnings, "warning"), `${infos} info`].filter((text) => !text.startsWith("0 "));
  const lint = findings.length === 0 ? "lint: clean" : `lint: ${findings.join(", ")}; see dojo-jira lint ${printable(values.out)}`;
  io.stdout(`Wrote ${live.documents.length} documents to ${printable(values.out)} (${lint}).\n`);
  if (live.secretsToSet.length > 0) {
    io.stdout(`\nSet these secrets before the first pulumi up (DefectDojo does not give them back):\n`);
    for (const s of live.secretsToSet) io.stdout(`  pulumi config set --secret ${s.key} …   # ${printable(s.what)}\n`);
  }
  if (live.unexpressible.length > 0) {
    io.stdout(`\nNot exported (the config format cannot express them):\n`);
    for (const line of live.unexpressible) io.stdout(`  - ${printable(line)}\n`);
  }
  return errors > 0 ? EXIT.problems : EXIT.ok;
}

/**
 * DefectDojo may hold a Jira on plain http (a lab instance); the export writes what it found, and
 * says so with a reasoned suppression rather than leaving a tree that fails its first lint.
 */
const INSECURE_URL_WAIVER = " dojo-jira-disable-next-line insecure-url -- exported as found: DefectDojo has this instance on http";

function waive(file: Document, specKey: string, comment: string): void {
  const spec = file.get("spec", true);
  if (!isMap(spec)) return;
  const pair = spec.items.find((p) => isScalar(p.key) && p.key.value === specKey);
  if (pair && isScalar(pair.key)) pair.key.commentBefore = comment;
}
