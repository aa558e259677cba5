import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

// The shipped pre-commit hook lints the repository root: GitHub workflows, Pulumi.yaml and the
// pre-commit config are YAML too, but not ours. Found by walking a directory, they are skipped (and
// said so); named on the command line, or with a slip of our apiVersion or kind, they are linted.
async function repo(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "lint-foreign-"));
  await mkdir(join(root, ".github/workflows"), { recursive: true });
  await mkdir(join(root, "config"));
  await writeFile(join(root, ".github/workflows/ci.yml"), "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{ run: npm test }]\n");
  await writeFile(join(root, "Pulumi.yaml"), "name: acme\nruntime: nodejs\nmain: node_modules/dojo-jira/dist/program/index.js\n");
  await writeFile(join(root, "config/instance.yaml"), "apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: corp-jira\nspec:\n  url: https://corp.atlassian.net\n  username: svc\n  password: { fromConfig: corpJiraToken }\n  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n");
  await writeFile(join(root, "config/links.yaml"), "apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: pay\nspec:\n  product: Payments API\n  instance: corp-jira\n  projectKey: PAY\n");
  return root;
}

describe("YAML that is not dojo-jira config", () => {
  it("is skipped, and named, when lint walks the repository root", async () => {
    const root = await repo();
    const run = await runCli(["lint"], { cwd: root });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("2 files, 2 documents: no problems");
    expect(run.stderr).toBe("dojo-jira: skipped 2 YAML files found in a directory that are not dojo-jira config (no apiVersion defectdojo-jira/v1): .github/workflows/ci.yml, Pulumi.yaml\n");
  });

  it("is linted when named, and a slip of our apiVersion is never skipped", async () => {
    const root = await repo();
    expect((await runCli(["lint", "Pulumi.yaml"], { cwd: root })).status).toBe(1);
    await writeFile(join(root, "config/typo.yaml"), "apiVersion: defectdojo-jria/v1\nkind: JiraInstnce\nmetadata:\n  name: x\n");
    const run = await runCli(["lint", "--format", "json"], { cwd: root });
    expect(run.status).toBe(1);
    expect((JSON.parse(run.stdout) as { results: Array<{ file: string }> }).results.map((r) => r.file)).toContain("config/typo.yaml");
  });

  it.each([
    ["written as a list item", "- apiVersion: defectdojo-jira/v1\n  kind: ProductJiraLink\n  metadata:\n    name: web\n  spec:\n    product: Web\n    instance: corp-jira\n    projectKey: WEB\n"],
    ["nested under a key", "items:\n  - { apiVersion: defectdojo-jira/v1, kind: ProductJiraLink, metadata: { name: web }, spec: { product: Web, instance: corp-jira, projectKey: WEB } }\n"],
  ])("a document of ours %s is linted, not skipped: undeclared, its link would be deleted", async (_, text) => {
    const root = await repo();
    await writeFile(join(root, "config/web.yaml"), text);
    const run = await runCli(["lint", "--format", "json"], { cwd: root });
    expect(run.status).toBe(1);
    expect((JSON.parse(run.stdout) as { results: Array<{ file: string; ruleId: string }> }).results.filter((r) => r.file === "config/web.yaml").map((r) => r.ruleId)).toEqual(["unknown-kind"]);
    expect(run.stderr).not.toContain("config/web.yaml");
  });
});
