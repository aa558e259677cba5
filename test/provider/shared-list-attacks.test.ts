import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import type { EmulatorRequest } from "../../emulators/http.js";
import { createContext, providerFor, type ProviderContext } from "../../provider/dynamic/runtime.js";
import { apiInstance, dojoApi, instanceDoc, intercept, productLinkDoc } from "../helpers/dojo-fixture.js";
import { declare, ModelEngine } from "../helpers/model-engine.js";

// An independent attack on the shared list of links (provider/resources/fresh-list.ts) and on the
// delete's new order broke the promises six ways; each test is one of them, run against the fix.
const JIRA_TOKEN = "jira-token-shared-list-9c2d";
let dojo: DefectDojoEmulator;
let api: ReturnType<typeof dojoApi>;
let products: Record<string, number>;
let release: (() => void) | undefined;

const links = () => [...dojo.db.jira_projects.values()];
const isList = (r: EmulatorRequest) => r.method === "GET" && r.url.pathname === "/api/v2/jira_projects/" && !r.url.searchParams.has("product");
const config = () => ({ "defectdojo:url": dojo.url, "defectdojo:apiToken": dojo.token, "defectdojo-jira:corpJiraToken": JIRA_TOKEN });

function providerProcess(freshForMs?: number): { context: ProviderContext; link: ReturnType<typeof providerFor> } {
  const context = createContext(undefined, { freshForMs, maxAttempts: 1 });
  context.settings.configure({ get: (key) => (config() as Record<string, string>)[key] });
  return { context, link: providerFor("ProductJiraLink", context) };
}
const linkInputs = (name: string, product: string | { id: number }, instanceId: number) => ({ name, spec: { product, instance: "corp-jira", projectKey: "PAY" }, instanceId });
const onProduct = (product: number) => links().filter((l) => l.product === product);

beforeAll(async () => {
  dojo = await startDefectDojoEmulator();
  api = dojoApi(dojo);
});
afterAll(async () => dojo?.close());
beforeEach(() => {
  dojo.reset();
  products = dojo.seed({ products: Array.from({ length: 3 }, (_, i) => ({ name: `P${i}` })) }).products;
});
afterEach(() => {
  release?.();
  release = undefined;
  vi.restoreAllMocks();
});

async function instance(): Promise<number> {
  return (await api<{ id: number }>("POST", "jira_instances/", apiInstance())).id;
}

