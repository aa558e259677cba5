import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { configRepo, linkYaml } from "./git-repo.js";

// File names git would print quoted (core.quotePath): non-ASCII, a tab, a quote, a newline.
const NAMES = ["prod-ü.yaml", "tab\there.yaml", 'quo"te.yaml', "new\nline.yaml"];
let repo: Awaited<ReturnType<typeof configRepo>>;

beforeAll(async () => {
  repo = await configRepo("names");
  for (const [i, name] of NAMES.entries()) await repo.write(`config/${name}`, `${linkYaml(`keep-${i}`, `Keep ${i}`, `KEEP${i}`)}---\n${linkYaml(`drop-${i}`, `Drop ${i}`, `DROP${i}`)}`);
  repo.commit("Links in oddly named files");
  for (const [i, name] of NAMES.entries()) await repo.write(`config/${name}`, linkYaml(`keep-${i}`, `Keep ${i}`, `KEEP${i}`));
  repo.commit("Drop one link from each");
  repo.git("rm", "-q", "config/new\nline.yaml");
  await repo.write("config/moved.yaml", linkYaml("keep-3", "Keep 3", "KEEP3"));
  repo.commit("Move a link out of the file with a newline in its name \u001b]0;retitled\u0007");
});
afterAll(() => repo.remove());

describe("diff and log read every file, whatever git would quote in its name", () => {
  it("a link removed from each file is a removal, with the file named exactly", async () => {
    const run = await runCli(["diff", "HEAD~2", "HEAD~1", "--path", "config", "--format", "json"], { cwd: repo.dir });
    expect(run.status, run.stderr).toBe(0);
    const { changes } = JSON.parse(run.stdout) as { changes: Array<{ change: string; name: string; file: string }> };
    expect(changes.map((c) => [c.change, c.name, c.file]).sort()).toEqual(NAMES.map((name, i) => ["removed", `drop-${i}`, name]).sort());
  });

  it("a move names the file it came from, escaped for the terminal", async () => {
    const run = await runCli(["diff", "HEAD~1", "HEAD", "--path", "config"], { cwd: repo.dir });
    expect(run.stdout).toContain(String.raw`~ ProductJiraLink keep-3 (Keep 3) [moved from new\u{a}line.yaml]`);
  });

  it("log counts them, and prints subjects escaped", async () => {
    const run = await runCli(["log", "--path", "config"], { cwd: repo.dir });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(String.raw`its name \u{1b}]0;retitled\u{7}`);
    expect(run.stdout).toMatch(/Drop one link from each\n {4}0 added, 4 removed, 0 changed\n/);
    // examples/basic (an instance, three links) came in the same first commit.
    expect(run.stdout).toMatch(/Links in oddly named files\n {4}12 added, 0 removed, 0 changed\n/);
  });
});
