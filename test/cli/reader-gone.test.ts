import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { CLI, ROOT } from "../helpers/run-cli.js";

// `dojo-jira log | head -1`: the reader reads one line and goes away. Every command must then end
// quietly (no EPIPE stack trace) with the exit code it would have had.

let repo: string;

/** A git repository with a few commits touching a config tree, so that log writes many lines. */
beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "dojo-jira-reader-gone-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.test", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.test" } });
  git("init", "-q");
  for (let i = 1; i <= 5; i++) {
    await writeFile(join(repo, `link-${i}.yaml`), `apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: link-${i}\nspec:\n  product: Product ${i}\n  instance: corp-jira\n  projectKey: P${i}\n`);
    git("add", ".");
    git("commit", "-q", "-m", `link ${i}`);
  }
});
afterAll(() => rm(repo, { recursive: true, force: true }));

/** Runs the built CLI with its stdout (and, if asked, stderr) read by nobody: the read end is closed at once. */
function runWithClosedReader(args: string[], options: { cwd?: string; closeStderr?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<{ status: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, NO_COLOR: "1", ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    if (options.closeStderr) child.stderr.destroy();
    let stderr = "";
    if (!options.closeStderr) child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status, signal) => resolve({ status, signal, stderr }));
  });
}

describe("a reader that goes away", () => {
  it.each([
    ["log", ["log"], 0],
    ["log --format markdown", ["log", "--format", "markdown"], 0],
    ["diff", ["diff", "HEAD~4", "HEAD"], 0],
    ["lint with problems", ["lint", join(ROOT, "examples/broken")], 1],
    ["lint --list-rules", ["lint", "--list-rules"], 0],
    ["--help", ["--help"], 0],
  ])("%s: no stack trace, the command's own exit code", async (_name, args, status) => {
    const run = await runWithClosedReader(args as string[], { cwd: repo });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(status);
  });

  it("export: the files are written, the report dropped, exit 0", async () => {
    const dojo = await startDefectDojoEmulator();
    try {
      const { products } = dojo.seed({ products: [{ name: "Payments API" }, { name: "Billing" }] });
      const instance = dojo.insert("jira_instances", { configuration_name: "corp-jira", url: "https://corp.atlassian.net", username: "svc", password: "x", default_issue_type: "Bug", issue_template_dir: null, epic_name_id: 0, open_status_key: 11, close_status_key: 31, info_mapping_severity: "Lowest", low_mapping_severity: "Low", medium_mapping_severity: "Medium", high_mapping_severity: "High", critical_mapping_severity: "Highest", finding_text: null, accepted_mapping_resolution: null, false_positive_mapping_resolution: null, global_jira_sla_notification: true, finding_jira_sync: false });
      for (const [key, product] of [["PAY", products["Payments API"]], ["BIL", products.Billing]] as const) {
        dojo.insert("jira_projects", { project_key: key, issue_template_dir: null, component: "", custom_fields: null, close_transition_fields: null, reopen_transition_fields: null, default_assignee: null, jira_labels: null, add_vulnerability_id_to_jira_label: false, push_all_issues: false, enable_engagement_epic_mapping: false, epic_issue_type_name: "Epic", push_notes: false, product_jira_sla_notification: false, risk_acceptance_expiration_notification: false, enabled: true, jira_instance: instance.id, product, engagement: null });
      }
      const out = join(repo, "..", `${repo.split("/").pop()}-exported`);
      const run = await runWithClosedReader(["export", "--out", out], { env: { DEFECTDOJO_URL: dojo.url, DEFECTDOJO_API_TOKEN: dojo.token } });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect((await readdir(out)).length).toBe(4); // instance, two links, settings
      await rm(out, { recursive: true, force: true });
    } finally {
      await dojo.close();
    }
  });

  it("stderr gone too: a usage error still exits 2, not a crash", async () => {
    const run = await runWithClosedReader(["lint", "no/such/dir"], { cwd: repo, closeStderr: true });
    expect(run.status).toBe(2);
  });

  it("through a real shell pipeline: log | head -1 and log | true", async () => {
    const err = join(repo, "..", `${repo.split("/").pop()}.stderr`);
    const cli = `"${process.execPath}" "${CLI}"`;
    const out = execFileSync("bash", ["-c", `set -o pipefail; ${cli} log 2>"${err}" | head -1; ${cli} log 2>>"${err}" | true; echo "status $?"`], { cwd: repo, encoding: "utf8" });
    expect(out).toMatch(/^[0-9a-f]{7,} \S+ t {2}link 5\nstatus 0\n$/);
    expect(await readFile(err, "utf8")).toBe("");
    await rm(err);
  });
});
