import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { createContext, providerFor } from "../../provider/dynamic/runtime.js";
import { apiInstance, dojoApi } from "../helpers/dojo-fixture.js";

// The creates of one deployment share the existence check: one list of the links, at most a second
// old (provider/resources/fresh-list.ts), instead of one query per product; a link made by hand
// before that list is seen and no second link is made.
const PRODUCTS = 8;
let dojo: DefectDojoEmulator;
let api: ReturnType<typeof dojoApi>;
let instanceId: number;

beforeAll(async () => {
  dojo = await startDefectDojoEmulator();
  api = dojoApi(dojo);
});
afterAll(async () => dojo?.close());
beforeEach(async () => {
  dojo.reset();
  dojo.seed({ products: Array.from({ length: PRODUCTS }, (_, i) => ({ name: `Product ${i}` })) });
  instanceId = (await api<{ id: number }>("POST", "jira_instances/", apiInstance({ username: "svc", password: "x", epic_name_id: 1 }))).id;
});

/** A provider process, as the dynamic-provider host starts one per deployment. */
function links() {
  const context = createContext();
  context.settings.configure({ get: (key) => ({ "defectdojo:url": dojo.url, "defectdojo:apiToken": dojo.token })[key] });
  const provider = providerFor("ProductJiraLink", context);
  const inputs = (i: number | string, options: { adopt?: boolean } = {}) => ({ name: `link-${i}`, spec: { product: typeof i === "number" ? `Product ${i}` : i, instance: "corp", projectKey: `P${i}` }, instanceId, adopt: options.adopt });
  const create = (i: number | string, options: { adopt?: boolean } = {}) => provider.create(inputs(i, options));
  /** As the engine does: every resource checked first, then created. */
  create.checked = async (i: number) => provider.check!({}, inputs(i));
  return create;
}

const linkLookups = () => dojo.log.filter((r) => r.method === "GET" && r.path.endsWith("/jira_projects/"));

describe("the existence check before a link is created", () => {
  it("is one list for the creates of one second, and each still creates its link once", async () => {
    const create = links();
    for (let i = 0; i < PRODUCTS; i++) await create.checked(i);
    dojo.log.length = 0;
    await Promise.all(Array.from({ length: PRODUCTS }, (_, i) => create(i)));
    expect(linkLookups()).toHaveLength(1);
    expect(linkLookups()[0]!.query.product).toBeUndefined();
    expect(dojo.log.filter((r) => r.method === "POST")).toHaveLength(PRODUCTS);
    expect(dojo.db.jira_projects.size).toBe(PRODUCTS);
  });

  it("sees a link made by hand after an earlier lookup: refused, no second link, the others created", async () => {
    const create = links();
    await create(0);
    await api("POST", "jira_projects/", { product: [...dojo.db.products.values()].find((p) => p.name === "Product 3")!.id, jira_instance: instanceId, project_key: "HAND" });
    const results = await Promise.allSettled(Array.from({ length: PRODUCTS - 1 }, (_, i) => create(i + 1)));
    expect(results[2]).toMatchObject({ status: "rejected", reason: { message: expect.stringContaining("already has a Jira link in DefectDojo") } });
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(PRODUCTS - 2);
    const product3 = [...dojo.db.products.values()].find((p) => p.name === "Product 3")!.id;
    expect([...dojo.db.jira_projects.values()].filter((l) => l.product === product3)).toHaveLength(1);
  });

  it("a create that fails before its check holds no other create up", async () => {
    const create = links();
    const started = Date.now();
    const results = await Promise.allSettled([create(0), create("No Such Product"), create(1)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(dojo.db.jira_projects.size).toBe(2);
  });

  it("adopts with the shared answer as with its own", async () => {
    const create = links();
    const product2 = [...dojo.db.products.values()].find((p) => p.name === "Product 2")!.id;
    const hand = await api<{ id: number }>("POST", "jira_projects/", { product: product2, jira_instance: instanceId, project_key: "OLD" });
    const results = await Promise.all([create(1), create(2, { adopt: true }), create(3)]);
    expect(results[1]!.id).toBe(String(hand.id));
    expect(dojo.db.jira_projects.get(hand.id)!.project_key).toBe("P2");
    expect(dojo.db.jira_projects.size).toBe(3);
  });
});
