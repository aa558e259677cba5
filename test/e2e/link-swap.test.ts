import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { LocalStack } from "../../provider/local-stack.js";
import { ROOT } from "../helpers/run-cli.js";

// Two link documents that swap products in one commit, with the real engine's ordering: each move
// lands on the other's link, which must not be deleted on the way.
let dojo: DefectDojoEmulator;
let stack: LocalStack;
let links: string;
const idsByProduct = () => new Map([...dojo.db.jira_projects.values()].map((l) => [l.product, l.id]));
const productId = (name: string) => [...dojo.db.products.values()].find((p) => p.name === name)!.id;
const link = (name: string, product: string, key: string, adopt: boolean) =>
  `apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: ${name}\n${adopt ? "options:\n  adopt: true\n" : ""}spec:\n  product: ${product}\n  instance: corp-jira\n  projectKey: ${key}\n`;
const writeLinks = (swapped: boolean, adopt = false) =>
  writeFile(links, [link("payments", swapped ? "Web Frontend" : "Payments API", "PAY", adopt), link("web", swapped ? "Payments API" : "Web Frontend", "WEB", adopt)].join("---\n"));

beforeAll(async () => {
  const bin = await LocalStack.installCli(ROOT);
  dojo = await startDefectDojoEmulator();
  dojo.seed({ products: [{ name: "Payments API" }, { name: "Web Frontend" }, { name: "Legacy App" }, { name: "Orphan Service" }] });
  const work = await mkdtemp(join(ROOT, ".demo-swap-"));
  const config = join(work, "config");
  await cp(join(ROOT, "examples/basic"), config, { recursive: true });
  links = join(config, "product-links.yaml");
  await writeLinks(false);
  stack = new LocalStack(ROOT, work, LocalStack.uniqueName("swap"), bin);
  await stack.init({ "defectdojo:url": dojo.url, "defectdojo-jira:configDir": config }, { "defectdojo:apiToken": dojo.token, corpJiraToken: "swap-jira-token" });
  const first = await stack.up();
  if (first.code !== 0) throw new Error(first.output);
}, 30 * 60_000);

afterAll(async () => {
  await stack?.remove();
  await dojo?.close();
});

describe("two link documents swapping products", () => {
  it("without adopt: refused before anything is changed, in preview and up", async () => {
    const before = idsByProduct();
    await writeLinks(true);
    const preview = await stack.run(["preview"]);
    dojo.log.length = 0;
    const up = await stack.up();
    expect(preview.code).not.toBe(0);
    expect(up.code).not.toBe(0);
    expect(up.output).toContain("which already has a Jira link in DefectDojo");
    expect(dojo.log.filter((r) => r.method !== "GET")).toEqual([]);
    expect(idsByProduct()).toEqual(before);
  });

  it("with adopt on both: each takes over the other's link, none is deleted or made", async () => {
    const before = idsByProduct();
    await writeLinks(true, true);
    dojo.log.length = 0;
    const up = await stack.up();
    expect(up.code, up.output.slice(-3000)).toBe(0);
    // The two adoptions patch each link to its new document (project keys swap), nothing else.
    expect(dojo.log.filter((r) => r.method !== "GET").map((r) => r.method)).toEqual(["PATCH", "PATCH"]);
    expect(idsByProduct()).toEqual(before);
    dojo.log.length = 0;
    const again = await stack.up();
    expect(again.code).toBe(0);
    expect(dojo.log).toEqual([]);
  });

  it("a link moving to a free product while a new document adopts its old link: the old link stays, adopted", async () => {
    // Now: payments on Web Frontend, web on Payments API. payments moves on to Legacy App, and a new
    // document takes over the link it leaves on Web Frontend.
    const kept = idsByProduct().get(productId("Web Frontend"));
    await writeFile(links, [link("payments", "Legacy App", "PAY", true), link("web", "Payments API", "WEB", true), link("newcomer", "Web Frontend", "NEW", true)].join("---\n"));
    dojo.log.length = 0;
    const up = await stack.up();
    expect(up.code, up.output.slice(-3000)).toBe(0);
    expect(dojo.log.filter((r) => r.method !== "GET").map((r) => r.method).sort()).toEqual(["PATCH", "POST"]);
    expect(idsByProduct().get(productId("Web Frontend"))).toBe(kept);
    expect(dojo.db.jira_projects.get(kept!)!.project_key).toBe("NEW");
    expect(up.output).toContain(`its DefectDojo link (id ${kept}) stays, managed by newcomer`);
  });

  it("a link with Jira issue mappings is not moved: refused before anything is made", async () => {
    const before = idsByProduct();
    dojo.seedJiraIssues(before.get(productId("Legacy App"))!, 1);
    await writeFile(links, [link("payments", "Orphan Service", "PAY", true), link("web", "Payments API", "WEB", true), link("newcomer", "Web Frontend", "NEW", true)].join("---\n"));
    dojo.log.length = 0;
    const up = await stack.up();
    expect(up.code).not.toBe(0);
    expect(up.output).toContain('refusing to move ProductJiraLink payments to product "Orphan Service": product "Legacy App" has 1 finding linked to Jira issues');
    expect(dojo.log.filter((r) => r.method !== "GET")).toEqual([]);
    expect(idsByProduct()).toEqual(before);
    expect(dojo.db.jira_issues.size).toBe(1);
  });
});
