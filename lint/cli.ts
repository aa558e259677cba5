import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { checkFormat, parseCommandArgs } from "../cli/args.js";
import { wantColor } from "../cli/color.js";
import { directoriesWithoutFiles } from "../cli/empty-directories.js";
import { ioReason } from "../cli/io-error.js";
import { CliUsageError, EXIT, type CommandIO } from "../cli/io.js";
import { printable } from "../text/printable.js";
import { API_VERSION } from "../schema/config-types.js";
import { VERSION } from "../cli/version.js";
import { FORMATTERS } from "./formatters/index.js";
import { plural } from "./formatters/utils/summary.js";
import { UsageError } from "./load/discover-files.js";
import { lintPaths } from "./lint-paths.js";
import { loadRepoConfig, REPO_CONFIG_FILE, RepoConfigError } from "./repo-config.js";
import { RULES, RULES_BY_ID } from "./rules/index.js";
import { closest } from "./rules/util/did-you-mean.js";

export const LINT_HELP = `Usage: dojo-jira lint [options] [paths|globs|-]...

Validates DefectDojo Jira config files (YAML). Directories are searched for
*.yaml / *.yml; "-" reads stdin. Default path: the current directory.

Options:
  -f, --format <name>       stylish (default), json, sarif, junit, github
  -o, --output <file>       write the report to a file instead of stdout
      --max-warnings <n>    exit 1 when there are more than n warnings
      --quiet               report errors only
  -c, --config <file>       repo config (default: ./${REPO_CONFIG_FILE} if present)
      --explain <rule>      describe a rule, with a bad and a good example
      --list-rules          list every rule with its default severity
      --stdin-filename <n>  name to show for stdin
      --max-file-size <mb>  refuse larger files (default 8)
      --online              also ask each instance's live Jira (needs jira.js and the
                            passwords: fromEnv, or DOJO_JIRA_SECRET_<KEY> for fromConfig)
      --jira-host <host>    with --online: a Jira host (host[:port]) credentials may be
                            sent to; repeatable, or DOJO_JIRA_ONLINE_HOSTS=a,b. Instances
                            on other hosts are not asked: the tree comes with the PR
      --allow-empty         pass when a directory holds no YAML file (an error by
                            default: a wrong path in CI must not pass green)
      --color / --no-color  force or disable colours (default: on a terminal only;
                            FORCE_COLOR, NO_COLOR and TERM=dumb are honoured)
  -h, --help                this help

Exit codes: 0 clean, 1 problems, 2 usage or internal error.
`;