describe("the shared list of links, attacked", () => {
  it("two creates for one product at once (by name and by id) make one link; the other is refused", async () => {
    const { link } = providerProcess();
    const id = await instance();
    const byName = linkInputs("by-name", "P0", id);
    const byId = linkInputs("by-id", { id: products.P0! }, id);
    await link.check!({}, byName);
    await link.check!({}, byId);
    const results = await Promise.allSettled([link.create(byName), link.create(byId)]);
    expect(onProduct(products.P0!)).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")).toMatchObject([{ reason: { message: expect.stringContaining("already has a Jira link") } }]);
  });

  it("a list answering 404 during a refresh takes no link out of state", async () => {
    const engine = new ModelEngine(config());
    const docs = () => declare([instanceDoc("corp-jira"), productLinkDoc("l0", "P0"), productLinkDoc("l1", "P1"), productLinkDoc("l2", "P2")]);
    expect((await engine.up(docs())).ok).toBe(true);
    release = intercept(dojo, (r) => (isList(r) ? { status: 404, json: { detail: "Not found." } } : undefined));
    const refreshed = await engine.upWithRefresh(docs());
    expect(engine.state.map((e) => e.name).sort()).toEqual(["corp-jira", "l0", "l1", "l2"]);
    expect(refreshed.ok).toBe(true);
    expect(links()).toHaveLength(3);
  });

  it("a slow list does not lose this process's own create: a second create for the product is refused", async () => {
    const { context, link } = providerProcess(300);
    const id = await instance();
    let slowed = false;
    let olderList: Promise<unknown> | undefined;
    release = intercept(dojo, async (r, next) => {
      if (r.method === "POST" && r.url.pathname === "/api/v2/jira_projects/" && !olderList) {
        olderList = context.links.all(); // a list sent right before the first create's POST
        await sleep(30);
        return undefined;
      }
      if (!isList(r) || slowed) return undefined;
      slowed = true;
      const answer = await next(r); // read before the first create's POST…
      await sleep(1200); // …and delivered after it, and after two newer lists
      return answer;
    });
    await link.create(linkInputs("a", "P0", id));
    const second = link.create(linkInputs("b", { id: products.P0! }, id)); // joins the slow list
    second.catch(() => undefined); // asserted below, once the newer lists are sent
    await sleep(320);
    await context.links.all();
    await sleep(320);
    await context.links.all();
    await expect(second).rejects.toThrow(/already has a Jira link/);
    await olderList;
    expect(slowed).toBe(true);
    expect(onProduct(products.P0!)).toHaveLength(1);
  });

  it("a clock stepped back does not keep an old list fresh", async () => {
    const { context, link } = providerProcess(200);
    const id = await instance();
    const realNow = Date.now.bind(Date);
    context.links.expect();
    context.links.expect();
    await context.links.all();
    vi.spyOn(Date, "now").mockImplementation(() => realNow() - 60_000);
    await api("POST", "jira_projects/", { product: products.P1, jira_instance: id, project_key: "HAND" });
    await sleep(300);
    await expect(link.create(linkInputs("c", "P1", id))).rejects.toThrow(/already has a Jira link/);
    expect(onProduct(products.P1!)).toHaveLength(1);
  });

  it("a list whose rows shift between two pages is read again: no link missed, no duplicate", async () => {
    const { context, link } = providerProcess();
    const id = await instance();
    const many = dojo.seed({ products: Array.from({ length: 260 }, (_, i) => ({ name: `Q${i}` })) }).products;
    for (let i = 0; i < 260; i++) await api("POST", "jira_projects/", { product: many[`Q${i}`], jira_instance: id, project_key: `Q${i}` });
    let shifted = false;
    release = intercept(dojo, async (r) => {
      if (isList(r) && r.url.searchParams.get("offset") === "249" && !shifted) { // pages overlap by one row
        shifted = true;
        const first = links().find((l) => l.product === many.Q0)!;
        await api("DELETE", `jira_projects/${first.id}/`); // every later row moves up one place
      }
      return undefined;
    });
    context.links.expect();
    context.links.expect();
    await expect(link.create(linkInputs("q250", "Q250", id))).rejects.toThrow(/already has a Jira link/);
    expect(shifted).toBe(true);
    expect(onProduct(many.Q250!)).toHaveLength(1);
  });
});

describe("the shared list, attacked again", () => {
  /** 260 links made by hand, on products Q0…Q259: two pages. */
  async function manyLinks(id: number) {
    const many = dojo.seed({ products: Array.from({ length: 262 }, (_, i) => ({ name: `Q${i}` })) }).products;
    for (let i = 0; i < 260; i++) await api("POST", "jira_projects/", { product: many[`Q${i}`], jira_instance: id, project_key: `Q${i}` });
    return many;
  }

  it("a delete and a create between two pages keep the count, yet the shift is seen: no duplicate", async () => {
    const { context, link } = providerProcess();
    const id = await instance();
    const many = await manyLinks(id);
    let shifted = false;
    release = intercept(dojo, async (r) => {
      if (isList(r) && r.url.searchParams.get("offset") !== "0" && !shifted) {
        shifted = true;
        await api("DELETE", `jira_projects/${links().find((l) => l.product === many.Q0)!.id}/`);
        await api("POST", "jira_projects/", { product: many.Q261, jira_instance: id, project_key: "NEW" });
      }
      return undefined;
    });
    for (let i = 0; i < 5; i++) context.links.expect();
    await expect(link.create(linkInputs("q250", "Q250", id))).rejects.toThrow(/already has a Jira link/);
    expect(shifted).toBe(true);
    expect(onProduct(many.Q250!)).toHaveLength(1);
  });

  it("a list that keeps shifting fails no create: the product is asked directly", async () => {
    const { context, link } = providerProcess();
    const id = await instance();
    const many = await manyLinks(id);
    release = intercept(dojo, async (r) => {
      if (isList(r) && r.url.searchParams.get("offset") !== "0") await api("DELETE", `jira_projects/${links()[0]!.id}/`); // churn on every second page
      return undefined;
    });
    for (let i = 0; i < 5; i++) context.links.expect();
    await expect(link.create(linkInputs("q255", "Q255", id))).rejects.toThrow(/already has a Jira link/);
    expect((await link.create(linkInputs("q260", "Q260", id))).id).toBeDefined();
    expect(onProduct(many.Q260!)).toHaveLength(1);
  });

  it("a delete switches the link off before counting even when a list a moment old says it is off", async () => {
    const engine = new ModelEngine(config());
    expect((await engine.up(declare([instanceDoc("corp-jira"), productLinkDoc("payments", "P0")]))).ok).toBe(true);
    const [made] = links();
    await api("PATCH", `jira_projects/${made!.id}/`, { enabled: false });
    const { context, link } = providerProcess();
    context.links.expect();
    context.links.expect();
    await context.links.all(); // sees it off…
    await api("PATCH", `jira_projects/${made!.id}/`, { enabled: true }); // …and it is switched on again by hand
    const seen: string[] = [];
    release = intercept(dojo, (r) => {
      if (r.url.pathname.endsWith("/delete_preview/")) seen.push("count");
      else if (r.method === "PATCH" || r.method === "DELETE") seen.push(`${r.method} ${r.body ?? ""}`.trim());
      return undefined;
    });
    await link.delete!(made!.id.toString(), engine.state.find((e) => e.name === "payments")!.outputs as never);
    expect(seen).toEqual(['PATCH {"enabled":false}', "count", "DELETE"]);
  });
});

