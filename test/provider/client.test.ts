import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { DefectDojoClient } from "../../provider/client/defectdojo-client.js";
import { DefectDojoError } from "../../provider/client/errors.js";
import { instanceToApi } from "../../provider/client/mapping.js";
import { Secret } from "../../provider/secret.js";

let dojo: DefectDojoEmulator;
const TOKEN = "feedfacefeedfacefeedfacefeedfacefeedface";
const JIRA_PASSWORD = new Secret("jira-password-never-printed");
const logLines: string[] = [];

const client = (token = TOKEN) => new DefectDojoClient({ url: dojo.url, token: new Secret(token), backoffMs: 5, deadlineMs: 20_000, maxAttempts: 12, log: (l) => logLines.push(l) });
const spec = (name: string) => ({ url: "https://corp.atlassian.net", username: "svc", password: { fromConfig: "t" }, epicNameId: 10011, transitions: { reopen: 11, close: 31 }, configurationName: name });

beforeAll(async () => {
  dojo = await startDefectDojoEmulator({ token: TOKEN });
});
afterAll(() => dojo.close());
beforeEach(() => {
  dojo.reset();
  logLines.length = 0;
});

describe("DefectDojo client", () => {
  it("creates, reads, patches and deletes over real HTTP", async () => {
    const dd = client();
    const created = await dd.createInstance(instanceToApi(spec("corp"), "corp", JIRA_PASSWORD), JIRA_PASSWORD);
    expect(created).toMatchObject({ configuration_name: "corp", open_status_key: 11, info_mapping_severity: "Lowest" });
    expect((await dd.patchInstance(created.id, { username: "svc2" })).username).toBe("svc2");
    await dd.deleteInstance(created.id);
    await dd.deleteInstance(created.id); // already gone: still fine
    await expect(dd.getInstance(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it("paginates through hundreds of objects", async () => {
    for (let i = 0; i < 600; i++) dojo.insert("products", { name: `P${i}`, description: "d", prod_type: null });
    const products = await client().all("products/");
    expect(products).toHaveLength(600);
    expect(logLines.filter((l) => l.startsWith("GET /api/v2/products/"))).toHaveLength(3);
  });

  it("typed errors say what to do: 403 names the token, 400 carries field errors", async () => {
    await expect(client("not-the-token").getSystemSettings()).rejects.toThrow(/token is invalid, or its user is not a superuser/);
    const error = await client().http.request("POST", "jira_instances/", { body: { url: "x" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DefectDojoError);
    expect((error as DefectDojoError).fieldErrors).toMatchObject({ url: ["Enter a valid URL."], password: ["This field is required."] });
  });

  it("with 20% mixed faults every operation converges and nothing is duplicated", async () => {
    const names = Array.from({ length: 30 }, (_, i) => `jira-${i}`);
    await fetch(`${dojo.url}/_emulator/faults`, { method: "POST", body: JSON.stringify({ rate: 0.2, kinds: ["500", "502", "503", "429", "reset", "html", "badjson"], seed: 42, retryAfter: 0 }) });
    const dd = client();
    const created = await Promise.all(names.map((n) => dd.createInstance(instanceToApi(spec(n), n, JIRA_PASSWORD), JIRA_PASSWORD)));
    const patched = await Promise.all(created.map((c) => dd.patchInstance(c.id, { finding_jira_sync: true })));
    await fetch(`${dojo.url}/_emulator/faults`, { method: "POST", body: JSON.stringify({ rate: 0 }) });

    const live = [...dojo.db.jira_instances.values()];
    expect(live.map((r) => r.configuration_name).sort()).toEqual([...names].sort()); // zero duplicates
    expect(patched.every((p) => p.finding_jira_sync === true)).toBe(true);
    const log = dojo.log;
    const faulted = log.filter((r) => r.fault && r.fault !== "slow");
    expect(faulted.length).toBeGreaterThan(5);
    // Every POST that was applied but not acknowledged was resolved by a lookup, never re-sent.
    const appliedPosts = log.filter((r) => r.method === "POST" && (r.status === 201 || (r.fault === "reset" || r.fault === "badjson")));
    expect(appliedPosts.length).toBe(names.length);
  });

  it("secrets never reach errors or log lines", async () => {
    const dd = client();
    await dd.createInstance(instanceToApi(spec("x"), "x", JIRA_PASSWORD), JIRA_PASSWORD);
    const error = await dd.http.request("GET", `jira_instances/?junk=${TOKEN}`).then(() => undefined, (e: unknown) => e);
    expect(error).toBeUndefined();
    const failing = new DefectDojoClient({ url: "http://127.0.0.1:1", token: new Secret(TOKEN), maxAttempts: 2, backoffMs: 1 });
    const message = String(await failing.getSystemSettings().catch((e: Error) => e.message));
    for (const text of [message, ...logLines, String(JIRA_PASSWORD), JSON.stringify({ p: JIRA_PASSWORD })]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(JIRA_PASSWORD.reveal());
    }
  });
});
