import { mkdtemp, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { LocalStack } from "../../provider/local-stack.js";
import { ROOT, runCli } from "../helpers/run-cli.js";

// A DefectDojo configured by hand (300 products) moves to code: export, lint, adopt with a real
// `pulumi up`, and the next preview is empty. Then drift sees an out-of-band edit.
const PRODUCTS = 300;
const JIRA_PASSWORD = "hand-made-jira-password";
let dojo: DefectDojoEmulator;
let out: string;
let work: string;
let stack: LocalStack | undefined;
const env = () => ({ DEFECTDOJO_URL: dojo.url, DEFECTDOJO_API_TOKEN: dojo.token });

beforeAll(async () => {
  dojo = await startDefectDojoEmulator();
  const { products } = dojo.seed({ products: Array.from({ length: PRODUCTS }, (_, i) => ({ name: `Product ${i}` })), engagements: [{ product: "Product 0", name: "Q3 pentest" }] });
  const instance = dojo.insert("jira_instances", { configuration_name: "Corp Jira", url: "https://corp.atlassian.net", username: "svc", password: JIRA_PASSWORD, default_issue_type: "Security", issue_template_dir: null, epic_name_id: 10011, open_status_key: 11, close_status_key: 31, info_mapping_severity: "Lowest", low_mapping_severity: "Low", medium_mapping_severity: "Medium", high_mapping_severity: "High", critical_mapping_severity: "Highest", finding_text: null, accepted_mapping_resolution: "Won't Fix", false_positive_mapping_resolution: null, global_jira_sla_notification: true, finding_jira_sync: false });
  const link = (fields: Record<string, unknown>) => dojo.insert("jira_projects", { project_key: "", issue_template_dir: null, component: "", custom_fields: null, close_transition_fields: null, reopen_transition_fields: null, default_assignee: null, jira_labels: null, add_vulnerability_id_to_jira_label: false, push_all_issues: false, enable_engagement_epic_mapping: false, epic_issue_type_name: "Epic", push_notes: false, product_jira_sla_notification: false, risk_acceptance_expiration_notification: false, enabled: true, jira_instance: instance.id, product: null, engagement: null, ...fields });
  Object.values(products).forEach((id, i) => link({ product: id, project_key: `P${i}`, push_all_issues: i % 2 === 0, jira_labels: i % 3 === 0 ? "security team-a" : null }));
  link({ engagement: 1, project_key: "PENT" });
  link({ product: products["Product 1"], project_key: "DUP" }); // a second link for one product
  work = await mkdtemp(join(ROOT, ".demo-export-"));
  out = join(work, "exported");
}, 60_000);

afterAll(async () => {
  await stack?.remove();
  await dojo?.close();
});

describe("export → lint → adopt → empty preview → drift", () => {
  it("exports one file per object without lint errors, names the secrets to set and what it could not express", async () => {
    const run = await runCli(["export", "--out", out], { env: env() });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    // The one warning is true: links exist while Jira is switched off in this DefectDojo.
    expect(run.stdout).toMatch(/lint: 1 warning/);
    const lint = JSON.parse((await runCli(["lint", out, "--format", "json"])).stdout) as { results: Array<{ ruleId: string; severity: string }> };
    expect(lint.results.map((r) => `${r.severity} ${r.ruleId}`)).toEqual(["warning jira-disabled"]);
    expect(run.stdout).toMatch(/pulumi config set --secret corpJiraPassword/);
    expect(run.stdout).toMatch(/second link of product "Product 1"/);
    const files = await readdir(out);
    expect(files.filter((f) => f.startsWith("link-"))).toHaveLength(PRODUCTS + 1);
    expect(files).toContain("instance-corp-jira.yaml");
    expect(run.stdout + run.stderr).not.toContain(JIRA_PASSWORD);
    expect(run.stdout + run.stderr).not.toContain(dojo.token);
  });

  it("the first pulumi up adopts everything, writing only the password it could not read; the next preview is empty", async () => {
    // Follow the export's advice first: the extra link of "Product 1" would make adoption ambiguous.
    const extra = [...dojo.db.jira_projects.values()].find((l) => l.project_key === "DUP")!;
    await fetch(`${dojo.url}/api/v2/jira_projects/${extra.id}/`, { method: "DELETE", headers: { Authorization: `Token ${dojo.token}` } });
    stack = new LocalStack(ROOT, work, LocalStack.uniqueName("adopt"), await LocalStack.installCli(ROOT));
    await stack.init({ "defectdojo:url": dojo.url, "defectdojo-jira:configDir": out }, { "defectdojo:apiToken": dojo.token, corpJiraPassword: JIRA_PASSWORD, jiraWebhookSecret: String(dojo.db.system_settings.get(1)!.jira_webhook_secret) });
    dojo.log.length = 0;
    const up = await stack.up();
    expect(up.code, up.output.slice(-3000)).toBe(0);
    const writes = dojo.log.filter((r) => r.method !== "GET");
    expect(writes).toEqual([expect.objectContaining({ method: "PATCH", path: "/api/v2/jira_instances/1/", fields: ["password"] })]);
    expect(dojo.db.jira_projects.size).toBe(PRODUCTS + 1); // nothing created, nothing deleted
    const preview = await stack.run(["preview", "--expect-no-changes"]);
    expect(preview.code, preview.output.slice(-3000)).toBe(0);
  }, 240_000);

  it("drift: none right after adoption, then an out-of-band edit is named field by field", async () => {
    const clean = await runCli(["drift", out], { env: env() });
    expect(clean.stdout).toMatch(/no drift/);
    expect(clean.status).toBe(0);
    const link = [...dojo.db.jira_projects.values()].find((l) => l.project_key === "P7")!;
    link.push_all_issues = true;
    link.enabled = false;
    const drifted = await runCli(["drift", out, "--format", "json"], { env: env() });
    expect(drifted.status).toBe(1);
    const report = JSON.parse(drifted.stdout) as { changed: Array<{ key: string; fields: Array<{ field: string; config: unknown; live: unknown }> }> };
    expect(report.changed).toEqual([{ kind: "ProductJiraLink", key: "Product 7", name: "product-7", fields: [{ field: "pushAllIssues", config: false, live: true }, { field: "enabled", config: true, live: false }] }]); // a field the config leaves out shows DefectDojo's default
  });
});
