import { execFile } from "node:child_process";
import { parseArgs, promisify } from "node:util";
import { configAt } from "../audit/config-at.js";
import { renderDiff } from "../audit/render.js";
import { semanticDiff } from "../audit/semantic-diff.js";
import { CliUsageError, EXIT, type CommandIO } from "./io.js";

export const DIFF_HELP = `Usage: dojo-jira diff <rev-a> [<rev-b>] [--path <dir>] [--format text|markdown|json]
       dojo-jira log [--path <dir>] [-n <count>] [--format text|markdown]

diff: what changed in the Jira configuration between two git revisions (or two directories);
<rev-b> defaults to the working tree. Objects are matched by kind and natural key, so renames and
moves between files show as such; formatting, key order, comments and file splits are no change.
Secret references show only as "reference changed". A risk summary lists what auditors must see.
log: the commits that touched the configuration, newest first, each with that summary.
`;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: { path: { type: "string", default: "." }, format: { type: "string", default: "text" }, n: { type: "string", short: "n", default: "20" }, help: { type: "boolean", short: "h" } } });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

export async function diffCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    io.stdout(DIFF_HELP);
    return EXIT.ok;
  }
  const format = values.format as "text" | "markdown" | "json";
  if (!["text", "markdown", "json"].includes(format)) throw new CliUsageError(`unknown format "${values.format}" (text, markdown, json)`);
  if (positionals.length < 1 || positionals.length > 2) throw new CliUsageError("give one or two revisions (or directories)");
  const [a, b] = positionals as [string, string | undefined];
  const before = await configAt(a, values.path, io.cwd).catch((e: Error) => Promise.reject(new CliUsageError(e.message)));
  const after = b === undefined ? { ...(await configAt(values.path, ".", io.cwd)), label: "working tree" } : await configAt(b, values.path, io.cwd).catch((e: Error) => Promise.reject(new CliUsageError(e.message)));
  io.stdout(renderDiff(semanticDiff(before, after), format));
  return EXIT.ok;
}

export async function logCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(argv);
  if (values.help) {
    io.stdout(DIFF_HELP);
    return EXIT.ok;
  }
  const count = Number(values.n);
  if (!Number.isInteger(count) || count < 1) throw new CliUsageError("-n needs a positive whole number");
  let log: string;
  try {
    log = (await promisify(execFile)("git", ["log", `-n${count}`, "--format=%H%x09%h%x09%an%x09%ad%x09%s", "--date=short", "--", values.path], { cwd: io.cwd })).stdout;
  } catch (error) {
    throw new CliUsageError(`git log failed: ${(error as { stderr?: string }).stderr?.trim() ?? "not a git repository?"}`);
  }
  const md = values.format === "markdown";
  for (const line of log.split("\n").filter(Boolean)) {
    const [hash, short, author, date, subject] = line.split("\t") as [string, string, string, string, string];
    const parent = await promisify(execFile)("git", ["rev-parse", "--verify", "--quiet", `${hash}^`], { cwd: io.cwd }).then((r) => r.stdout.trim(), () => undefined);
    const before = parent ? await configAt(parent, values.path, io.cwd) : { label: "(nothing)", documents: [] };
    const diff = semanticDiff(before, await configAt(hash, values.path, io.cwd));
    const counts = ["added", "removed", "changed"].map((k) => `${diff.changes.filter((c) => c.change === k).length} ${k}`).join(", ");
    io.stdout(md ? `- **${short}** ${date} ${author}: ${subject} (${counts})\n` : `${short} ${date} ${author}  ${subject}\n    ${counts}\n`);
    for (const risk of diff.risks) io.stdout(md ? `  - ⚠️ ${risk}\n` : `    ! ${risk}\n`);
  }
  return EXIT.ok;
}
