import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, ROOT, runCli } from "../helpers/run-cli.js";

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "dojo-jira-nits-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

const ESC = "\u001b[";
const VERSION = (await import("../../package.json", { with: { type: "json" } })).default.version;

describe("version and help", () => {
  it.each([["-V"], ["--version"], ["-v"]])("%s prints the version", async (flag) => {
    const run = await runCli([flag]);
    expect(run.stdout).toBe(`${VERSION}\n`);
    expect(run.status).toBe(0);
  });

  it.each(["lint", "log", "diff", "drift", "export", "discover", "check-webhook"])("help %s is the command's own --help, naming it in its usage line", async (command) => {
    const viaHelp = await runCli(["help", command]);
    const viaFlag = await runCli([command, "--help"]);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toMatch(new RegExp(`^Usage: dojo-jira ${command} `));
    expect(viaHelp.status).toBe(0);
  });

  it("an unknown command or top-level option: one line, a did-you-mean, exit 2", async () => {
    const misspelt = await runCli(["lnt"]);
    expect(misspelt.stderr).toBe("dojo-jira: unknown command lnt; did you mean lint?\n");
    expect(misspelt.status).toBe(2);
    const help = await runCli(["help", "exprot"]);
    expect(help.stderr).toBe("dojo-jira: unknown command exprot; did you mean export?\n");
    const option = await runCli(["--verison"]);
    expect(option.stderr).toBe("dojo-jira: unknown option --verison; did you mean --version?\n");
    expect(option.status).toBe(2);
    expect((await runCli(["frobnicate"])).stderr).toBe("dojo-jira: unknown command frobnicate (see dojo-jira --help)\n");
  });
});

describe("unknown options, in every command", () => {
  it.each([
    ["lint", []],
    ["log", []],
    ["diff", ["HEAD"]],
    ["drift", ["."]],
    ["export", []],
    ["discover", []],
    ["check-webhook", []],
  ])("%s --bogus: 'unknown option --bogus', exit 2, no node text", async (command, args) => {
    const run = await runCli([command, ...(args as string[]), "--bogus"], { cwd: work });
    expect(run.stderr).toBe(`dojo-jira ${command}: unknown option --bogus (see dojo-jira ${command} --help)\n`);
    expect(run.status).toBe(2);
  });

  it("a misspelt long option gets a did-you-mean; values are checked too", async () => {
    expect((await runCli(["log", "--pth", "config"])).stderr).toBe("dojo-jira log: unknown option --pth; did you mean --path?\n");
    expect((await runCli(["drift", "--defectdojo-ur", "x"])).stderr).toBe("dojo-jira drift: unknown option --defectdojo-ur; did you mean --defectdojo-url?\n");
    expect((await runCli(["lint", "--format"])).stderr).toBe("dojo-jira lint: option --format needs a value (see dojo-jira lint --help)\n");
    expect((await runCli(["lint", "--quiet=yes"])).stderr).toBe("dojo-jira lint: option --quiet takes no value\n");
    expect((await runCli(["log", "stray"], { cwd: work })).stderr).toBe('dojo-jira log: unexpected argument "stray" (see dojo-jira log --help)\n');
  });
});

describe("a path that cannot be written", () => {
  it("lint -o into a missing directory: one line, exit 2, no 'internal error'", async () => {
    const target = join(work, "no", "such", "dir", "report.sarif");
    const run = await runCli(["lint", join(ROOT, "examples/basic"), "--format", "sarif", "-o", target]);
    expect(run.stderr).toBe(`dojo-jira lint: cannot write --output ${target}: its directory does not exist\n`);
    expect(run.status).toBe(2);
  });

  it("lint -o onto a directory", async () => {
    const run = await runCli(["lint", join(ROOT, "examples/basic"), "--output", work]);
    expect(run.stderr).toBe(`dojo-jira lint: cannot write --output ${work}: it is a directory\n`);
    expect(run.status).toBe(2);
  });

  it("export --out below a file", async () => {
    const file = join(work, "a-file");
    await writeFile(file, "x");
    const run = await runCli(["export", "--out", join(file, "config")], { env: { DEFECTDOJO_URL: "http://127.0.0.1:9", DEFECTDOJO_API_TOKEN: "t" } });
    expect(run.stderr).toBe(`dojo-jira export: cannot write into --out ${join(file, "config")}: a part of the path is a file, not a directory\n`);
    expect(run.status).toBe(2);
  });
});

describe("discover without credentials", () => {
  it("is a usage error: exit 2, one line, before Jira is called", async () => {
    const run = await runCli(["discover", "--jira-url", "http://127.0.0.1:9", "--issue-key", "SEC-1"], { env: { JIRA_USERNAME: "", JIRA_PASSWORD: "", JIRA_API_TOKEN: "", JIRA_PAT: "" } });
    expect(run.stderr).toBe("dojo-jira discover: Jira credentials missing: set JIRA_USERNAME (or --username) and JIRA_PASSWORD (or JIRA_API_TOKEN), or JIRA_PAT for a Data Center token\n");
    expect(run.status).toBe(2);
  });
});

describe("colours", () => {
  const lint = (env: NodeJS.ProcessEnv, args: string[] = []) => runCli(["lint", join(ROOT, "examples/broken"), ...args], { env: { NO_COLOR: "", FORCE_COLOR: "", TERM: "xterm", ...env } });

  it("FORCE_COLOR colours a pipe; FORCE_COLOR=0, NO_COLOR and a pipe alone do not", async () => {
    expect((await lint({ FORCE_COLOR: "1" })).stdout).toContain(ESC);
    expect((await lint({ FORCE_COLOR: "1", NO_COLOR: "1" })).stdout).toContain(ESC);
    expect((await lint({ FORCE_COLOR: "0" })).stdout).not.toContain(ESC);
    expect((await lint({ NO_COLOR: "1" })).stdout).not.toContain(ESC);
    expect((await lint({})).stdout).not.toContain(ESC);
    expect((await lint({ FORCE_COLOR: "1" }, ["--no-color"])).stdout).not.toContain(ESC);
    expect((await lint({}, ["--color"])).stdout).toContain(ESC);
  });

  // script(1) gives the CLI a real terminal.
  const inTerminal = async (env: NodeJS.ProcessEnv) =>
    (await promisify(execFile)("script", ["-qec", `"${process.execPath}" "${CLI}" lint "${join(ROOT, "examples/broken")}"`, "/dev/null"], { env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", TERM: "xterm", ...env } }).catch((e: { stdout: string }) => e)).stdout;

  it("a terminal gets colours, unless TERM=dumb or NO_COLOR", async () => {
    expect(await inTerminal({})).toContain(ESC);
    expect(await inTerminal({ TERM: "dumb" })).not.toContain(ESC);
    expect(await inTerminal({ NO_COLOR: "1" })).not.toContain(ESC);
  });
});
