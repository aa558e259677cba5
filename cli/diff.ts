import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { configAt } from "../audit/config-at.js";
import type { Snapshot } from "../audit/snapshot.js";
import { renderDiff } from "../audit/render.js";
import { semanticDiff } from "../audit/semantic-diff.js";
import { markdownText } from "../text/markdown.js";
import { printable } from "../text/printable.js";
import { checkFormat, parseCommandArgs } from "./args.js";
import { asciiJson } from "./ascii-json.js";
import { CliUsageError, EXIT, type CommandIO } from "./io.js";

export const DIFF_HELP = `Usage: dojo-jira diff <rev-a> [<rev-b>] [--path <dir>] [--format text|markdown|json]

What changed in the Jira configuration between two git revisions (or two directories);
<rev-b> defaults to the working tree. Objects are matched by kind and natural key, so renames and
moves between files show as such; formatting, key order, comments and file splits are no change.
Secret references show only as "reference changed". A risk summary lists what auditors must see.
See also: dojo-jira log.
`;

export const LOG_HELP = `Usage: dojo-jira log [--path <dir>] [-n <count>] [--format text|markdown|json]

The commits that touched the configuration under --path (default: .), newest first, at most
-n (default 20), each with its counts of added, removed and changed objects and the risk summary
of dojo-jira diff (removed links, changed Jira URLs or credentials references, Jira or its webhook
switched off, push flags turned off).
`;

/** What log reads of each commit: hash, short hash, parents, date, author, subject. */
const COMMIT_FIELDS = ["%H", "%h", "%P", "%ad", "%an", "%s"];

const FORMATS = ["text", "markdown", "json"] as const;

export async function diffCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    command: "diff",
    config: { args: argv, allowPositionals: true, options: { path: { type: "string", default: "." }, format: { type: "string", default: "text" }, help: { type: "boolean", short: "h" } } },
  });
  if (values.help) {
    io.stdout(DIFF_HELP);
    return EXIT.ok;
  }
  const format = checkFormat(values.format, FORMATS);
  if (positionals.length < 1 || positionals.length > 2) throw new CliUsageError("give one or two revisions (or directories)");
  const [a, b] = positionals as [string, string | undefined];
  const before = await configAt(a, values.path, io.cwd).catch((e: Error) => Promise.reject(new CliUsageError(e.message)));
  const after = b === undefined ? { ...(await configAt(values.path, ".", io.cwd)), label: "working tree" } : await configAt(b, values.path, io.cwd).catch((e: Error) => Promise.reject(new CliUsageError(e.message)));
  const diff = semanticDiff(before, after);
  io.stdout(format === "json" ? asciiJson(diff) : renderDiff(diff, format));
  return EXIT.ok;
}

export async function logCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs({
    command: "log",
    config: { args: argv, options: { path: { type: "string", default: "." }, format: { type: "string", default: "text" }, n: { type: "string", short: "n", default: "20" }, help: { type: "boolean", short: "h" } } },
  });
  if (values.help) {
    io.stdout(LOG_HELP);
    return EXIT.ok;
  }
  const format = checkFormat(values.format, FORMATS);
  const count = Number(values.n);
  if (!Number.isInteger(count) || count < 1) throw new CliUsageError("-n needs a positive whole number");
  let log: string;
  try {
    // One NUL after every field (-z ends each commit with one too): authors and subjects may hold tabs.
    log = (await promisify(execFile)("git", ["log", "-z", `-n${count}`, `--format=${COMMIT_FIELDS.join("%x00")}`, "--date=short", "--", values.path], { cwd: io.cwd })).stdout;
  } catch (error) {
    throw new CliUsageError(`git log failed: ${(error as { stderr?: string }).stderr?.trim() ?? "not a git repository?"}`);
  }
  const md = format === "markdown";
  const commits: object[] = [];
  const fields = log.split("\0");
  // Newest first: a commit's parent is usually the next commit listed, so its snapshot serves twice.
  let previous: Snapshot | undefined;
  for (let at = 0; at + COMMIT_FIELDS.length <= fields.length; at += COMMIT_FIELDS.length) {
    // `log | head -1`: once the reader is gone, comparing older commits is work for nobody.
    if (io.stdoutClosed?.()) break;
    const [hash, short, parents, date, author, subject] = fields.slice(at, at + COMMIT_FIELDS.length) as [string, string, string, string, string, string];
    const parent = parents.split(" ")[0];
    const after = previous?.label === hash ? previous : await configAt(hash, values.path, io.cwd);
    const before = parent ? await configAt(parent, values.path, io.cwd) : { label: "(nothing)", documents: [], unread: [] };
    previous = before;
    const diff = semanticDiff(before, after);
    const tally = { added: 0, removed: 0, changed: 0 };
    for (const c of diff.changes) tally[c.change]++;
    if (format === "json") {
      const unread = diff.unread.map((u) => ({ file: u.file, reason: u.reason, ...(u.at === diff.to ? {} : { inParent: true }) }));
      commits.push({ commit: hash, short, date, author, subject, ...tally, risks: diff.risks, unread });
      continue;
    }
    const counts = Object.entries(tally).map(([k, n]) => `${n} ${k}`).join(", ");
    // Authors, subjects and names come from the repository: inert in markdown, escaped, one line each.
    const lines = md ? [`- **${short}** ${date} ${markdownText(author)}: ${markdownText(subject)} (${counts})`] : [`${short} ${date} ${author}  ${subject}`, `    ${counts}`];
    for (const risk of diff.risks) lines.push(md ? `  - ⚠️ ${markdownText(risk)}` : `    ! ${risk}`);
    for (const u of diff.unread) {
      const unread = `? ${u.file}${u.at === diff.to ? "" : " in the parent"}: ${u.reason}`;
      lines.push(md ? `  - ${markdownText(unread)}` : `    ${unread}`);
    }
    io.stdout(lines.map((line) => `${printable(line)}\n`).join(""));
  }
  if (format === "json") io.stdout(asciiJson(commits));
  return EXIT.ok;
}
