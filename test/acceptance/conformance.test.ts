import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiInstance } from "../helpers/dojo-fixture.js";
import { acceptanceServer, runPrefix, type AcceptanceServer } from "./server.js";

/**
 * The DefectDojo behaviours the provider relies on (reference §0.1, §2, §9), checked through the
 * public API on whatever server the acceptance suite runs against: the emulator in CI, or a
 * DefectDojo you are about to upgrade to. Nothing assumes an empty server; everything this file makes
 * carries its prefix and is deleted afterwards, newest first.
 */
const PREFIX = runPrefix("conf");
let server: AcceptanceServer;
const made: string[] = [];

async function create(path: string, body: Record<string, unknown>): Promise<number> {
  const { id } = await server.api<{ id: number }>("POST", path, body);
  made.push(`${path}${id}/`);
  return id;
}

const instance = (name: string) => apiInstance({ configuration_name: `${PREFIX} ${name}`, url: "https://conformance.atlassian.net", password: `${PREFIX}-password` });

let product: number;
let engagement: number;
let test: number;
let testType: number;

beforeAll(async () => {
  server = await acceptanceServer();
  const productType = await create("product_types/", { name: `${PREFIX} type` });
  product = await create("products/", { name: `${PREFIX} product`, description: "conformance", prod_type: productType });
  engagement = await create("engagements/", { name: `${PREFIX} engagement`, product, target_start: "2026-11-01", target_end: "2026-11-30" });
  testType = (await server.list<{ id: number }>("test_types/"))[0]!.id;
  test = await create("tests/", { engagement, test_type: testType, target_start: "2026-11-01T00:00:00Z", target_end: "2026-11-30T00:00:00Z" });
}, 120_000);

afterAll(async () => {
  for (const path of made.reverse()) await server.raw("DELETE", path);
  await server?.close();
}, 120_000);

/** A link on the run's product with `count` findings mapped to Jira issues through it. */
async function linkWithMappings(count: number): Promise<{ link: number; findings: number[]; keys: string[] }> {
  const instanceId = await create("jira_instances/", instance(`mapped ${count}`));
  const link = await create("jira_projects/", { product, jira_instance: instanceId, project_key: "CONF" });
  const findings: number[] = [];
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const finding = await create("findings/", { test, found_by: [testType], title: `${PREFIX} finding ${i}`, severity: "High", numerical_severity: "S1", description: "conformance", active: true, verified: true });
    const key = `CONF-${Date.now() % 100_000}${i}`;
    await create("jira_finding_mappings/", { jira_id: `${Date.now()}${i}`, jira_key: key, finding, jira_project: link });
    findings.push(finding);
    keys.push(key);
  }
  return { link, findings, keys };
}

