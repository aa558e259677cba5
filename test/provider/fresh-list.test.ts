import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import type { ApiJiraProject } from "../../provider/client/api-types.js";
import { DefectDojoClient } from "../../provider/client/defectdojo-client.js";
import { FreshList } from "../../provider/resources/fresh-list.js";
import { Secret } from "../../provider/secret.js";
import { apiInstance, dojoApi } from "../helpers/dojo-fixture.js";

// The shared list behind every "does this link exist?" of a deployment: one request per window,
// never older than the window, and this process's own writes laid over it.
let dojo: DefectDojoEmulator;
let api: ReturnType<typeof dojoApi>;
let client: DefectDojoClient;
let products: Record<string, number>;
let instance: number;

const listGets = () => dojo.log.filter((r) => r.method === "GET" && r.path === "/api/v2/jira_projects/" && !r.query.product);
const targetGets = () => dojo.log.filter((r) => r.method === "GET" && r.path === "/api/v2/jira_projects/" && r.query.product);
const onProduct = (list: FreshList<ApiJiraProject>, product: number) => list.where((l) => l.product === product, () => client.linksOf({ product }));

beforeAll(async () => {
  dojo = await startDefectDojoEmulator();
  api = dojoApi(dojo);
  client = new DefectDojoClient({ url: dojo.url, token: new Secret(dojo.token) });
});
afterAll(async () => dojo?.close());
beforeEach(async () => {
  dojo.reset();
  products = dojo.seed({ products: Array.from({ length: 12 }, (_, i) => ({ name: `Product ${i}` })) }).products;
  instance = ((await api("POST", "jira_instances/", apiInstance("corp"))) as { id: number }).id;
  dojo.log.length = 0;
});

describe("FreshList", () => {
  it("lookups within the window share one list; a lone first lookup asks for its own target", async () => {
    const list = new FreshList<ApiJiraProject>(() => client, "jira_projects/", 60_000);
    await onProduct(list, products["Product 0"]!);
    expect(targetGets()).toHaveLength(1);
    expect(listGets()).toHaveLength(0);
    await Promise.all(Array.from({ length: 11 }, (_, i) => onProduct(list, products[`Product ${i + 1}`]!)));
    expect(listGets()).toHaveLength(1);
    expect(targetGets()).toHaveLength(1);
  });

  it("a list older than the window is asked again, and sees a link made by hand meanwhile", async () => {
    const list = new FreshList<ApiJiraProject>(() => client, "jira_projects/", 40);
    await list.all();
    await api("POST", "jira_projects/", { product: products["Product 3"], jira_instance: instance, project_key: "HAND" });
    expect(await onProduct(list, products["Product 3"]!)).toHaveLength(0); // inside the window: the documented blind spot
    await sleep(60);
    expect((await onProduct(list, products["Product 3"]!)).map((l) => l.project_key)).toEqual(["HAND"]);
    expect(listGets().length + targetGets().length).toBe(2);
  });

  it("what this process writes after the list was sent is seen inside the window, deletes included", async () => {
    const list = new FreshList<ApiJiraProject>(() => client, "jira_projects/", 60_000);
    const pending = list.all(); // sent before the create below is answered
    const made = await client.createLink({ product: products["Product 5"], jira_instance: instance, project_key: "MINE" });
    list.wrote(made);
    await pending;
    expect((await onProduct(list, products["Product 5"]!)).map((l) => l.id)).toEqual([made.id]);
    await client.deleteLink(made.id);
    list.removed(made.id);
    expect(await onProduct(list, products["Product 5"]!)).toEqual([]);
    expect(listGets()).toHaveLength(1);
  });

  it("a list that failed answers nobody else: the next lookup asks again", async () => {
    const list = new FreshList<ApiJiraProject>(() => new DefectDojoClient({ url: dojo.url, token: new Secret(dojo.token), maxAttempts: 1 }), "jira_projects/", 60_000);
    dojo.faults.configure({ rate: 1, kinds: ["500"] });
    await expect(list.all()).rejects.toThrow();
    dojo.faults.configure({ rate: 0 });
    await api("POST", "jira_projects/", { product: products["Product 7"], jira_instance: instance, project_key: "LATE" });
    expect((await onProduct(list, products["Product 7"]!)).map((l) => l.project_key)).toEqual(["LATE"]);
  });
});

describe("FreshList's cost", () => {
  it("a first lookup goes straight to the list when more lookups were announced", async () => {
    const list = new FreshList<ApiJiraProject>(() => client, "jira_projects/", 60_000);
    list.expect();
    list.expect();
    await onProduct(list, products["Product 0"]!);
    await onProduct(list, products["Product 1"]!);
    expect(targetGets()).toHaveLength(0);
    expect(listGets()).toHaveLength(1);
  });
});
