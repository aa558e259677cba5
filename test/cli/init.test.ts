import { mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../helpers/run-cli.js";

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "dojo-jira-init-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe("dojo-jira init", () => {
  it("scaffolds a config repo whose tree lints clean, with one document of each kind", async () => {
    const run = await runCli(["init", "acme-config"], { cwd: work });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("pulumi login");
    const repo = join(work, "acme-config");
    const pulumiYaml = parse(await readFile(join(repo, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
    expect(pulumiYaml).toMatchObject({ name: "acme-config", runtime: { name: "nodejs", options: { typescript: false } }, main: "node_modules/dojo-jira/dist/program/index.js" });
    const lint = await runCli(["lint", "config/", "--format", "json"], { cwd: repo });
    const report = JSON.parse(lint.stdout) as { results: Array<{ ruleId: string }> };
    expect(report.results).toEqual([]);
    expect(lint.status).toBe(0);
    const kinds = [];
    for (const file of ["jira-settings", "jira-instance", "product-links", "engagement-links", "jira-webhook"]) kinds.push((parse(await readFile(join(repo, "config", `${file}.yaml`), "utf8")) as { kind: string }).kind);
    expect(kinds.sort()).toEqual(["EngagementJiraLink", "JiraInstance", "JiraSettings", "JiraWebhook", "ProductJiraLink"]);
    const workflow = await readFile(join(repo, ".github/workflows/dojo-jira.yml"), "utf8");
    expect(workflow).toContain("--format sarif");
    expect(workflow).toContain("upload-sarif");
    expect(await readFile(join(repo, ".pre-commit-config.yaml"), "utf8")).toContain("pass_filenames: false");
  });

  it("never overwrites: a second init lists what exists and writes nothing", async () => {
    const run = await runCli(["init", "acme-config"], { cwd: work });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^dojo-jira init: these files exist and were left alone \(nothing written; --force overwrites\): package\.json, Pulumi\.yaml/);
  });

  it("treats a dangling symbolic link as an existing file: nothing is written through it", async () => {
    const repo = join(work, "linked");
    await mkdir(repo);
    await symlink(join(work, "elsewhere.json"), join(repo, "package.json"));
    const run = await runCli(["init", "linked"], { cwd: work });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("package.json");
    await expect(readFile(join(work, "elsewhere.json"), "utf8")).rejects.toThrow();
  });
});
