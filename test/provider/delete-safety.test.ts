import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { readLive } from "../../provider/live-config.js";
import { DefectDojoClient } from "../../provider/client/defectdojo-client.js";
import { Secret } from "../../provider/secret.js";
import { lintDocuments } from "../helpers/lint-documents.js";
import { apiInstance, dojoApi, instanceDoc, intercept, productLinkDoc } from "../helpers/dojo-fixture.js";
import { declare, ModelEngine } from "../helpers/model-engine.js";
import type { ConfigDocument } from "../../schema/config-types.js";

// The review's data-loss reproductions (issue 10, items 1–8), each driven through the real provider
// code against the emulator, deployment by deployment (test/helpers/model-engine.ts).
const JIRA_TOKEN = "jira-token-delete-safety-4b1e";
let dojo: DefectDojoEmulator;
let engine: ModelEngine;
let api: ReturnType<typeof dojoApi>;
let products: Record<string, number>;
let release: (() => void) | undefined;

const links = () => [...dojo.db.jira_projects.values()];
const mappings = () => dojo.db.jira_issues.size;
const up = async (docs: ConfigDocument[]) => engine.up(declare(docs));
const mustUp = async (docs: ConfigDocument[]) => {
  const result = await up(docs);
  if (!result.ok) throw new Error(result.error);
  return result;
};

beforeAll(async () => {
  dojo = await startDefectDojoEmulator();
  api = dojoApi(dojo);
});
afterAll(async () => dojo?.close());
beforeEach(() => {
  dojo.reset();
  products = dojo.seed({ products: [{ name: "Payments API" }, { name: "Web Frontend" }] }).products;
  engine = new ModelEngine({ "defectdojo:url": dojo.url, "defectdojo:apiToken": dojo.token, "defectdojo-jira:corpJiraToken": JIRA_TOKEN });
});
afterEach(() => {
  release?.();
  release = undefined;
});

