import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliBounded } from "./all-formats.js";

const CANARY = "RepoConfigCanary-r1";

/** A checkout whose .dojo-jira.yaml (it comes with the pull request too) is hostile. */
async function checkout(write: (path: string) => Promise<void>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "dojo-jira-repo-config-"));
  await mkdir(join(root, "repo"));
  await writeFile(join(root, "repo", "ok.yaml"), "a: 1\n");
  await write(join(root, "repo", ".dojo-jira.yaml"));
  return join(root, "repo");
}

describe("a hostile .dojo-jira.yaml gets a one-line usage error", () => {
  it("a FIFO is refused at once, not waited on", async () => {
    const cwd = await checkout(async (path) => void execFileSync("mkfifo", [path]));
    const run = await runCliBounded(["lint", "ok.yaml"], { cwd, timeoutMs: 10_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^dojo-jira lint: \.dojo-jira\.yaml: not a regular file; not read\n$/);
  });

  it("a symlink out of the working directory is not read", async () => {
    const cwd = await checkout(async (path) => {
      await writeFile(join(path, "..", "..", "outside.yaml"), `rules:\n  ${CANARY}: error\n`);
      await symlink("../outside.yaml", path);
    });
    const run = await runCliBounded(["lint", "ok.yaml"], { cwd });
    expect(run.status).toBe(2);
    expect(`${run.stdout}${run.stderr}`.includes(CANARY)).toBe(false);
    expect(run.stderr).toMatch(/^dojo-jira lint: \.dojo-jira\.yaml: symbolic link leads outside \.; not read\n$/);
  });

  it.each([
    ["endless comment lines", `rules: {}\n${"#\n".repeat(300_000)}`],
    // Found by an attacker: parsed with unique keys checked pairwise, 60,000 took 13 s, 200,000 minutes.
    ["60,000 rule keys", `---\nrules:\n${Array.from({ length: 60_000 }, (_, i) => `  k${i}: off\n`).join("")}`],
  ])("a .dojo-jira.yaml of %s is refused at once", async (_, text) => {
    const cwd = await checkout((path) => writeFile(path, text));
    const run = await runCliBounded(["lint", "ok.yaml"], { cwd, timeoutMs: 10_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^dojo-jira lint: \.dojo-jira\.yaml: file is 0\.\d MB, over the 64 KB a repository config may hold\n$/);
  });

  it.each(["rules:\n  literal-secret: off\n---\n", "---\n---\nrules: {}\n", "rules: {}\n--- # x\n"])("more than one document (%j), empty ones included, is refused whichever reader sees it", async (text) => {
    const cwd = await checkout((path) => writeFile(path, text));
    const run = await runCliBounded(["lint", "ok.yaml"], { cwd });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^dojo-jira lint: \.dojo-jira\.yaml: .*multiple documents/);
  });
});