describe("the delete's order, attacked", () => {
  it("a refused delete leaves a link switched off by hand switched off", async () => {
    const engine = new ModelEngine(config());
    expect((await engine.up(declare([instanceDoc("corp-jira"), productLinkDoc("payments", "P0")]))).ok).toBe(true);
    const [made] = links();
    dojo.seedJiraIssues(made!.id, 2);
    await api("PATCH", `jira_projects/${made!.id}/`, { enabled: false });
    const result = await engine.up(declare([instanceDoc("corp-jira")]));
    expect(result.error).toContain("refusing to delete ProductJiraLink payments");
    expect(dojo.db.jira_projects.get(made!.id)).toMatchObject({ enabled: false });
    expect(dojo.db.jira_issues.size).toBe(2);
  });

  it("a refused delete that cannot switch the link on again says so", async () => {
    const engine = new ModelEngine(config(), { maxAttempts: 1 });
    expect((await engine.up(declare([instanceDoc("corp-jira"), productLinkDoc("payments", "P0")]))).ok).toBe(true);
    const [made] = links();
    dojo.seedJiraIssues(made!.id, 2);
    release = intercept(dojo, (r) => (r.method === "PATCH" && r.body === '{"enabled":true}' ? { status: 503, json: { message: "Service unavailable" } } : undefined));
    const result = await engine.up(declare([instanceDoc("corp-jira")]));
    expect(result.error).toContain("refusing to delete ProductJiraLink payments");
    expect(result.error).toContain("could not be switched on again: enable it in DefectDojo by hand");
    expect(dojo.db.jira_issues.size).toBe(2);
  });

  it("a switch-off DefectDojo refuses changed nothing, and the message says only the refusal", async () => {
    const engine = new ModelEngine(config(), { maxAttempts: 1 });
    expect((await engine.up(declare([instanceDoc("corp-jira"), productLinkDoc("payments", "P0")]))).ok).toBe(true);
    const [made] = links();
    release = intercept(dojo, (r) => (r.method === "PATCH" ? { status: 400, json: { detail: "refused" } } : undefined));
    dojo.log.length = 0;
    const result = await engine.up(declare([instanceDoc("corp-jira")]));
    expect(result.error).toBe(`PATCH /api/v2/jira_projects/${made!.id}/ -> 400: refused`);
    expect(dojo.log.filter((r) => r.method !== "GET").map((r) => r.fields)).toEqual([["enabled"]]);
    expect(dojo.db.jira_projects.get(made!.id)).toMatchObject({ enabled: true });
  });

  it("a switch-off DefectDojo does not answer may have been applied: switched on again, or said so", async () => {
    const engine = new ModelEngine(config(), { maxAttempts: 1 });
    expect((await engine.up(declare([instanceDoc("corp-jira"), productLinkDoc("payments", "P0")]))).ok).toBe(true);
    const [made] = links();
    // Applied, then answered 503 (a proxy that timed out); the switch-on is refused the same way, unapplied.
    release = intercept(dojo, async (r, next) => (r.method === "PATCH" ? (r.body === '{"enabled":false}' && (await next(r)), { status: 503, json: { message: "unavailable" } }) : undefined));
    const result = await engine.up(declare([instanceDoc("corp-jira")]));
    expect(result.error).toContain("may have been switched off for the delete (DefectDojo gave no answer) and could not be switched on again");
    expect(dojo.db.jira_projects.get(made!.id)).toMatchObject({ enabled: false });
  });
});
