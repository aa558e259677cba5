import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FORMAT_NAMES, leaks, lintInEveryFormat } from "./all-formats.js";

const GIT_TOKEN = "ghs_CanaryGitExtraheader0123456789";
const ENV_CANARY = "EnvCanaryValue-7f3a91c";
const VALID_LINK = "apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: pay\nspec:\n  product: Payments API\n  instance: corp-jira\n  projectKey: PAY\n";

/** A checkout whose config/ holds symlinks out of the tree, as a hostile pull request could add them. */
async function checkout(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "dojo-jira-symlink-"));
  await mkdir(join(root, ".git"));
  await writeFile(join(root, ".git", "config"), `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${GIT_TOKEN}\n`);
  await mkdir(join(root, "config"));
  await writeFile(join(root, "config", "ok.yaml"), VALID_LINK);
  await symlink("../.git/config", join(root, "config", "x.yaml"));
  await symlink("/proc/self/environ", join(root, "config", "env.yaml"));
  await symlink("..", join(root, "config", "up"));
  return root;
}

describe("lint never reads a file whose real path leaves the linted tree", () => {
  it("symlinks out of a directory operand are refused in one line, with no content, in every format", async () => {
    const cwd = await checkout();
    const runs = await lintInEveryFormat(["config"], { cwd, env: { DOJO_JIRA_TEST_CANARY: ENV_CANARY } });
    expect(leaks(runs, { gitExtraheader: GIT_TOKEN, environment: ENV_CANARY })).toEqual([]);
    for (const format of FORMAT_NAMES) expect(runs[format].status, format).toBe(1);
    const json = JSON.parse(runs.json.stdout) as { results: Array<{ file: string; message: string; ruleId: string }> };
    const refused = json.results.filter((r) => /outside/.test(r.message));
    expect(refused.map((r) => r.file).sort()).toEqual(["config/env.yaml", "config/up", "config/x.yaml"]);
    for (const r of refused) expect(r.message).toMatch(/^symbolic link leads outside config; not read$/);
    // stylish: the refusal has no code frame (there is no content to show)
    expect(runs.stylish.stdout).not.toMatch(/extraheader|\[http/);
  });

  it("an explicit file operand that is a symlink is judged against its own directory", async () => {
    const cwd = await checkout();
    const runs = await lintInEveryFormat(["config/x.yaml", "config/env.yaml", "config/ok.yaml"], { cwd, env: { DOJO_JIRA_TEST_CANARY: ENV_CANARY } });
    expect(leaks(runs, { gitExtraheader: GIT_TOKEN, environment: ENV_CANARY })).toEqual([]);
    const json = JSON.parse(runs.json.stdout) as { results: Array<{ file: string; message: string }> };
    expect(json.results.filter((r) => /outside/.test(r.message)).map((r) => r.file).sort()).toEqual(["config/env.yaml", "config/x.yaml"]);
  });

  it("a symlink that stays inside the tree is still followed", async () => {
    const cwd = await checkout();
    await symlink("ok.yaml", join(cwd, "config", "alias.yaml"));
    const runs = await lintInEveryFormat(["config/alias.yaml"], { cwd });
    expect(JSON.parse(runs.json.stdout).results).toEqual([expect.objectContaining({ ruleId: "unknown-instance" })]);
  });

  it("FIFOs and devices are refused without being opened for reading", async () => {
    const cwd = await checkout();
    execFileSync("mkfifo", [join(cwd, "config", "pipe.yaml")]);
    const started = Date.now();
    const runs = await lintInEveryFormat(["config/pipe.yaml", "/dev/zero"], { cwd, timeoutMs: 10_000 });
    expect(Date.now() - started).toBeLessThan(20_000);
    const json = JSON.parse(runs.json.stdout) as { results: Array<{ file: string; message: string }> };
    expect(json.results.map((r) => [r.file, r.message])).toEqual([
      ["/dev/zero", "not a regular file; not read"],
      ["config/pipe.yaml", "not a regular file; not read"],
    ]);
    for (const format of FORMAT_NAMES) expect(runs[format].status, format).toBe(1);
  });
});

describe("an operand that is itself a symlink out of the working directory", () => {
  it.each([["config"], ["config/"], ["config/**/*.yml"], ["config/_temp/app-settings.yml"]])("%s is refused in one line, and nothing outside is read", async (operand) => {
    // Found by an attacker: the pull request replaces config/ with a link to the runner's work
    // folder, whose other files (here with an anchor, so not skipped as foreign) were printed.
    const runner = await mkdtemp(join(tmpdir(), "dojo-jira-runner-"));
    await mkdir(join(runner, "_temp"));
    await writeFile(join(runner, "_temp", "app-settings.yml"), "defaults: &defaults\n  db_host: prod-db.internal.corp\nservice:\n  <<: *defaults\n");
    await mkdir(join(runner, "repo"));
    await symlink("..", join(runner, "repo", "config"));
    const runs = await lintInEveryFormat([operand], { cwd: join(runner, "repo") });
    for (const format of FORMAT_NAMES) {
      expect(runs[format].stdout + runs[format].stderr, format).not.toContain("prod-db.internal.corp");
      expect(runs[format].status, format).toBe(1);
    }
    expect(runs.stylish.stdout).toContain(`${operand}\n  1:1  error  symbolic link leads outside the working directory; not read`);
  });
});