describe(`what the provider relies on, on ${process.env.DEFECTDOJO_URL ? "DEFECTDOJO_URL" : "the emulator"}`, () => {
  it("403, never 401: no token, a bad token, and a Bearer token (no credential to open-source DefectDojo)", async () => {
    for (const [authorization, detail] of [
      [null, "Authentication credentials were not provided."],
      ["Token not-a-real-token", "Invalid token."],
      [`Bearer ${server.token}`, "Authentication credentials were not provided."],
    ] as const) {
      const response = await server.raw("GET", "jira_instances/", { authorization });
      expect(response.status).toBe(403);
      expect(response.json().detail).toBe(detail);
    }
  });

  it("a write without the trailing slash is a 301 to the slashed path, and creates nothing", async () => {
    const response = await server.raw("POST", "jira_instances", { body: JSON.stringify(instance("no slash")) });
    expect(response.status).toBe(301);
    expect(response.location).toMatch(/\/api\/v2\/jira_instances\/$/);
    expect((await server.list<{ configuration_name: string }>("jira_instances/")).filter((i) => i.configuration_name === `${PREFIX} no slash`)).toEqual([]);
  });

  it("an instance's password is required on create, kept by PATCH, and never returned, prefetch included", async () => {
    const { password: _omit, ...withoutPassword } = instance("password");
    const missing = await server.raw("POST", "jira_instances/", { body: JSON.stringify(withoutPassword) });
    expect(missing.status).toBe(400);
    expect(missing.json().password).toEqual(["This field is required."]);
    const id = await create("jira_instances/", instance("password"));
    await create("jira_projects/", { product, jira_instance: id, project_key: "PWD" });
    expect((await server.raw("PATCH", `jira_instances/${id}/`, { body: JSON.stringify({ username: "svc2@corp.example" }) })).status).toBe(200);
    for (const path of [`jira_instances/${id}/`, "jira_instances/?limit=1000", `jira_projects/?product=${product}&prefetch=jira_instance`]) {
      expect((await server.raw("GET", path)).text).not.toContain(`${PREFIX}-password`);
    }
  });

  it("a link needs exactly one of product and engagement; a missing product is 404, a missing instance 400", async () => {
    const neither = await server.raw("POST", "jira_projects/", { body: JSON.stringify({ project_key: "ONE" }) });
    expect(neither.json().non_field_errors).toEqual(["Either engagement or product has to be set."]);
    const both = await server.raw("POST", "jira_projects/", { body: JSON.stringify({ project_key: "ONE", product, engagement }) });
    expect(both.json().non_field_errors).toEqual(["Either engagement or product has to be set."]);
    expect((await server.raw("POST", "jira_projects/", { body: JSON.stringify({ project_key: "ONE", product: 2_000_000_000 }) })).status).toBe(404);
    const badInstance = await server.raw("POST", "jira_projects/", { body: JSON.stringify({ project_key: "ONE", product, jira_instance: 2_000_000_000 }) });
    expect(badInstance.status).toBe(400);
    expect(badInstance.json().jira_instance).toEqual(['Invalid pk "2000000000" - object does not exist.']);
  });

  it("an instance a link uses cannot be deleted (a bare 500, PROTECT), and its delete_preview lists only itself", async () => {
    const id = await create("jira_instances/", instance("protected"));
    await create("jira_projects/", { product, jira_instance: id, project_key: "PRT" });
    expect((await server.api<{ count: number }>("GET", `jira_instances/${id}/delete_preview/`)).count).toBe(1);
    expect((await server.raw("DELETE", `jira_instances/${id}/`)).status).toBe(500);
    expect((await server.raw("GET", `jira_instances/${id}/`)).status).toBe(200);
  });

  it("deleting a link deletes its finding mappings, which delete_preview names '<product> | Finding: <title>, ID: <id> | Jira Key: <key>'", async () => {
    const { link, findings, keys } = await linkWithMappings(2);
    const preview = await server.api<{ results: Array<{ model: string; name: string }> }>("GET", `jira_projects/${link}/delete_preview/`);
    expect(preview.results.map((r) => r.model).sort()).toEqual(["JIRA_Issue", "JIRA_Issue", "JIRA_Project"]);
    expect(preview.results.filter((r) => r.model === "JIRA_Issue").map((r) => r.name).sort()).toEqual(findings.map((f, i) => `${PREFIX} product | Finding: ${PREFIX} finding ${i}, ID: ${f} | Jira Key: ${keys[i]}`).sort());
    expect((await server.raw("DELETE", `jira_projects/${link}/`)).status).toBe(204);
    for (const finding of findings) expect(await server.list(`jira_finding_mappings/?finding=${finding}`)).toEqual([]);
  });

  it("a mapping is found by jira_key and by finding, and its url is <instance>/browse/<key> with Jira on, null with it off", async () => {
    const { findings, keys } = await linkWithMappings(1);
    const [settings] = await server.list<{ enable_jira: boolean }>("system_settings/");
    const [byKey] = await server.list<{ finding: number; url: string | null }>(`jira_finding_mappings/?jira_key=${keys[0]}`);
    expect(byKey?.finding).toBe(findings[0]);
    expect(byKey?.url).toBe(settings!.enable_jira ? `https://conformance.atlassian.net/browse/${keys[0]}` : null);
    expect(await server.list(`jira_finding_mappings/?finding=${findings[0]}`)).toHaveLength(1);
  });

  it("system_settings is one row, listed but not retrieved by id", async () => {
    const rows = await server.list<{ id: number }>("system_settings/");
    expect(rows).toHaveLength(1);
    expect((await server.raw("GET", `system_settings/${rows[0]!.id}/`)).status).toBe(405);
  });

  it("links offer the transition fields of 3.1.100+ and mappings a read-only url (OPTIONS)", async () => {
    const links = (await server.api<{ actions: { POST: Record<string, { read_only: boolean }> } }>("OPTIONS", "jira_projects/")).actions.POST;
    expect(links).toHaveProperty("close_transition_fields");
    expect(links).toHaveProperty("reopen_transition_fields");
    const mappings = (await server.api<{ actions: { POST: Record<string, { read_only: boolean }> } }>("OPTIONS", "jira_finding_mappings/")).actions.POST;
    expect(mappings.url?.read_only).toBe(true);
  });
});