export async function lintCommand(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs({
    command: "lint",
    config: {
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: "string", short: "f", default: "stylish" },
        output: { type: "string", short: "o" },
        "max-warnings": { type: "string" },
        quiet: { type: "boolean", default: false },
        config: { type: "string", short: "c" },
        explain: { type: "string" },
        "list-rules": { type: "boolean", default: false },
        "stdin-filename": { type: "string" },
        "max-file-size": { type: "string" },
        "allow-empty": { type: "boolean", default: false },
        online: { type: "boolean", default: false },
        "jira-host": { type: "string", multiple: true },
        color: { type: "boolean" },
        "no-color": { type: "boolean" },
        help: { type: "boolean", short: "h", default: false },
      },
    },
  });
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(LINT_HELP);
    return EXIT.ok;
  }
  if (values["list-rules"]) {
    io.stdout([...RULES_BY_ID.values()].map((r) => `${r.id.padEnd(24)} ${r.severity.padEnd(8)} ${r.docs.summary}`).join("\n") + "\n");
    return EXIT.ok;
  }
  if (values.explain !== undefined) {
    const rule = RULES_BY_ID.get(values.explain);
    if (!rule) {
      const near = closest(values.explain, RULES_BY_ID.keys());
      throw new CliUsageError(`unknown rule "${values.explain}"${near ? `; did you mean "${near}"?` : ""} (see --list-rules)`);
    }
    io.stdout(`${rule.id} (default: ${rule.severity})\n\n${rule.docs.summary}\n\n${rule.docs.details}\n\nBad:\n${indent(rule.docs.bad)}\n\nGood:\n${indent(rule.docs.good)}\n`);
    return EXIT.ok;
  }
  const formatter = FORMATTERS[checkFormat(values.format, Object.keys(FORMATTERS))]!;
  const maxWarnings = parseNumber(values["max-warnings"], "--max-warnings");
  const maxFileMb = parseNumber(values["max-file-size"], "--max-file-size");

  const configPath = values.config ?? REPO_CONFIG_FILE;
  const config = await loadRepoConfig(resolve(io.cwd, configPath), new Set(RULES_BY_ID.keys()), values.config !== undefined, configPath).catch((error: unknown) => Promise.reject(withRuleSuggestion(error)));
  const operands = positionals.length > 0 ? positionals : ["."];
  const report = await lintPaths(operands, {
    cwd: io.cwd,
    config,
    stdin: io.stdin,
    stdinName: values["stdin-filename"],
    maxFileBytes: maxFileMb === undefined ? undefined : maxFileMb * 1024 * 1024,
  });
  if (!values["allow-empty"]) {
    const [empty] = await directoriesWithoutFiles(operands, report.files.map((f) => f.file), io.cwd);
    if (empty !== undefined) throw new CliUsageError(`no YAML files (*.yaml, *.yml) in ${empty}: check the path, or pass --allow-empty`);
  }
  // Online code, jira.js included, loads only here: offline lint stays as fast as it was.
  const all = values.online ? await (await import("./online/run.js")).lintOnline(report, { config, env: io.env, allowedHosts: jiraHosts(values["jira-host"], io.env) }) : report.results;
  const results = values.quiet ? all.filter((r) => r.severity === "error") : all;
  if (report.skipped.length > 0 && !values.quiet) {
    const shown = report.skipped.slice(0, 5).map((f) => printable(f)).join(", ");
    io.stderr(`dojo-jira: skipped ${plural(report.skipped.length, "YAML file")} found in a directory that ${report.skipped.length === 1 ? "is" : "are"} not dojo-jira config (no apiVersion ${API_VERSION}): ${shown}${report.skipped.length > 5 ? ", …" : ""}\n`);
  }
  const colorFlag = values["no-color"] ? false : values.color;
  // A report file gets colours only when --color asks: FORCE_COLOR is about terminals and logs.
  const color = values.output ? (colorFlag ?? false) : wantColor(colorFlag, io.env, io.isTTY);
  const text = formatter({
    results,
    // A getter: the loader works out a file's secrets only when a frame of it is printed.
    sources: new Map(report.files.map((f) => [f.file, { text: f.source, get sensitive() { return f.sensitive; }, position: f.position }])),
    rules: values.online ? [...RULES_BY_ID.values()] : RULES,
    counts: { files: report.files.length, documents: report.files.reduce((n, f) => n + f.documents.length, 0) },
    toolVersion: VERSION,
    cwd: io.cwd,
    color,
  });
  if (values.output) {
    const output = values.output;
    await writeFile(resolve(io.cwd, output), text).catch((error: unknown) => Promise.reject(new CliUsageError(`cannot write --output ${output}: ${ioReason(error)}`)));
  }
  else io.stdout(text);

  const errors = results.filter((r) => r.severity === "error").length;
  const warnings = results.filter((r) => r.severity === "warning").length;
  if (errors > 0) return EXIT.problems;
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    io.stderr(`dojo-jira: ${plural(warnings, "warning")}, more than --max-warnings ${maxWarnings}\n`);
    return EXIT.problems;
  }
  return EXIT.ok;
}

function parseNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new CliUsageError(`${flag} needs a whole number, got "${value}"`);
  return Number(value);
}

function indent(text: string): string {
  return text.replace(/^/gm, "  ");
}

/** .dojo-jira.yaml names rules too: a misspelt one gets the same did-you-mean as --explain. */
function withRuleSuggestion(error: unknown): unknown {
  if (!(error instanceof RepoConfigError) || /did you mean/.test(error.message)) return error;
  const id = /unknown rule "([^"]*)"/.exec(error.message)?.[1];
  const near = id === undefined ? undefined : closest(id, RULES_BY_ID.keys());
  if (near === undefined) return error;
  return new RepoConfigError(error.message.replace(/unknown rule "[^"]*"( in "rules")?/, (found) => `${found}; did you mean "${near}"?`));
}

/** Errors that mean "you called me wrong", as opposed to a bug. */
export function isUsageError(error: unknown): boolean {
  return error instanceof CliUsageError || error instanceof UsageError || error instanceof RepoConfigError;
}

/** Hosts `lint --online` may send credentials to: from the command line and the environment, never from the tree. */
function jiraHosts(flags: string[] | undefined, env: NodeJS.ProcessEnv): string[] {
  const given = [...(flags ?? []), ...(env.DOJO_JIRA_ONLINE_HOSTS ?? "").split(",")].map((h) => h.trim()).filter(Boolean);
  return given.map((h) => {
    try {
      return new URL(h.includes("://") ? h : `https://${h}`).host.toLowerCase();
    } catch {
      throw new CliUsageError(`--jira-host ${printable(h)} is not a host name`);
    }
  });
}
