import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { apiInstance } from "../helpers/dojo-fixture.js";

// One test per quirk of DefectDojo 3.2 the reference lists (§0.1, §2), so the emulator cannot drift.
let dojo: DefectDojoEmulator;
const TOKEN = "0123456789abcdef0123456789abcdef01234567";

async function api(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const response = await fetch(`${dojo.url}/api/v2/${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Token ${token}` } : {}), ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    redirect: "manual",
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

const INSTANCE = apiInstance({ username: "svc" });

async function seedProduct(name = "Payments API"): Promise<number> {
  const response = await fetch(`${dojo.url}/_emulator/seed`, { method: "POST", body: JSON.stringify({ products: [{ name }] }) });
  return ((await response.json()) as { products: Record<string, number> }).products[name]!;
}

beforeAll(async () => {
  dojo = await startDefectDojoEmulator({ token: TOKEN });
});
afterAll(() => dojo.close());
beforeEach(() => dojo.reset());

describe("DefectDojo emulator conformance", () => {
  it("403, never 401, without a token or with a bad one", async () => {
    expect(await api("GET", "jira_instances/", undefined, null)).toEqual({ status: 403, body: { detail: "Authentication credentials were not provided." } });
    expect(await api("GET", "jira_instances/", undefined, "wrong")).toEqual({ status: 403, body: { detail: "Invalid token." } });
  });

  it("password is required on POST and PUT, optional on PATCH, and never returned", async () => {
    const { password: _omit, ...withoutPassword } = INSTANCE;
    const missing = await api("POST", "jira_instances/", withoutPassword);
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ password: ["This field is required."], pro: [expect.stringContaining("Pro comes with support")] });
    expect(missing.body!.message).toBe("{'password': [ErrorDetail(string='This field is required.', code='required')]}");
    const created = await api("POST", "jira_instances/", INSTANCE);
    expect(created.status).toBe(201);
    const id = created.body!.id as number;
    expect(JSON.stringify(await api("GET", `jira_instances/${id}/`))).not.toContain("jira-password-value");
    expect(JSON.stringify(await api("GET", "jira_instances/"))).not.toContain("password");
    expect((await api("PUT", `jira_instances/${id}/`, withoutPassword)).status).toBe(400);
    const patched = await api("PATCH", `jira_instances/${id}/`, { username: "svc2" });
    expect(patched.status).toBe(200);
    expect(patched.body).not.toHaveProperty("password");
    expect(patched.body!.configuration_name).toBe(""); // omitted on POST: stored as ""
  });

  it("DRF field messages: blank, null, URL, integer, choice, length", async () => {
    const bad = await api("POST", "jira_instances/", { ...INSTANCE, configuration_name: "", url: "not a url", epic_name_id: "x", default_issue_type: "Vulnerability", username: "u".repeat(2001), finding_text: null, low_mapping_severity: null });
    expect(bad.body).toMatchObject({
      configuration_name: ["This field may not be blank."],
      url: ["Enter a valid URL."],
      epic_name_id: ["A valid integer is required."],
      default_issue_type: ['"Vulnerability" is not a valid choice.'],
      username: ["Ensure this field has no more than 2000 characters."],
      low_mapping_severity: ["This field may not be null."],
    });
    expect(bad.body).not.toHaveProperty("finding_text");
  });

  it("malformed JSON gets DefectDojo's one-key body", async () => {
    expect(await api("POST", "jira_instances/", "{nope")).toEqual({ status: 400, body: { message: "JSON request content is malformed" } });
  });

  it("pagination: limit/offset with absolute next/previous links", async () => {
    for (let i = 0; i < 5; i++) await api("POST", "jira_instances/", { ...INSTANCE, configuration_name: `i${i}` });
    const first = await api("GET", "jira_instances/?limit=2");
    expect(first.body).toMatchObject({ count: 5, previous: null, next: `${dojo.url}/api/v2/jira_instances/?limit=2&offset=2` });
    const last = await api("GET", "jira_instances/?limit=2&offset=4");
    expect(last.body).toMatchObject({ next: null, previous: `${dojo.url}/api/v2/jira_instances/?limit=2&offset=2` });
    expect((last.body!.results as unknown[]).length).toBe(1);
  });

  it("filters: unknown parameters ignored, no configuration_name filter, url exact, FK filters validated", async () => {
    await api("POST", "jira_instances/", { ...INSTANCE, configuration_name: "a" });
    await api("POST", "jira_instances/", { ...INSTANCE, configuration_name: "b", url: "https://other.example" });
    expect((await api("GET", "jira_instances/?configuration_name=a")).body!.count).toBe(2);
    expect((await api("GET", "jira_instances/?url=https://other.example")).body!.count).toBe(1);
    expect((await api("GET", "jira_instances/?url=https://other.example/")).body!.count).toBe(0);
    expect(await api("GET", "jira_projects/?product=9999")).toMatchObject({ status: 400, body: { product: ["Select a valid choice. That choice is not one of the available choices."] } });
  });

  it("links: exactly one of product/engagement, PATCH checked against stored values, 404 for a missing parent", async () => {
    const product = await seedProduct();
    expect((await api("POST", "jira_projects/", { project_key: "PAY" })).body).toMatchObject({ non_field_errors: ["Either engagement or product has to be set."] });
    expect(await api("POST", "jira_projects/", { project_key: "PAY", product: 999 })).toEqual({ status: 404, body: { detail: "No Product matches the given query." } });
    expect((await api("POST", "jira_projects/", { project_key: "PAY", jira_instance: 999, product })).body).toMatchObject({ jira_instance: ['Invalid pk "999" - object does not exist.'] });
    const link = await api("POST", "jira_projects/", { project_key: "PAY", product });
    expect(link.status).toBe(201);
    expect(link.body).toMatchObject({ enabled: true, epic_issue_type_name: "Epic", jira_instance: null });
    expect((await api("PATCH", `jira_projects/${String(link.body!.id)}/`, { component: "x" })).status).toBe(200);
    expect((await api("PATCH", `jira_projects/${String(link.body!.id)}/`, { product: null })).body).toMatchObject({ non_field_errors: ["Either engagement or product has to be set."] });
    // Nothing stops a second link for the same product (§0.1 #6).
    expect((await api("POST", "jira_projects/", { project_key: "PAY2", product })).status).toBe(201);
    expect((await api("GET", `jira_projects/?prefetch=product`)).body).toHaveProperty("prefetch.product");
  });

  it("PROTECT: deleting an instance a link uses is a bare 500 and deletes nothing; delete_preview hides it", async () => {
    const product = await seedProduct();
    const instance = (await api("POST", "jira_instances/", INSTANCE)).body!.id as number;
    await api("POST", "jira_projects/", { project_key: "PAY", product, jira_instance: instance });
    expect((await api("GET", `jira_instances/${instance}/delete_preview/`)).body).toMatchObject({ count: 1 });
    expect(await api("DELETE", `jira_instances/${instance}/`)).toEqual({ status: 500, body: { message: "Internal server error, check logs for details", pro: [expect.any(String)] } });
    expect((await api("GET", `jira_instances/${instance}/`)).status).toBe(200);
  });

  it("CASCADE: deleting a link deletes its finding-to-issue mappings, which delete_preview lists", async () => {
    const product = await seedProduct();
    const link = (await api("POST", "jira_projects/", { project_key: "PAY", product })).body!.id as number;
    await fetch(`${dojo.url}/_emulator/jira-issues`, { method: "POST", body: JSON.stringify({ jira_project: link, count: 3 }) });
    const preview = await api("GET", `jira_projects/${link}/delete_preview/`);
    expect((preview.body!.results as Array<{ model: string }>).map((r) => r.model)).toEqual(["JIRA_Project", "JIRA_Issue", "JIRA_Issue", "JIRA_Issue"]);
    expect((await api("GET", "jira_finding_mappings/")).body!.count).toBe(3);
    expect((await api("DELETE", `jira_projects/${link}/`)).status).toBe(204);
    expect((await api("GET", "jira_finding_mappings/")).body!.count).toBe(0);
  });

  it("404 bodies name the model; system_settings has no retrieve", async () => {
    expect(await api("GET", "jira_instances/42/")).toEqual({ status: 404, body: { detail: "No JIRA_Instance matches the given query." } });
    expect((await api("GET", "system_settings/1/")).status).toBe(405);
    const settings = await api("GET", "system_settings/");
    expect(settings.body).toMatchObject({ count: 1, results: [{ id: 1, enable_jira: false, jira_webhook_secret: expect.any(String) }] });
    expect((await api("PATCH", "system_settings/1/", { enable_jira: true })).body).toMatchObject({ enable_jira: true });
  });

  it("the request log records method, path, query and status, and never a secret", async () => {
    await api("POST", "jira_instances/", INSTANCE);
    const log = await (await fetch(`${dojo.url}/_emulator/requests`)).json();
    expect(log).toEqual([{ method: "POST", path: "/api/v2/jira_instances/", query: {}, status: 201, fields: Object.keys(INSTANCE).sort() }]);
    expect(JSON.stringify(log)).not.toContain(TOKEN);
    expect(JSON.stringify(log)).not.toContain("jira-password-value");
  });
});

