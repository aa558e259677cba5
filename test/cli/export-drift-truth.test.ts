import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { runCli } from "../helpers/run-cli.js";

// What export, drift and check-webhook say must be true: the lint verdict of the exported tree,
// the value DefectDojo holds, and the server they were pointed at.
let dojo: DefectDojoEmulator;
let work: string;
const env = () => ({ DEFECTDOJO_URL: dojo.url, DEFECTDOJO_API_TOKEN: dojo.token });
const INSTANCE_ROW = { configuration_name: "lab-jira", username: "svc", password: "x", default_issue_type: "Bug", issue_template_dir: null, epic_name_id: 0, open_status_key: 11, close_status_key: 31, info_mapping_severity: "Lowest", low_mapping_severity: "Low", medium_mapping_severity: "Medium", high_mapping_severity: "High", critical_mapping_severity: "Highest", finding_text: null, accepted_mapping_resolution: null, false_positive_mapping_resolution: null, global_jira_sla_notification: true, finding_jira_sync: false };
const LINK_ROW = { issue_template_dir: null, component: "", custom_fields: null, close_transition_fields: null, reopen_transition_fields: null, default_assignee: null, jira_labels: null, add_vulnerability_id_to_jira_label: false, push_all_issues: false, enable_engagement_epic_mapping: false, epic_issue_type_name: "Epic", push_notes: false, product_jira_sla_notification: false, risk_acceptance_expiration_notification: false, enabled: true, engagement: null };

beforeAll(async () => {
  dojo = await startDefectDojoEmulator();
  work = await mkdtemp(join(tmpdir(), "dojo-jira-truth-"));
});
afterAll(async () => {
  await dojo.close();
  await rm(work, { recursive: true, force: true });
});

describe("export", () => {
  it("of a Jira on http: writes the reasoned suppression above the url, so the tree is lint-clean", async () => {
    await fetch(`${dojo.url}/_emulator/reset`, { method: "POST" });
    const { products } = dojo.seed({ products: [{ name: "Payments API" }] });
    const instance = dojo.insert("jira_instances", { ...INSTANCE_ROW, url: "http://jira.lab.example" });
    dojo.insert("jira_projects", { ...LINK_ROW, project_key: "PAY", jira_instance: instance.id, product: products["Payments API"] });
    Object.assign(dojo.db.system_settings.get(1)!, { enable_jira: true }); // else the exported links warn that Jira is off
    const out = join(work, "http");
    const run = await runCli(["export", "--out", out], { env: env() });
    expect(run.stdout).toMatch(/^Wrote 3 documents to .* \(lint: clean\)\.\n/);
    expect(run.status, run.stderr).toBe(0);
    const file = await readFile(join(out, "instance-lab-jira.yaml"), "utf8");
    expect(file).toMatch(/\n {2}# dojo-jira-disable-next-line insecure-url -- exported as found: DefectDojo has this instance on http\n {2}url: http:\/\/jira\.lab\.example\n/);
    const lint = await runCli(["lint", out]);
    expect(lint.status, lint.stdout).toBe(0);
  });

  it("says how many warnings the exported tree has instead of calling it clean", async () => {
    await fetch(`${dojo.url}/_emulator/reset`, { method: "POST" });
    dojo.insert("jira_instances", { ...INSTANCE_ROW, url: "https://corp.atlassian.net" }); // used by no link: a warning
    const out = join(work, "warning");
    const run = await runCli(["export", "--out", out], { env: env() });
    expect(run.stdout).toMatch(/^Wrote 2 documents to .*warning \(lint: 1 warning; see dojo-jira lint .*warning\)\.\n/);
    expect(run.status, run.stderr).toBe(0);
  });
});

describe("drift", () => {
  it("shows the value DefectDojo holds where the export left a default out, on both sides", async () => {
    await fetch(`${dojo.url}/_emulator/reset`, { method: "POST" });
    const { products } = dojo.seed({ products: [{ name: "Payments API" }] });
    const instance = dojo.insert("jira_instances", { ...INSTANCE_ROW, url: "https://corp.atlassian.net" });
    const link = dojo.insert("jira_projects", { ...LINK_ROW, project_key: "PAY", jira_instance: instance.id, product: products["Payments API"] });
    const out = join(work, "drift");
    expect((await runCli(["export", "--out", out], { env: env() })).status).toBe(0);
    const linkFile = join(out, (await readdir(out)).find((f) => f.startsWith("link-"))!);
    await writeFile(linkFile, (await readFile(linkFile, "utf8")).replace("  projectKey: PAY\n", "  projectKey: PAY\n  pushNotes: true\n"));
    Object.assign(dojo.db.jira_projects.get(link.id)!, { push_all_issues: true });
    const run = await runCli(["drift", out], { env: env() });
    expect(run.stdout).toContain("pushNotes: config true, DefectDojo false");
    expect(run.stdout).toContain("pushAllIssues: config false, DefectDojo true");
    expect(run.stdout).not.toContain("(unset)");
    expect(run.status).toBe(1);
    const json = JSON.parse((await runCli(["drift", out, "--format", "json"], { env: env() })).stdout) as { changed: Array<{ fields: unknown[] }> };
    expect(json.changed[0]!.fields).toEqual(expect.arrayContaining([{ field: "pushNotes", config: true, live: false }, { field: "pushAllIssues", config: false, live: true }]));
  });
});

describe("check-webhook", () => {
  const SECRET = "truth-webhook-secret";
  beforeAll(() => {
    Object.assign(dojo.db.system_settings.get(1)!, { enable_jira: true, enable_jira_web_hook: true, jira_webhook_secret: SECRET });
  });

  it("takes DefectDojo's URL from DEFECTDOJO_URL, as export and drift do", async () => {
    const run = await runCli(["check-webhook"], { env: { DEFECTDOJO_URL: dojo.url, DOJO_JIRA_WEBHOOK_SECRET: SECRET } });
    expect(run.stdout).toMatch(/^✔ OK/);
    expect(run.status, run.stderr).toBe(0);
  });

  it("the flag wins over DEFECTDOJO_URL; without either, exit 2 naming both", async () => {
    const flagged = await runCli(["check-webhook", "--defectdojo-url", `${dojo.url}/elsewhere`], { env: { DEFECTDOJO_URL: dojo.url, DOJO_JIRA_WEBHOOK_SECRET: SECRET } });
    expect(flagged.stderr).toMatch(/answered 404; is http:\/\/127\.0\.0\.1:\d+\/elsewhere DefectDojo's base URL/);
    const neither = await runCli(["check-webhook"], { env: { DEFECTDOJO_URL: "", DOJO_JIRA_WEBHOOK_SECRET: SECRET } });
    expect(neither.stderr).toBe("dojo-jira check-webhook: give DefectDojo's base URL: --defectdojo-url <https://…> or DEFECTDOJO_URL\n");
    expect(neither.status).toBe(2);
    const badEnv = await runCli(["check-webhook"], { env: { DEFECTDOJO_URL: "not a url", DOJO_JIRA_WEBHOOK_SECRET: SECRET } });
    expect(badEnv.stderr).toMatch(/DEFECTDOJO_URL is not a URL/);
  });
});
