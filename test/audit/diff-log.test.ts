import { execFileSync } from "node:child_process";
import { cp, mkdtemp, readFile, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/run-cli.js";

// A real git history of a config tree: a formatting-only commit (comments, key order, a file
// split, a rename), then a commit with changes that matter.
let repo: string;
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" });

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "dojo-jira-history-"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "auditor@corp.example");
  git("config", "user.name", "Ada Auditor");
  await cp(join(ROOT, "examples/basic"), join(repo, "config"), { recursive: true });
  git("add", "-A");
  git("commit", "-qm", "Jira config as code");

  const links = await readFile(join(repo, "config/product-links.yaml"), "utf8");
  const [payments, web, identity] = links.split("---\n") as [string, string, string];
  const reordered = web.replace("  product: Web Frontend\n  instance: corp-jira\n", "  instance: corp-jira   # the corp site\n  product: Web Frontend\n").replace("name: web-frontend", "name: web-app");
  await writeFile(join(repo, "config/product-links.yaml"), `# Links, one per product\n${payments}---\n${identity}`);
  await writeFile(join(repo, "config/web.yaml"), reordered);
  git("add", "-A");
  git("commit", "-qm", "Tidy: split files, rename web link");

  await writeFile(join(repo, "config/product-links.yaml"), `${payments.replace("pushAllIssues: true", "pushAllIssues: false")}`);
  const instance = join(repo, "config/jira-instance.yaml");
  await writeFile(instance, (await readFile(instance, "utf8")).replace("fromConfig: corpJiraToken", "fromConfig: corpJiraTokenV2"));
  git("add", "-A");
  git("commit", "-qm", "Stop auto-push for payments, drop identity link, new token");
});

describe("dojo-jira diff and log on real git history", () => {
  it("formatting, comments, key order, file splits are no change; a rename and a move read as such", async () => {
    const run = await runCli(["diff", "HEAD~2", "HEAD~1", "--path", "config", "--format", "json"], { cwd: repo });
    expect(run.status, run.stderr).toBe(0);
    const diff = JSON.parse(run.stdout) as { changes: Array<Record<string, unknown>>; risks: string[] };
    expect(diff.changes).toEqual([{ kind: "ProductJiraLink", key: "Web Frontend", name: "web-app", change: "changed", file: "web.yaml", fields: [], renamedFrom: "web-frontend", movedFrom: "product-links.yaml" }]);
    expect(diff.risks).toEqual([]);
  });

  it("field changes, a removed link and a new credentials reference, with the risks an auditor needs", async () => {
    const run = await runCli(["diff", "HEAD~1", "HEAD", "--path", "config"], { cwd: repo });
    expect(run.stdout).toContain("~ ProductJiraLink payments-api (Payments API)");
    expect(run.stdout).toContain("spec.pushAllIssues: true → false");
    expect(run.stdout).toContain("spec.password: reference changed");
    expect(run.stdout).not.toContain("corpJiraTokenV2");
    expect(run.stdout).toContain("- ProductJiraLink identity-service (Identity Service)");
    expect(run.stdout).toMatch(/! ProductJiraLink identity-service \(Identity Service\) removed: pulumi up refuses while Jira issues are linked/);
    expect(run.stdout).toMatch(/! JiraInstance corp-jira \(Corp Jira\): credentials reference changed/);
    expect(run.stdout).toMatch(/! ProductJiraLink payments-api \(Payments API\): pushAllIssues turned off/);
  });

  it("markdown for a pull-request comment, and a directory against the working tree", async () => {
    const md = await runCli(["diff", "HEAD~2", "--path", "config", "--format", "markdown"], { cwd: repo });
    expect(md.stdout).toMatch(/^### Jira configuration: `HEAD~2` → `working tree`/); // revisions as code: two ~ on a line would strike through
    expect(md.stdout).toContain("- ⚠️ `ProductJiraLink identity-service");
    const bad = await runCli(["diff", "no-such-rev"], { cwd: repo });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/neither a directory nor a git revision/);
  });

  it("log lists the commits that touched the configuration, each with its summary and risks", async () => {
    const run = await runCli(["log", "--path", "config"], { cwd: repo });
    const lines = run.stdout.split("\n");
    expect(lines.filter((l) => /^[0-9a-f]{7,} \d{4}-\d{2}-\d{2} Ada Auditor/.test(l))).toHaveLength(3);
    expect(run.stdout).toMatch(/Stop auto-push for payments, drop identity link, new token\n {4}0 added, 1 removed, 2 changed\n {4}! /);
    expect(run.stdout).toMatch(/Jira config as code\n {4}4 added, 0 removed, 0 changed/);
    await rm(repo, { recursive: true, force: true });
  });
});
