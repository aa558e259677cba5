import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { startJiraEmulator, type JiraEmulator } from "../../emulators/jira/server.js";
import { LocalStack } from "../../provider/local-stack.js";
import { ROOT, runCli } from "../helpers/run-cli.js";

/**
 * The adoption path of a platform team, scripted: from the packed package, in a fresh folder with its
 * own npm cache, `dojo-jira init` a config repo, lint it (clean, then three planted mistakes with
 * their exact positions), run its pre-commit hook, and apply it with `pulumi preview` and `pulumi up`
 * against the emulators.
 */
const exec = promisify(execFile);
let work: string;
let repo: string;
let dojo: DefectDojoEmulator;
let jira: JiraEmulator;
let stack: LocalStack | undefined;
const npmEnv = () => ({ ...process.env, npm_config_cache: join(work, "npm-cache"), npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" });
const inRepo = (file: string, args: string[], env: NodeJS.ProcessEnv = npmEnv()) => exec(file, args, { cwd: repo, env, maxBuffer: 16 << 20 }).then(
  ({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }),
  (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, out: error.stdout + error.stderr }),
);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "dojo-jira-newcomer-"));
  // The package as npm would publish it (dist/ was built by the test command already).
  await exec("npm", ["pack", "--ignore-scripts", "--pack-destination", work], { cwd: ROOT, env: npmEnv() });
  const tarball = join(work, (await readdir(work)).find((f) => f.endsWith(".tgz"))!);
  const init = await runCli(["init", "acme-dojo-config"], { cwd: work });
  if (init.status !== 0) throw new Error(init.stderr);
  repo = join(work, "acme-dojo-config");
  const manifest = JSON.parse(await readFile(join(repo, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  manifest.dependencies["dojo-jira"] = `file:${tarball}`;
  await writeFile(join(repo, "package.json"), JSON.stringify(manifest, null, 2));
  const install = await inRepo("npm", ["install"]);
  if (install.code !== 0) throw new Error(`npm install failed:\n${install.out}`);
}, 10 * 60_000);

afterAll(async () => {
  await stack?.remove();
  await Promise.all([dojo?.close(), jira?.close()]);
  if (work) await rm(work, { recursive: true, force: true });
});

describe("a newcomer's config repo", () => {
  it("lints clean as scaffolded", async () => {
    const lint = await inRepo("npx", ["dojo-jira", "lint", "config/"]);
    expect(lint.code, lint.out).toBe(0);
    expect(lint.out).toMatch(/5 files, 5 documents: no problems/);
  });

  it("names three planted mistakes at their exact file:line:col", async () => {
    const planted: Array<[string, string, string]> = [
      ["config/product-links.yaml", "projectKey: PAY", "projectKey: pay"],
      ["config/jira-webhook.yaml", "  jql: ", "  jqll: "],
      ["config/engagement-links.yaml", "instance: corp-jira", "instance: corp-jria"],
    ];
    const originals = await Promise.all(planted.map(([file]) => readFile(join(repo, file), "utf8")));
    await Promise.all(planted.map(([file, from, to], i) => writeFile(join(repo, file), originals[i]!.replace(from, to))));
    const lint = await inRepo("npx", ["dojo-jira", "lint", "config/", "--format", "github"]);
    await Promise.all(planted.map(([file], i) => writeFile(join(repo, file), originals[i]!)));
    expect(lint.code).toBe(1);
    const found = lint.out.split("\n").filter((l) => l.startsWith("::")).map((l) => /file=([^,]+),line=(\d+),(?:endLine=\d+,)?col=(\d+).*title=(?:dojo-jira )?([^:,]+)/.exec(l)?.slice(1, 5).join(":")).sort();
    expect(found).toEqual(["config/engagement-links.yaml:9:13:unknown-instance", "config/jira-webhook.yaml:11:3:schema", "config/product-links.yaml:9:15:project-key-format"]);
  });

  it("runs its pre-commit hook over the whole tree", async () => {
    await inRepo("git", ["init", "-q"]);
    await inRepo("git", ["add", "-A"]);
    const preCommit = [join(ROOT, ".cache/pre-commit-venv/bin/pre-commit")].find(existsSync);
    if (preCommit) {
      const run = await inRepo(preCommit, ["run", "--all-files"], { ...npmEnv(), PRE_COMMIT_HOME: join(work, "pre-commit-home") });
      expect(run.code, run.out).toBe(0);
      expect(run.out).toMatch(/dojo-jira lint\.+Passed/);
    } else {
      // Without the pre-commit tool (.ci/run installs it), run exactly the hook's entry.
      const config = await readFile(join(repo, ".pre-commit-config.yaml"), "utf8");
      const entry = /entry: (.*)/.exec(config)![1]!.split(" ");
      const run = await inRepo(entry[0]!, entry.slice(1));
      expect(run.code, run.out).toBe(0);
    }
  });

  it("installs and runs the hook this repository ships (a node hook, installed from git)", async () => {
    const preCommit = join(ROOT, ".cache/pre-commit-venv/bin/pre-commit");
    if (!existsSync(preCommit)) return; // .ci/run installs the tool; without it there is nothing to drive
    const run = await inRepo(preCommit, ["try-repo", ROOT, "dojo-jira-lint", "--all-files"], { ...npmEnv(), PRE_COMMIT_HOME: join(work, "pre-commit-home") });
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/dojo-jira lint\.+Passed/);
  }, 5 * 60_000);

  it("pulumi preview and pulumi up apply it to DefectDojo and Jira", async () => {
    dojo = await startDefectDojoEmulator();
    jira = await startJiraEmulator({ flavour: "cloud" });
    dojo.seed({ products: [{ name: "Payments API" }], engagements: [{ product: "Payments API", name: "Q3 pentest" }] });
    const instance = join(repo, "config/jira-instance.yaml");
    await writeFile(
      instance,
      (await readFile(instance, "utf8"))
        .replace("  url: https://corp.atlassian.net", `  # dojo-jira-disable-next-line insecure-url -- the acceptance test's loopback Jira\n  url: ${jira.url}`)
        .replace("username: svc-defectdojo@corp.example", `username: ${jira.user}`),
    );
    stack = new LocalStack(repo, join(work, "pulumi"), LocalStack.uniqueName("newcomer"), await LocalStack.installCli(ROOT));
    await stack.init({ "defectdojo:url": dojo.url }, { "defectdojo:apiToken": dojo.token, corpJiraToken: jira.password, jiraWebhookSecret: "newcomer-webhook-secret" });
    // A project made by an earlier `init` names no plugin: told the lines to add, nothing declared.
    const project = join(repo, "Pulumi.yaml");
    const scaffolded = await readFile(project, "utf8");
    await writeFile(project, scaffolded.slice(0, scaffolded.indexOf("# The program's resources are those of the provider plugin")));
    const unnamed = await stack.run(["preview"]);
    await writeFile(project, scaffolded);
    expect(unnamed.code).not.toBe(0);
    expect(unnamed.output).toContain("names no provider plugin defectdojo-jira");
    expect(unnamed.output).toMatch(/plugins:\n\s+providers:\n\s+- name: defectdojo-jira\n\s+path: node_modules\/dojo-jira\/bin/);
    expect(unnamed.output).not.toMatch(/pulumi:providers:defectdojo-jira/);
    const preview = await stack.run(["preview"]);
    expect(preview.code, preview.output).toBe(0);
    const up = await stack.up();
    expect(up.code, up.output).toBe(0);
    expect(dojo.db.system_settings.get(1)).toMatchObject({ enable_jira: true, enable_jira_web_hook: true });
    expect([...dojo.db.jira_instances.values()].map((i) => i.configuration_name)).toEqual(["Corp Jira"]);
    expect([...dojo.db.jira_projects.values()].map((l) => l.project_key).sort()).toEqual(["PAY", "PENT"]);
    expect([...jira.webhooks.values()].map((w) => w.name)).toEqual(["DefectDojo"]);
    expect((await stack.run(["preview", "--expect-no-changes"])).code).toBe(0);
  });
});
