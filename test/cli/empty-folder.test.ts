import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

// A wrong path in CI must not pass green: a directory operand without YAML files is exit 2.
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "dojo-jira-empty-"));
  await mkdir(join(work, "config"));
  await mkdir(join(work, "docs"));
  await writeFile(join(work, "config", "link.yaml"), "apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: corp-jira\nspec:\n  url: https://corp.atlassian.net\n  username: svc@corp.example\n  password: { fromConfig: corpJiraToken }\n  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n");
  await writeFile(join(work, "docs", "README.md"), "not YAML\n");
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe("a directory without YAML files", () => {
  it("is named, even beside one that has files, in every format", async () => {
    for (const format of ["stylish", "sarif"]) {
      const run = await runCli(["lint", "config/", "docs/", "--format", format], { cwd: work });
      expect(run.stderr).toBe("dojo-jira lint: no YAML files (*.yaml, *.yml) in docs/: check the path, or pass --allow-empty\n");
      expect(run.stdout).toBe("");
      expect(run.status).toBe(2);
    }
  });

  it("--allow-empty lints what there is", async () => {
    const run = await runCli(["lint", "config/", "docs/", "--allow-empty", "--format", "json"], { cwd: work });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { results: Array<{ file: string }> }).results.map((r) => r.file)).toEqual(["config/link.yaml"]); // its unused-instance warning
  });

  it("a directory whose files are all found through another operand is not empty", async () => {
    const run = await runCli(["lint", ".", "config"], { cwd: work });
    expect(run.status, run.stderr).toBe(0);
  });

  it("drift of an empty tree is a wrong path, not 'everything only in DefectDojo'", async () => {
    const run = await runCli(["drift", "docs"], { cwd: work, env: { DEFECTDOJO_URL: "http://127.0.0.1:9", DEFECTDOJO_API_TOKEN: "t" } });
    expect(run.stderr).toBe("dojo-jira drift: no YAML files (*.yaml, *.yml) in docs: check the path\n");
    expect(run.status).toBe(2);
  });

  it("the help documents --allow-empty", async () => {
    expect((await runCli(["lint", "--help"])).stdout).toMatch(/--allow-empty +pass when a directory holds no YAML file/);
  });
});
