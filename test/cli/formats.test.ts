import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/run-cli.js";

// One rule for --format in every command: an unknown value is exit 2 with one line naming what the
// command accepts, decided before any work; and every accepted format really is that format.

let repo: string;

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "dojo-jira-formats-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: "Ann Auditor", GIT_AUTHOR_EMAIL: "a@example.test", GIT_COMMITTER_NAME: "a", GIT_COMMITTER_EMAIL: "a@example.test" } });
  git("init", "-q");
  await writeFile(join(repo, "links.yaml"), "apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: payments\nspec:\n  product: Payments API\n  instance: corp-jira\n  projectKey: PAY\n");
  git("add", ".");
  git("commit", "-q", "-m", "payments link");
  await writeFile(join(repo, "links.yaml"), "apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: payments\nspec:\n  product: Payments API\n  instance: corp-jira\n  projectKey: PAY\n  enabled: false\n");
  git("commit", "-q", "-am", "payments link off");
});
afterAll(() => rm(repo, { recursive: true, force: true }));

describe("an unknown --format", () => {
  it.each([
    ["lint", ["lint", "."], "stylish, json, sarif, junit, github"],
    ["diff", ["diff", "HEAD~1", "HEAD"], "text, markdown, json"],
    ["log", ["log"], "text, markdown, json"],
    // Checked before DefectDojo is called: no credentials are needed to hear about the format.
    ["drift", ["drift", "."], "text, markdown, json"],
  ])("%s: exit 2, naming the accepted formats", async (command, args, accepted) => {
    const run = await runCli([...args, "--format", "xml"], { cwd: repo, env: { DEFECTDOJO_URL: "", DEFECTDOJO_API_TOKEN: "" } });
    expect(run.stderr).toBe(`dojo-jira ${command}: unknown format "xml" (accepted: ${accepted})\n`);
    expect(run.stdout).toBe("");
    expect(run.status).toBe(2);
  });

  it.each([
    ["export", ["export", "--out", "x"], "it writes YAML files and prints a text report"],
    ["check-webhook", ["check-webhook"], "it prints text"],
    ["discover", ["discover"], "it prints a YAML fragment"],
  ])("%s, which has one output: exit 2, saying what it prints", async (command, args, says) => {
    const run = await runCli([...args, "--format", "json"], { cwd: repo });
    expect(run.stderr).toBe(`dojo-jira ${command}: ${command} has no --format option: ${says}\n`);
    expect(run.status).toBe(2);
  });
});

describe("each accepted format is that format", () => {
  it("log --format json is JSON: one entry per commit with its counts and risks", async () => {
    const run = await runCli(["log", "--format", "json"], { cwd: repo });
    expect(run.status, run.stderr).toBe(0);
    const commits = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(commits).toEqual([
      expect.objectContaining({ subject: "payments link off", author: "Ann Auditor", added: 0, removed: 0, changed: 1, risks: expect.arrayContaining([expect.stringMatching(/payments \(Payments API\): link disabled/)]), unread: [] }),
      expect.objectContaining({ subject: "payments link", added: 1, removed: 0, changed: 0, unread: [] }),
    ]);
    expect(commits[0]!.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it("log text and markdown", async () => {
    const text = await runCli(["log"], { cwd: repo });
    expect(text.stdout).toMatch(/^[0-9a-f]+ \d{4}-\d\d-\d\d Ann Auditor {2}payments link off\n {4}0 added, 0 removed, 1 changed\n/);
    const md = await runCli(["log", "--format", "markdown"], { cwd: repo });
    expect(md.stdout).toMatch(/^- \*\*[0-9a-f]+\*\* \d{4}-\d\d-\d\d `Ann Auditor`: `payments link off` \(0 added, 0 removed, 1 changed\)\n/);
  });

  it.each(["json", "sarif"])("lint --format %s is JSON", async (format) => {
    const run = await runCli(["lint", join(ROOT, "examples/basic"), "--format", format]);
    expect(run.status, run.stderr).toBe(0);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
  });

  it("diff --format json is JSON", async () => {
    const run = await runCli(["diff", "HEAD~1", "HEAD", "--format", "json"], { cwd: repo });
    expect((JSON.parse(run.stdout) as { changes: unknown[] }).changes).toHaveLength(1);
  });
});
