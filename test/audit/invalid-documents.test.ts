import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliRun } from "../helpers/run-cli.js";
import { configRepo } from "./git-repo.js";

// A commit that breaks documents instead of removing them: the instance gets a literal password,
// a token pasted into a text field and a new URL; one of three links in a file gets a field of the
// wrong type. An auditor must see what became invalid (by rule id) and what changed, never the
// secrets, and must not be told that anything was removed.
const PASSWORD = "hunter2-literal-canary";
const TOKEN = "ATATT3xFfGF0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
let repo: Awaited<ReturnType<typeof configRepo>>;

const diff = (from: string, to: string, ...args: string[]) => runCli(["diff", from, to, "--path", "config", ...args], { cwd: repo.dir });

/** Asserted as booleans, so that a failing test does not print the secrets either. */
function expectNoSecret(run: CliRun): void {
  expect((run.stdout + run.stderr).includes(PASSWORD), "the literal password was printed").toBe(false);
  expect((run.stdout + run.stderr).includes(TOKEN), "the pasted token was printed").toBe(false);
}

beforeAll(async () => {
  repo = await configRepo("invalid");
  repo.commit("Jira config as code");
  repo.git("tag", "base");
  const edit = async (file: string, change: (text: string) => string) => repo.write(file, change(await readFile(join(repo.dir, file), "utf8")));
  await edit("config/jira-instance.yaml", (text) =>
    text
      .replace("password: { fromConfig: corpJiraToken }", `password: ${PASSWORD}`)
      .replace("url: https://corp.atlassian.net", `url: https://jira.new.example\n  findingText: ${TOKEN}`),
  );
  await edit("config/product-links.yaml", (text) => text.replace("  component: frontend\n", '  component: frontend\n  pushAllIssues: "yes"\n'));
  repo.commit("New Jira site");
  repo.git("tag", "invalid");
  await edit("config/product-links.yaml", (text) => text.replace('  pushAllIssues: "yes"\n', "  pushAllIssues: true\n"));
  repo.commit("Fix the link");
  repo.git("tag", "fixed");
  await edit("config/product-links.yaml", (text) => text.replace("metadata:\n  name: payments-api", "metadata: [\n  name: payments-api"));
  repo.commit("Break the YAML of the links file");
  repo.git("tag", "broken");
});
afterAll(() => repo.remove());

describe("a document that became invalid is shown as such, not as removed", () => {
  it("text: which rules it breaks, what changed, secrets only as changed; its valid neighbours untouched", async () => {
    const run = await diff("base", "invalid");
    expectNoSecret(run);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/^ {2}- /m);
    expect(run.stdout).toContain("~ JiraInstance corp-jira (Corp Jira) [invalid: literal-secret, secret-like-value]");
    expect(run.stdout).toContain('spec.url: "https://corp.atlassian.net" → "https://jira.new.example"');
    expect(run.stdout).toContain("spec.password: secret changed (literal, not shown)");
    expect(run.stdout).toContain("spec.findingText: secret changed (literal, not shown)");
    expect(run.stdout).toContain('~ ProductJiraLink web-frontend (Web Frontend) [invalid: schema]\n      spec.pushAllIssues: (unset) → "yes"');
    expect(run.stdout).not.toMatch(/payments-api|identity-service/);
    expect(run.stdout).toContain("! JiraInstance corp-jira (Corp Jira): invalid (literal-secret, secret-like-value); pulumi up stops at lint errors");
    expect(run.stdout).toContain("! JiraInstance corp-jira (Corp Jira): literal secret in spec.findingText, spec.password; it is in git history now: rotate it");
    expect(run.stdout).toContain("! JiraInstance corp-jira (Corp Jira): Jira URL changed");
  });

  it("markdown, JSON and log say the same, without the secrets", async () => {
    const md = await diff("base", "invalid", "--format", "markdown");
    expectNoSecret(md);
    expect(md.stdout).toContain("- ~ `JiraInstance corp-jira (Corp Jira)` [`invalid: literal-secret, secret-like-value`]");
    const json = await diff("base", "invalid", "--format", "json");
    expectNoSecret(json);
    const { changes } = JSON.parse(json.stdout) as { changes: Array<Record<string, unknown>> };
    expect(changes.map((c) => [c.change, c.name, c.invalid])).toEqual([
      ["changed", "corp-jira", ["literal-secret", "secret-like-value"]],
      ["changed", "web-frontend", ["schema"]],
    ]);
    expect(changes[0]!.fields).toContainEqual({ field: "spec.password", secret: "literal" });
    const log = await runCli(["log", "--path", "config"], { cwd: repo.dir });
    expectNoSecret(log);
    expect(log.stdout).toMatch(/New Jira site\n {4}0 added, 0 removed, 2 changed\n/);
  });

  it("a fix reads as the document becoming valid again", async () => {
    const run = await diff("invalid", "fixed");
    expect(run.stdout).toContain('~ ProductJiraLink web-frontend (Web Frontend) [was invalid: schema]\n      spec.pushAllIssues: "yes" → true');
  });

  it("a file whose YAML broke is one line saying so; its objects are not called removed", async () => {
    const run = await diff("fixed", "broken");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\n {2}\? product-links\.yaml at broken: not read: .+\n$/);
    expect(run.stdout).not.toMatch(/removed|^ {2}- /m);
  });
});
