import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { startJiraEmulator, type JiraEmulator } from "../../emulators/jira/server.js";
import { apiInstance } from "../helpers/dojo-fixture.js";

/**
 * DefectDojo's push to Jira (reference §5) between the two emulators, through public APIs only:
 * which create-metadata form each deployment gets, which findings qualify, and that a failed push
 * is an alert, not an API error (§9).
 */
let dojo: DefectDojoEmulator;
const jiras: Partial<Record<"cloud" | "datacenter", JiraEmulator>> = {};

async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${dojo.url}/api/v2/${path}`, { method, headers: { Authorization: `Token ${dojo.token}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as T };
}
const id = async (path: string, body: unknown) => (await api<{ id: number }>("POST", path, body)).body.id;

/** A product linked to `projectKey` on an instance at `url`, with a test to put findings in. */
async function linkedTest(name: string, url: string, user: string, password: string, projectKey = "SEC"): Promise<number> {
  const type = await id("product_types/", { name: `${name} type` });
  const product = await id("products/", { name, description: name, prod_type: type });
  const instance = await id("jira_instances/", apiInstance({ configuration_name: name, url, username: user, password, epic_name_id: 0 }));
  await id("jira_projects/", { product, jira_instance: instance, project_key: projectKey, component: "backend" });
  const engagement = await id("engagements/", { name, product, target_start: "2026-11-01", target_end: "2026-11-30" });
  const testType = (await api<{ results: Array<{ id: number }> }>("GET", "test_types/")).body.results[0]!.id;
  return id("tests/", { engagement, test_type: testType, target_start: "2026-11-01T00:00:00Z", target_end: "2026-11-30T00:00:00Z" });
}

const finding = (test: number, extra: Record<string, unknown> = {}) => ({ test, found_by: [1], title: "SQL injection in login", severity: "High", numerical_severity: "S1", description: "The login form concatenates SQL.", active: true, verified: true, push_to_jira: true, ...extra });
const mappingsOf = async (findingId: number) => (await api<{ count: number; results: Array<{ jira_key: string }> }>("GET", `jira_finding_mappings/?finding=${findingId}`)).body;

beforeAll(async () => {
  dojo = await startDefectDojoEmulator();
  jiras.cloud = await startJiraEmulator({ flavour: "cloud" });
  jiras.datacenter = await startJiraEmulator({ flavour: "datacenter" });
  await api("PATCH", "system_settings/1/", { enable_jira: true, jira_minimum_severity: "Medium" });
});

afterAll(async () => {
  await Promise.all([dojo?.close(), jiras.cloud?.close(), jiras.datacenter?.close()]);
});

describe("DefectDojo's emulator pushes findings to Jira as DefectDojo does", () => {
  it.each([
    ["cloud", ["GET /rest/api/2/serverInfo", "GET /rest/api/2/issue/createmeta", "POST /rest/api/2/issue"]],
    ["datacenter", ["GET /rest/api/2/serverInfo", "GET /rest/api/2/issue/createmeta/SEC/issuetypes", "GET /rest/api/2/issue/createmeta/SEC/issuetypes/1", "POST /rest/api/2/issue"]],
  ] as const)("%s: create-metadata in the deployment's form, then the issue with the mapped priority", async (flavour, calls) => {
    const jira = jiras[flavour]!;
    const test = await linkedTest(`Push ${flavour}`, jira.url, jira.user, jira.password);
    jira.log.length = 0;
    const created = await api<{ id: number }>("POST", "findings/", finding(test));
    expect(created.status).toBe(201);
    expect(jira.log.map((r) => `${r.method} ${r.path}`)).toEqual(calls);
    const [mapping] = (await mappingsOf(created.body.id)).results;
    expect(jira.issues.get(mapping!.jira_key)).toMatchObject({ summary: "SQL injection in login", priority: "High", components: ["backend"], issueType: "Bug" });
  });

  it("findings that do not qualify are not pushed: below the minimum severity, unverified, inactive, or not asked", async () => {
    const jira = jiras.cloud!;
    const test = await linkedTest("Qualify", jira.url, jira.user, jira.password);
    const cases = [finding(test, { severity: "Low", numerical_severity: "S3" }), finding(test, { verified: false }), finding(test, { active: false }), finding(test, { push_to_jira: false })];
    for (const body of cases) {
      const created = await api<{ id: number }>("POST", "findings/", body);
      expect(created.status).toBe(201);
      expect((await mappingsOf(created.body.id)).count).toBe(0);
    }
    expect(dojo.jiraPushes.slice(-4).map((p) => (p.outcome === "skipped" ? p.reason : p.outcome))).toEqual(["severity below Medium", "unverified findings are not pushed", "inactive findings are not pushed", "not asked to push"]);
  });

  it("a push to an unreachable or refusing Jira still answers 201, makes no mapping, and leaves an alert", async () => {
    const jira = jiras.cloud!;
    for (const [name, password] of [["Wrong password", "not-the-password"], ["Unknown project", jira.password]] as const) {
      const test = await linkedTest(name, jira.url, jira.user, password, name === "Unknown project" ? "NOPE" : "SEC");
      const created = await api<{ id: number }>("POST", "findings/", finding(test));
      expect(created.status).toBe(201);
      expect((await mappingsOf(created.body.id)).count).toBe(0);
    }
    const [wrongPassword, unknownProject] = dojo.jiraPushes.slice(-2);
    expect(wrongPassword).toMatchObject({ outcome: "failed", reason: expect.stringContaining("HTTP 401") });
    expect(unknownProject).toMatchObject({ outcome: "failed", reason: "Project misconfigured or no permissions in Jira ?" });
    expect(JSON.stringify(dojo.jiraPushes)).not.toContain(jira.password);
  });

  it("a webhook comment from the service account itself is not turned into a note (loop prevention)", async () => {
    const jira = jiras.cloud!;
    const test = await linkedTest("Loop", jira.url, jira.user, jira.password);
    const created = await api<{ id: number }>("POST", "findings/", finding(test));
    const [mapping] = (await mappingsOf(created.body.id)).results;
    await api("PATCH", "system_settings/1/", { enable_jira_web_hook: true, jira_webhook_secret: "loop-secret" });
    const hook = await fetch(`${jira.url}/rest/webhooks/1.0/webhook`, { method: "POST", headers: { Authorization: `Basic ${Buffer.from(`${jira.user}:${jira.password}`).toString("base64")}`, "Content-Type": "application/json" }, body: JSON.stringify({ name: "DefectDojo", url: `${dojo.url}/jira/webhook/loop-secret`, events: ["comment_created"] }) });
    expect(hook.status).toBe(201);
    await fetch(`${jira.url}/rest/api/2/issue/${mapping!.jira_key}/comment`, { method: "POST", headers: { Authorization: `Basic ${Buffer.from(`${jira.user}:${jira.password}`).toString("base64")}`, "Content-Type": "application/json" }, body: JSON.stringify({ body: "pushed by DefectDojo" }) });
    await jira.settled();
    expect(jira.deliveries.at(-1)!.answer).toMatch(/^skipping incoming JIRA comment as the user id/);
    expect((await api<{ notes: unknown[] }>("GET", `findings/${created.body.id}/notes/`)).body.notes).toEqual([]);
  });
});