// Where a real DefectDojo at the reference's commit answered differently from the emulator (§9).
describe("DefectDojo emulator conformance: differences seen on a real server", () => {
  async function linkWithMappings(count: number): Promise<{ link: number; product: number }> {
    const product = await seedProduct();
    const instance = (await api("POST", "jira_instances/", INSTANCE)).body!.id as number;
    const link = (await api("POST", "jira_projects/", { project_key: "PAY", product, jira_instance: instance })).body!.id as number;
    await fetch(`${dojo.url}/_emulator/jira-issues`, { method: "POST", body: JSON.stringify({ jira_project: link, count }) });
    return { link, product };
  }

  it("a request without the trailing slash is 301 to the slashed path, POST included, before authentication", async () => {
    for (const [method, token] of [["POST", TOKEN], ["GET", TOKEN], ["PATCH", null]] as const) {
      const response = await fetch(`${dojo.url}/api/v2/jira_instances?limit=1`, { method, headers: token ? { Authorization: `Token ${token}` } : {}, body: method === "GET" ? undefined : "{}", redirect: "manual" });
      expect(response.status).toBe(301);
      expect(response.headers.get("location")).toBe("/api/v2/jira_instances/?limit=1");
      expect(await response.text()).toBe("");
    }
    expect(dojo.db.jira_instances.size).toBe(0);
  });

  it("Authorization: Bearer is no credential: 403 'Authentication credentials were not provided.'", async () => {
    const response = await fetch(`${dojo.url}/api/v2/jira_instances/`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ detail: "Authentication credentials were not provided." });
  });

  it("a finding mapping has url <instance url>/browse/<key>, null while Jira is off", async () => {
    await linkWithMappings(1);
    const off = await api("GET", "jira_finding_mappings/");
    expect((off.body!.results as Array<Record<string, unknown>>)[0]).toMatchObject({ url: null, jira_key: "PAY-1" });
    expect(Object.keys((off.body!.results as Array<Record<string, unknown>>)[0]!).slice(0, 3)).toEqual(["id", "url", "jira_id"]);
    await api("PATCH", "system_settings/1/", { enable_jira: true });
    const on = await api("GET", "jira_finding_mappings/");
    expect((on.body!.results as Array<Record<string, unknown>>)[0]!.url).toBe("https://corp.atlassian.net/browse/PAY-1");
    const id = (on.body!.results as Array<{ id: number }>)[0]!.id;
    expect((await api("GET", `jira_finding_mappings/${id}/`)).body!.url).toBe("https://corp.atlassian.net/browse/PAY-1");
    // url is read-only: a client cannot set it.
    expect((await api("PATCH", `jira_finding_mappings/${id}/`, { url: "https://evil.example/x" })).body!.url).toBe("https://corp.atlassian.net/browse/PAY-1");
  });

  it("delete_preview names a JIRA_Issue '<product> | Finding: <title>, ID: <id> | Jira Key: <key>'", async () => {
    const { link } = await linkWithMappings(2);
    const preview = await api("GET", `jira_projects/${link}/delete_preview/`);
    const issues = (preview.body!.results as Array<{ model: string; name: string }>).filter((r) => r.model === "JIRA_Issue");
    const findings = [...dojo.db.findings.values()];
    expect(issues.map((r) => r.name)).toEqual([
      `Payments API | Finding: Emulated finding 1, ID: ${findings[0]!.id} | Jira Key: PAY-1`,
      `Payments API | Finding: Emulated finding 2, ID: ${findings[1]!.id} | Jira Key: PAY-2`,
    ]);
  });

  it("system_settings carries every field the reference lists (§1.4), with its default", async () => {
    const row = ((await api("GET", "system_settings/")).body!.results as Array<Record<string, unknown>>)[0]!;
    expect(row).toMatchObject({
      id: 1,
      enable_jira: false,
      enable_jira_web_hook: false,
      disable_jira_webhook_secret: false,
      jira_webhook_secret: expect.any(String),
      jira_minimum_severity: "Low",
      jira_labels: null,
      add_vulnerability_id_to_jira_label: false,
      enforce_verified_status: true,
      enforce_verified_status_jira: true,
      enable_finding_sla: true,
      enable_notify_sla_jira_only: false,
      enable_notify_sla_exponential_backoff: false,
      risk_acceptance_form_default_days: 180,
      api_expose_error_details: false,
    });
    expect((await api("PATCH", "system_settings/1/", { jira_webhook_secret: "" })).body).toMatchObject({ jira_webhook_secret: ["This field may not be blank."] });
    expect((await api("PATCH", "system_settings/1/", { jira_webhook_secret: "x".repeat(65) })).status).toBe(400);
  });

  it("OPTIONS describes the fields DRF would accept: POST on lists, PUT on details, none on actions", async () => {
    const list = await api("OPTIONS", "jira_projects/");
    expect(list.body).toHaveProperty("actions.POST.close_transition_fields.type", "json");
    expect(list.body).toHaveProperty("actions.POST.reopen_transition_fields.read_only", false);
    expect((await api("OPTIONS", "jira_finding_mappings/")).body).toHaveProperty("actions.POST.url.read_only", true);
    // No lookup: an id that does not exist still gets its metadata.
    expect((await api("OPTIONS", "jira_projects/999/delete_preview/")).status).toBe(200);
    expect((await api("OPTIONS", "jira_projects/999/delete_preview/")).body).not.toHaveProperty("actions");
    expect((await api("OPTIONS", "system_settings/1/")).body).toHaveProperty("actions.PUT.enable_jira.type", "boolean");
  });

  it("an issue_updated for an unlinked issue answers the exception and a 'jira webhook body parsed:' dump of the body", async () => {
    await api("PATCH", "system_settings/1/", { enable_jira: true, enable_jira_web_hook: true, jira_webhook_secret: "hook-secret" });
    const post = async (body: unknown) => {
      const response = await fetch(`${dojo.url}/jira/webhook/hook-secret`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      return { status: response.status, text: await response.text() };
    };
    const unlinked = await post({ webhookEvent: "jira:issue_updated", issue: { id: "4711", key: "PAY-9", fields: { summary: "é" } } });
    expect(unlinked.status).toBe(200);
    const lines = unlinked.text.split("\n");
    expect(lines.slice(0, 3)).toEqual(["Original Exception: JIRA_Issue matching query does not exist.", "jira webhook body parsed:", "{"]);
    expect(unlinked.text).toContain('"summary": "\\u00e9"'); // json.dumps escapes non-ASCII
    expect(await post({ webhookEvent: "jira:issue_updated" })).toEqual({ status: 200, text: `Original Exception: 'issue'\njira webhook body parsed:\n{\n    "webhookEvent": "jira:issue_updated"\n}` });
  });
});
