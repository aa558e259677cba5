import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { configRepo } from "./git-repo.js";

// A 65 MB YAML blob in history (over git's and over our 8 MB limit) beside an ordinary change in
// the same commit. It is written from a stream and never checked out, and diff and log must not
// read it either: they report it in one line and go on.
let repo: Awaited<ReturnType<typeof configRepo>>;

beforeAll(async () => {
  repo = await configRepo("big");
  repo.commit("Jira config as code");
  const links = join(repo.dir, "config/product-links.yaml");
  await repo.write("config/product-links.yaml", (await readFile(links, "utf8")).split("---\n").slice(0, 2).join("---\n"));
  repo.git("add", "config/product-links.yaml");
  repo.git("update-index", "--add", "--cacheinfo", `100644,${await repo.bigBlob(65 * 1024 * 1024)},config/generated.yaml`);
  repo.git("commit", "-qm", "Drop identity link, add a generated file");
}, 20_000);
afterAll(() => repo.remove());

describe("a YAML blob larger than the limit", () => {
  it("diff reports it in one line and the rest of the diff as usual", async () => {
    const run = await runCli(["diff", "HEAD~1", "HEAD", "--path", "config"], { cwd: repo.dir });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("- ProductJiraLink identity-service (Identity Service)");
    expect(run.stdout.split("\n").filter((line) => line.includes("generated.yaml"))).toEqual(["  ? generated.yaml at HEAD: skipped: larger than 8 MB"]);
    const json = JSON.parse((await runCli(["diff", "HEAD~1", "HEAD", "--path", "config", "--format", "json"], { cwd: repo.dir })).stdout) as { unread: unknown };
    expect(json.unread).toEqual([{ file: "generated.yaml", at: "HEAD", reason: "skipped: larger than 8 MB" }]);
  });

  it("log names it under the commit that added it, and only there", async () => {
    const run = await runCli(["log", "--path", "config"], { cwd: repo.dir });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/add a generated file\n {4}0 added, 1 removed, 0 changed\n {4}! ProductJiraLink identity-service .*\n {4}\? generated\.yaml: skipped: larger than 8 MB\n/);
    expect(run.stdout.match(/generated\.yaml/g)).toHaveLength(1);
  });

  it("a range where it did not change does not mention it", async () => {
    repo.git("commit", "-q", "--allow-empty", "-m", "Nothing");
    const run = await runCli(["diff", "HEAD~1", "HEAD", "--path", "config"], { cwd: repo.dir });
    expect(run.stdout).toBe("Jira configuration HEAD~1 → HEAD\nNo change.\n");
  });
});
