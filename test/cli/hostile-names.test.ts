import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { runCli, type CliRun } from "../helpers/run-cli.js";

// A DefectDojo whose names carry terminal escape sequences: retitle the window (OSC 0), clear the
// screen (CSI 2J, also as the 8-bit C1 CSI), a newline that fakes our own "no drift" line, and a
// bidi override. None of it may reach the terminal raw; the exported files keep the names exactly.
const INSTANCE = "Corp\u001b]0;pwned\u0007 Jira";
const PRODUCT = "Evil\u001b[2J\u001b[H\nno drift";
const LATER = "Later \u009b2J \u202eskrow";
const COMPONENT = "backend\u001b[8m";
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

let dojo: DefectDojoEmulator;
let work: string;
let out: string;
const env = () => ({ DEFECTDOJO_URL: dojo.url, DEFECTDOJO_API_TOKEN: dojo.token });

function expectPrintable(run: CliRun): void {
  expect(RAW_CONTROL.test(run.stdout), `raw control character on stdout: ${JSON.stringify(run.stdout)}`).toBe(false);
  expect(RAW_CONTROL.test(run.stderr), `raw control character on stderr: ${JSON.stringify(run.stderr)}`).toBe(false);
  expect(run.stdout).not.toMatch(/^\s*(-\s*)?no drift\.?$/im);
}

beforeAll(async () => {
  dojo = await startDefectDojoEmulator();
  const { products } = dojo.seed({ products: [{ name: PRODUCT }, { name: "Plain" }] });
  const instance = dojo.insert("jira_instances", { configuration_name: INSTANCE, url: "https://corp.atlassian.net", username: "svc", password: "x", default_issue_type: "Security", issue_template_dir: null, epic_name_id: 0, open_status_key: 11, close_status_key: 31, info_mapping_severity: "Lowest", low_mapping_severity: "Low", medium_mapping_severity: "Medium", high_mapping_severity: "High", critical_mapping_severity: "Highest", finding_text: null, accepted_mapping_resolution: null, false_positive_mapping_resolution: null, global_jira_sla_notification: true, finding_jira_sync: false });
  const link = (product: number, key: string) => dojo.insert("jira_projects", { project_key: key, issue_template_dir: null, component: "", custom_fields: null, close_transition_fields: null, reopen_transition_fields: null, default_assignee: null, jira_labels: null, add_vulnerability_id_to_jira_label: false, push_all_issues: false, enable_engagement_epic_mapping: false, epic_issue_type_name: "Epic", push_notes: false, product_jira_sla_notification: false, risk_acceptance_expiration_notification: false, enabled: true, jira_instance: instance.id, product, engagement: null });
  link(products[PRODUCT]!, "EVIL");
  link(products.Plain!, "PLAIN");
  link(products[PRODUCT]!, "DUP"); // a second link: reported as not expressible, naming the product
  work = await mkdtemp(join(tmpdir(), "dojo-jira-hostile-"));
  out = join(work, "exported");
});
afterAll(async () => {
  await dojo.close();
  await rm(work, { recursive: true, force: true });
});

describe("names from DefectDojo are printed escaped and written as valid YAML", () => {
  it("export: every printed line escaped; the files keep the names exactly", async () => {
    const run = await runCli(["export", "--out", out], { env: env() });
    expectPrintable(run);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(String.raw`Corp\u{1b}]0;pwned\u{7} Jira`);
    expect(run.stdout).toContain(String.raw`second link of product "Evil\u{1b}[2J\u{1b}[H\u{a}no drift"`);
    const files = await readdir(out);
    const documents = await Promise.all(files.map(async (f) => parse(await readFile(join(out, f), "utf8")) as { kind: string; spec: Record<string, unknown> }));
    expect(documents.find((d) => d.kind === "JiraInstance")?.spec.configurationName).toBe(INSTANCE);
    expect(documents.map((d) => d.spec.product)).toContain(PRODUCT);
  });

  it("drift: text, markdown and JSON never carry a raw control character", async () => {
    const { products } = dojo.seed({ products: [{ name: LATER }] });
    const evil = [...dojo.db.jira_projects.values()].find((l) => l.project_key === "EVIL")!;
    dojo.insert("jira_projects", { ...evil, project_key: "LATER", product: products[LATER] });
    evil.component = COMPONENT;
    for (const format of ["text", "markdown"]) {
      const run = await runCli(["drift", out, "--format", format], { env: env() });
      expectPrintable(run);
      expect(run.status, run.stderr).toBe(1);
      expect(run.stdout).toContain(String.raw`Later \u{9b}2J \u{202e}skrow`);
      const live = String.raw`DefectDojo "backend\u001b[8m"`;
      expect(run.stdout).toContain(live); // in markdown, inside a code span
      const items = run.stdout.split("\n").filter((line) => line.startsWith("- "));
      if (format === "markdown") expect(items.filter((line) => !/^- (`+).*\1$/.test(line))).toEqual([]); // each item one code span
    }
    const json = await runCli(["drift", out, "--format", "json"], { env: env() });
    expectPrintable(json);
    expect(json.stdout).toMatch(/^[\u0020-\u007e\n]*$/);
    const report = JSON.parse(json.stdout) as { liveOnly: Array<{ key: string }>; changed: Array<{ key: string; fields: Array<{ live: unknown }> }> };
    expect(report.liveOnly.map((o) => o.key)).toEqual([LATER]);
    expect(report.changed).toEqual([expect.objectContaining({ key: PRODUCT, fields: [expect.objectContaining({ live: COMPONENT })] })]);
  });
});