describe("ownership: one DefectDojo object, one resource (item 1)", () => {
  it("a link renamed without renamedFrom, with adopt on, stays in DefectDojo", async () => {
    await mustUp([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API", { options: { adopt: true } })]);
    const [before] = links();
    const result = await mustUp([instanceDoc("corp-jira"), productLinkDoc("payments-api", "Payments API", { options: { adopt: true } })]);
    expect(links()).toHaveLength(1);
    expect(links()[0]!.id).toBe(before!.id);
    expect(engine.state.map((e) => e.name)).toEqual(["corp-jira", "payments-api"]);
    expect(result.logs.join("\n")).toContain("stays, managed by payments-api");
  });

  it("a link renamed with renamedFrom and moved to another product in one commit leaves no link behind", async () => {
    await mustUp([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API")]);
    const [before] = links();
    const result = await mustUp([instanceDoc("corp-jira"), productLinkDoc("web", "Web Frontend", { renamedFrom: ["payments"] })]);
    expect(links().map((l) => l.product)).toEqual([products["Web Frontend"]]);
    expect(links()[0]!.id).not.toBe(before!.id);
    expect(result.logs.join("\n")).not.toContain("stays");
    expect(engine.state.map((e) => e.name)).toEqual(["corp-jira", "web"]);
  });

  it("two links swapping products in one commit are refused before anything is deleted; with adopt, each takes over the other's link", async () => {
    const swapped = (adopt: boolean, back = false) => [instanceDoc("corp-jira"), productLinkDoc("payments", back ? "Payments API" : "Web Frontend", { options: { adopt } }), productLinkDoc("web", back ? "Web Frontend" : "Payments API", { options: { adopt }, spec: { projectKey: "WEB" } })];
    await mustUp([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API"), productLinkDoc("web", "Web Frontend", { spec: { projectKey: "WEB" } })]);
    const before = new Map(links().map((l) => [l.product, l.id]));
    const writes = () => dojo.log.filter((r) => r.method !== "GET").map((r) => r.method);
    dojo.log.length = 0;
    const refused = await up(swapped(false));
    expect(refused.error).toContain("which already has a Jira link in DefectDojo");
    expect(writes()).toEqual([]);
    await mustUp(swapped(true));
    expect(new Map(links().map((l) => [l.product, l.id]))).toEqual(before);
    expect(writes()).toEqual(["PATCH", "PATCH"]);
    expect(links().find((l) => l.product === products["Payments API"])!.project_key).toBe("WEB");
    expect(engine.state.filter((e) => e.kind === "ProductJiraLink").map((e) => [e.name, Number(e.id)])).toEqual([
      ["payments", before.get(products["Web Frontend"])],
      ["web", before.get(products["Payments API"])],
    ]);
    // With mappings under one of them, swapping back is refused before anything is made.
    dojo.seedJiraIssues(before.get(products["Payments API"])!, 2);
    dojo.log.length = 0;
    const withMappings = await up(swapped(true, true));
    expect(withMappings.error).toContain("refusing to move ProductJiraLink web");
    expect(writes().filter((method) => method !== "PATCH")).toEqual([]); // the first document's adoption may have been made
    expect(new Map(links().map((l) => [l.product, l.id]))).toEqual(before);
    expect(mappings()).toBe(2);
  });

  it("a rename that drops an applied allow flag erases no mapping", async () => {
    await mustUp([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API", { options: { adopt: true, allowDeleteWithJiraIssues: true } })]);
    dojo.seedJiraIssues(links()[0]!.id, 3);
    await mustUp([instanceDoc("corp-jira"), productLinkDoc("payments-api", "Payments API", { options: { adopt: true } })]);
    expect(mappings()).toBe(3);
    expect(links()).toHaveLength(1);
  });

  it("an instance renamed without renamedFrom, with adopt on, stays", async () => {
    await mustUp([instanceDoc("corp-jira", { spec: { configurationName: "Corp Jira" }, options: { adopt: true } })]);
    await mustUp([instanceDoc("corp", { spec: { configurationName: "Corp Jira" }, options: { adopt: true } })]);
    expect([...dojo.db.jira_instances.values()].map((i) => i.configuration_name)).toEqual(["Corp Jira"]);
  });

  it("settings renamed without renamedFrom keep Jira on, even with disableJiraOnDelete", async () => {
    const settings = (name: string): ConfigDocument => ({ apiVersion: "defectdojo-jira/v1", kind: "JiraSettings", metadata: { name }, options: { adopt: true, disableJiraOnDelete: true }, spec: { enableJira: true } }) as ConfigDocument;
    await mustUp([settings("jira-settings")]);
    await mustUp([settings("settings")]);
    expect(dojo.db.system_settings.get(1)!.enable_jira).toBe(true);
  });

  it("adoption never takes over a link another declared resource manages", async () => {
    await mustUp([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API")]);
    const result = await up([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API"), productLinkDoc("payments-too", "Payments API", { options: { adopt: true } })]);
    expect(result.ok).toBe(false);
    expect(result.error).toContain("already managed by payments");
  });

  it("two documents naming one link (by id and by name) fail the deployment, whichever comes first", async () => {
    await mustUp([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API")]);
    const result = await up([instanceDoc("corp-jira"), productLinkDoc("payments-by-id", { id: products["Payments API"]! }, { options: { adopt: true } }), productLinkDoc("payments", "Payments API")]);
    expect(result.ok).toBe(false);
    expect(result.error).toContain("two documents name one DefectDojo object");
    expect(links()).toHaveLength(1);
  });
});

describe("found by the plugin's attacker: switches that are not booleans, replacements that adopt", () => {
  it('allowDeleteWithJiraIssues: "false" (a string, truthy) fails check, and a state holding it erases no mapping', async () => {
    const refused = await up([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API", { options: { allowDeleteWithJiraIssues: "false" } } as never)]);
    expect(refused.error).toMatch(/allowDeleteWithJiraIssues: must be true or false, not string/);
    await mustUp([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API")]);
    dojo.seedJiraIssues(links()[0]!.id, 2);
    // A state written by a program that sent the string (before check refused it).
    engine.state.find((e) => e.name === "payments")!.outputs.allowDeleteWithJiraIssues = "false";
    const removed = await up([instanceDoc("corp-jira")]);
    expect(removed.error).toMatch(/refusing to delete ProductJiraLink payments/);
    expect(mappings()).toBe(2);
  });

  it('disableJiraOnDelete: "false" and adopt: "false" fail check too', async () => {
    await mustUp([instanceDoc("corp-jira")]);
    const settings = await up([instanceDoc("corp-jira"), { apiVersion: "defectdojo-jira/v1", kind: "JiraSettings", metadata: { name: "settings" }, spec: { enableJira: true }, options: { disableJiraOnDelete: "false", adopt: "false" } } as never]);
    expect(settings.error).toMatch(/adopt: must be true or false.*disableJiraOnDelete: must be true or false|disableJiraOnDelete: must be true or false.*adopt: must be true or false/);
  });

  it("a replacement made before its original (pulumi up --replace, a new parent) adopts the link, and the original's delete leaves it", async () => {
    await mustUp([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API", { options: { adopt: true } })]);
    const [before] = links();
    const result = await engine.up(declare([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API", { options: { adopt: true } })]), "payments");
    expect(result.error).toBeUndefined();
    expect(links().map((l) => l.id)).toEqual([before!.id]);
    expect(engine.state.find((e) => e.name === "payments")!.id).toBe(String(before!.id));
    expect(result.logs.join("\n")).toContain("stays, managed by the replacement of payments");
  });

  it("a replacement that makes a new link still deletes the original one (with its mappings refused as ever)", async () => {
    await mustUp([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API")]);
    const [original] = links();
    await api("DELETE", `jira_projects/${original!.id}/`); // gone by hand: the replacement makes a new one
    expect((await engine.up(declare([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API")]), "payments")).ok).toBe(true);
    expect(links()).toHaveLength(1);
    expect(links()[0]!.id).not.toBe(original!.id);
  });
});

describe("the delete itself (items 2, 3 and 23)", () => {
  const declared = () => [instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API")];

  it("a mapping pushed while the link is being disabled is counted: the DELETE is not sent", async () => {
    await mustUp(declared());
    const link = links()[0]!;
    release = intercept(dojo, async (request, next) => {
      if (request.method !== "PATCH" || !request.url.pathname.endsWith(`/jira_projects/${link.id}/`) || request.body !== '{"enabled":false}') return undefined;
      const answer = await next(request);
      dojo.seedJiraIssues(link.id, 1); // a push that passed its enabled check before the PATCH lands now
      return answer;
    });
    const result = await up([instanceDoc("corp-jira")]);
    expect(result.ok).toBe(false);
    expect(result.error).toContain("refusing to delete ProductJiraLink payments");
    expect(mappings()).toBe(1);
    expect(dojo.db.jira_projects.get(link.id)).toMatchObject({ enabled: true }); // left as it was
  });

  it("the link is disabled before the last count, and a failed DELETE is retried only after counting again", async () => {
    await mustUp(declared());
    const link = links()[0]!;
    const seen: string[] = [];
    let deletes = 0;
    release = intercept(dojo, (request) => {
      const path = request.url.pathname;
      if (path.endsWith("/delete_preview/")) seen.push("count");
      if (request.method === "PATCH") seen.push(`patch ${request.body}`);
      if (request.method === "DELETE" && ++deletes === 1) {
        seen.push("DELETE 503");
        dojo.seedJiraIssues(link.id, 2); // a push made while the DELETE was failing
        return { status: 503, json: { message: "Service unavailable" } };
      }
      if (request.method === "DELETE") seen.push("DELETE");
      return undefined;
    });
    const result = await up([instanceDoc("corp-jira")]);
    expect(seen).toEqual(['patch {"enabled":false}', "count", "DELETE 503", "count", 'patch {"enabled":true}']);
    expect(result.error).toContain("has 2 findings linked to Jira issues");
    expect(mappings()).toBe(2);
  });

  it("a delete_preview answering 404 while the link exists refuses the delete (fail closed)", async () => {
    await mustUp(declared());
    dojo.seedJiraIssues(links()[0]!.id, 1);
    release = intercept(dojo, (request) => (request.url.pathname.endsWith("/delete_preview/") ? { status: 404, json: { detail: "Not found." } } : undefined));
    const result = await up([instanceDoc("corp-jira")]);
    expect(result.ok).toBe(false);
    expect(result.error).toContain("cannot count the Jira issues");
    expect(links()).toHaveLength(1);
    expect(mappings()).toBe(1);
  });

  type PreviewPage = { count: number; next: string | null; previous: string | null; results: Array<{ model: string; id: number | null; name: string } | null> };
  it.each<[string, (page: PreviewPage) => PreviewPage, string]>([
    ["an empty page", (page) => ({ ...page, count: 0, results: [] }), "cannot count the Jira issues under Jira link 1: its delete_preview does not list the link itself once"],
    ["a page shorter than its own count", (page) => ({ ...page, results: page.results.slice(0, 1) }), "counted 4 rows and gave 1; its pagination is inconsistent"],
    ["a truncated page that counts only what it gives, without the link", (page) => ({ ...page, count: 1, results: page.results.slice(1, 2) }), "cannot count the Jira issues under Jira link 1: its delete_preview does not list the link itself once"],
    ["the mappings under another model name", (page) => ({ ...page, results: page.results.map((row) => (row?.model === "JIRA_Issue" ? { ...row, model: "Jira Issue" } : row)) }), 'its delete_preview lists a "Jira Issue" row, which is neither the link nor a Jira issue mapping'],
    ["the mappings as nulls", (page) => ({ ...page, results: page.results.map((row) => (row?.model === "JIRA_Issue" ? null : row)) }), "its delete_preview has a row that is not a model and id"],
    ["the API token as a model name", (page) => ({ ...page, results: page.results.map((row) => (row?.model === "JIRA_Issue" ? { ...row, model: dojo.token } : row)) }), 'its delete_preview lists a "[secret]" row'],
  ])("a delete_preview with %s refuses the delete (fail closed)", async (_, garble, why) => {
    await mustUp(declared());
    dojo.seedJiraIssues(links()[0]!.id, 3);
    release = intercept(dojo, async (request, next) => {
      if (!request.url.pathname.endsWith("/delete_preview/")) return undefined;
      const answer = await next(request);
      return { ...answer, json: garble(answer.json as PreviewPage) };
    });
    const result = await up([instanceDoc("corp-jira")]);
    expect(result.ok).toBe(false);
    expect(result.error).toContain(why);
    expect(links()).toHaveLength(1);
    expect(mappings()).toBe(3);
  });

  it("a DELETE DefectDojo never answers is given up within one call's deadline, not one per attempt", async () => {
    // Found by an attacker: six attempts of 60 s each held a run for six minutes.
    engine = new ModelEngine(engine.config, { deadlineMs: 300, backoffMs: 1 });
    await mustUp(declared());
    let deletes = 0;
    release = intercept(dojo, async (request) => {
      if (request.method !== "DELETE") return undefined;
      deletes++;
      await sleep(1_000);
      return { status: 204 };
    });
    const result = await up([instanceDoc("corp-jira")]);
    expect(result.ok).toBe(false);
    expect(result.error).toContain("no whole answer within the call's deadline");
    expect(deletes).toBe(1);
    await sleep(1_000); // the abandoned answer
    expect(links()[0]?.enabled).toBe(true);
  });

  it("a delete_preview whose next page never ends refuses the delete, after a bounded number of calls", async () => {
    await mustUp(declared());
    dojo.seedJiraIssues(links()[0]!.id, 1);
    let calls = 0;
    release = intercept(dojo, (request) => {
      if (!request.url.pathname.endsWith("/delete_preview/")) return undefined;
      calls++;
      return { status: 200, json: { count: 1000, next: `${dojo.url}${request.url.pathname}?offset=1`, previous: null, results: [{ model: "Product", id: 1, name: "Payments API" }] } };
    });
    const result = await up([instanceDoc("corp-jira")]);
    expect(result.ok).toBe(false);
    expect(result.error).toContain("pagination is inconsistent");
    expect(calls).toBeLessThan(10);
    expect(mappings()).toBe(1);
  });
});

describe("existence and replacement decided from fresh data and resolved ids (items 4, 5)", () => {
  it("a link made by hand after the deployment's first lookup, longer than the freshness window before a create, is seen: no duplicate link", async () => {
    engine = new ModelEngine(engine.config, { freshForMs: 50 });
    let handMade = false;
    release = intercept(dojo, async (request, next) => {
      // The first list of every link (the first create asked for its own product alone).
      if (request.method !== "GET" || handMade || !request.url.pathname.endsWith("/jira_projects/") || request.url.searchParams.has("product")) return undefined;
      const answer = await next(request);
      handMade = true;
      const instance = [...dojo.db.jira_instances.values()][0]!;
      await api("POST", "jira_projects/", { product: products["Web Frontend"], jira_instance: instance.id, project_key: "HAND" });
      await sleep(80); // the answer, without the hand-made link, is older than the window when the next create asks
      return answer;
    });
    dojo.seed({ products: [{ name: "Mobile App" }] });
    const result = await up([instanceDoc("corp-jira"), productLinkDoc("mobile", "Mobile App", { spec: { projectKey: "MOB" } }), productLinkDoc("payments", "Payments API"), productLinkDoc("web", "Web Frontend", { spec: { projectKey: "WEB" } })]);
    expect(handMade).toBe(true);
    expect(links().filter((l) => l.product === products["Web Frontend"])).toHaveLength(1);
    expect(result.error).toContain("already has a Jira link in DefectDojo");
  });

  it("the same product written by name and then by id is no replace, even with mappings", async () => {
    await mustUp([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API")]);
    const link = links()[0]!;
    dojo.seedJiraIssues(link.id, 2);
    dojo.log.length = 0;
    await mustUp([instanceDoc("corp-jira"), productLinkDoc("payments", { id: products["Payments API"]! })]);
    expect(links().map((l) => l.id)).toEqual([link.id]);
    expect(mappings()).toBe(2);
    expect(dojo.log.filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("a move to another product is still a replace (refused while mappings exist)", async () => {
    await mustUp([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API")]);
    dojo.seedJiraIssues(links()[0]!.id, 1);
    dojo.log.length = 0;
    const result = await up([instanceDoc("corp-jira"), productLinkDoc("payments", "Web Frontend")]);
    expect(result.error).toContain('refusing to move ProductJiraLink payments to product "Web Frontend": product "Payments API" has 1 finding linked to Jira issues');
    // Refused in the diff, before the new link is made.
    expect(dojo.log.filter((r) => r.method !== "GET")).toEqual([]);
    expect(links()).toHaveLength(1);
    expect(mappings()).toBe(1);
  });
});

describe("adoption (items 6, 7, 8)", () => {
  it("an unnamed instance is exported lint-clean and adopted without a second instance", async () => {
    const instance = await api<{ id: number }>("POST", "jira_instances/", apiInstance({ password: "x", epic_name_id: 1 }));
    expect(dojo.db.jira_instances.get(instance.id)!.configuration_name).toBe("");
    await api("POST", "jira_projects/", { product: products["Payments API"], jira_instance: instance.id, project_key: "PAY" });
    const live = await readLive(new DefectDojoClient({ url: dojo.url, token: new Secret(dojo.token) }));
    const exported = live.documents.map((doc) => (doc.kind === "JiraInstance" ? { ...doc, spec: { ...doc.spec, password: { fromConfig: "corpJiraToken" } } } : doc)) as ConfigDocument[];
    expect((await lintDocuments(exported)).filter((r) => r.severity === "error")).toEqual([]);
    engine = new ModelEngine({ "defectdojo:url": dojo.url, "defectdojo:apiToken": dojo.token, "defectdojo-jira:corpJiraToken": JIRA_TOKEN, "defectdojo-jira:jiraWebhookSecret": String(dojo.db.system_settings.get(1)!.jira_webhook_secret) });
    await mustUp(exported);
    expect(dojo.db.jira_instances.size).toBe(1);
    expect(links()[0]!.jira_instance).toBe(instance.id);
  });

  it("settings whose Jira is already on are not taken over without options.adopt", async () => {
    await api("PATCH", "system_settings/1/", { enable_jira: true, jira_minimum_severity: "High" });
    const settings = (options?: Record<string, unknown>) => ({ apiVersion: "defectdojo-jira/v1", kind: "JiraSettings", metadata: { name: "jira-settings" }, ...(options ? { options } : {}), spec: { enableJira: true, minimumSeverity: "Low" } }) as ConfigDocument;
    const refused = await up([settings()]);
    expect(refused.error).toContain("Jira is already switched on");
    expect(dojo.db.system_settings.get(1)!.jira_minimum_severity).toBe("High");
    await mustUp([settings({ adopt: true })]);
    expect(dojo.db.system_settings.get(1)!.jira_minimum_severity).toBe("Low");
  });

  it("adoption writes only what differs in meaning", async () => {
    const instance = await api<{ id: number }>("POST", "jira_instances/", apiInstance({ configuration_name: "corp-jira", password: "x", accepted_mapping_resolution: "Won't Fix, Duplicate" }));
    await api("POST", "jira_projects/", { product: products["Payments API"], jira_instance: instance.id, project_key: "PAY", jira_labels: "a  b" });
    dojo.log.length = 0;
    await mustUp([
      instanceDoc("corp-jira", { spec: { acceptedResolutions: ["Won't Fix", "Duplicate"] }, options: { adopt: true } }),
      productLinkDoc("payments", "Payments API", { spec: { labels: ["a", "b"] }, options: { adopt: true } }),
    ]);
    const writes = dojo.log.filter((r) => r.method !== "GET");
    expect(writes.map((w) => `${w.method} ${w.path} ${(w.fields ?? []).join(",")}`)).toEqual([`PATCH /api/v2/jira_instances/${instance.id}/ password`]);
  });
});
