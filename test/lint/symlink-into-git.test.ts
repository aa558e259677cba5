import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

// Linting from the checkout root (no operand, or "."), .git/ is inside the tree: a pull request's
// `config/x.yaml -> ../.git/config` must still be refused in one line, its content never printed.
describe("lint run from the checkout root", () => {
  it.each([[[] as string[]], [["."]]])("config/x.yaml -> ../.git/config is not read (operands %j)", async (operands) => {
    const repo = await mkdtemp(join(tmpdir(), "lint-git-config-"));
    await mkdir(join(repo, ".git"));
    await writeFile(join(repo, ".git", "config"), "[core]\n\trepositoryformatversion = 0\n\tcanaryGitConfigLine = 1\n[user]\n\tname = x\n");
    await mkdir(join(repo, "config"));
    await symlink("../.git/config", join(repo, "config", "x.yaml"));
    const run = await runCli(["lint", ...operands], { cwd: repo });
    const printed = run.stdout + run.stderr;
    expect(printed.includes("canaryGitConfigLine") || printed.includes("repositoryformatversion"), "lines of .git/config were printed").toBe(false);
    expect(printed).toContain("not read");
  });
});
