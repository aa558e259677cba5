import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { LocalStack } from "../../provider/local-stack.js";
import { intercept } from "../helpers/dojo-fixture.js";
import { ROOT } from "../helpers/run-cli.js";

// The real pulumi CLI (installed or built by scripts/install-pulumi.sh) against the emulator, on a
// local file backend. Steps run in order on one stack, as an operator would run them.
const JIRA_TOKEN = "jira-api-token-e2e-7f3a9c";
let dojo: DefectDojoEmulator;
let stack: LocalStack;
let configDir: string;
let transcript = "";

const api = (method: string, path: string, body?: unknown) =>
  fetch(`${dojo.url}/api/v2/${path}`, { method, headers: { Authorization: `Token ${dojo.token}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
const writes = () => dojo.log.filter((r) => r.method !== "GET");
const linkOf = (key: string) => [...dojo.db.jira_projects.values()].find((l) => l.project_key === key)!;

async function up(): Promise<string> {
  dojo.log.length = 0;
  const result = await stack.up();
  transcript += result.output;
  if (result.code !== 0) throw new Error(`pulumi up failed:\n${result.output}`);
  return result.output;
}

async function editLinks(edit: (text: string) => string): Promise<void> {
  const file = join(configDir, "product-links.yaml");
  await writeFile(file, edit(await readFile(file, "utf8")));
}

beforeAll(async () => {
  const bin = await LocalStack.installCli(ROOT);
  dojo = await startDefectDojoEmulator();
  dojo.seed({ products: [{ name: "Payments API" }, { name: "Web Frontend" }, { name: "Identity Service" }, { name: "Legacy App" }, { name: "Orphan Service" }], engagements: [{ product: "Payments API", name: "Q3 pentest" }] });
  const work = await mkdtemp(join(ROOT, ".demo-e2e-"));
  configDir = join(work, "config");
  await cp(join(ROOT, "examples/basic"), configDir, { recursive: true });
  stack = new LocalStack(ROOT, work, LocalStack.uniqueName("e2e"), bin);
  await stack.init({ "defectdojo:url": dojo.url, "defectdojo-jira:configDir": configDir }, { "defectdojo:apiToken": dojo.token, corpJiraToken: JIRA_TOKEN });
}, 30 * 60_000);

afterAll(async () => {
  await stack?.remove();
  await dojo?.close();
});

describe("pulumi CLI end to end", () => {
  it("up from empty creates everything in at most 2 calls per resource, plus one product list", async () => {
    await up();
    expect(dojo.db.jira_instances.size).toBe(1);
    expect([...dojo.db.jira_projects.values()].map((l) => l.project_key).sort()).toEqual(["IDN", "PAY", "WEB"]);
    // Each create asks DefectDojo fresh whether its object exists (a snapshot could miss a hand-made one).
    expect(dojo.log.length).toBeLessThanOrEqual(2 * 4 + 1);
    expect(linkOf("WEB")).toMatchObject({ component: "frontend", jira_labels: "defectdojo appsec", jira_instance: 1 });
  });

  it("a second up makes no call at all", async () => {
    await up();
    expect(dojo.log).toEqual([]);
  });

  it("a refresh with nothing changed out of band leaves every resource's inputs as check stored them", async () => {
    // Inputs that a refresh reshapes differ from the next registration: every unchanged resource
    // then costs the next deployment a state write.
    const inputs = async () => (await stack.resources()).filter((r) => r.type.startsWith("defectdojo-jira:index:")).map((r) => [r.urn, r.inputs]);
    const before = await inputs();
    await stack.must(["refresh", "--yes", "--skip-preview"]);
    expect(await inputs()).toEqual(before);
  });

  it("state records the order a destroy needs: each link depends on its instance, through instanceId", async () => {
    const resources = await stack.resources();
    const instance = resources.find((r) => r.type === "defectdojo-jira:index:JiraInstance")!;
    const links = resources.filter((r) => r.type === "defectdojo-jira:index:ProductJiraLink");
    expect(links).toHaveLength(3);
    for (const link of links) {
      expect(link.parent).toMatch(/::pulumi:pulumi:Stack::/);
      expect(link.dependencies).toEqual([instance.urn]);
      expect(link.propertyDependencies?.instanceId).toEqual([instance.urn]);
      expect(link.inputs?.instanceId).toBe(instance.outputs?.dojoId);
    }
  });

  it("changing one field sends one PATCH carrying only that field", async () => {
    await editLinks((t) => t.replace("  pushNotes: true", "  pushNotes: false"));
    await up();
    expect(writes()).toEqual([expect.objectContaining({ method: "PATCH", path: `/api/v2/jira_projects/${linkOf("IDN").id}/`, fields: ["push_notes"] })]);
    expect(linkOf("IDN").push_notes).toBe(false);
  });

  it("removing an optional field clears it in DefectDojo", async () => {
    await editLinks((t) => t.replace("  component: frontend\n", ""));
    await up();
    expect(writes()).toEqual([expect.objectContaining({ method: "PATCH", fields: ["component"] })]);
    expect(linkOf("WEB").component).toBe("");
  });

  it("a changed password shows as a diff and is sent in one PATCH", async () => {
    await stack.must(["config", "set", "--secret", "corpJiraToken", `${JIRA_TOKEN}-rotated`]);
    const preview = await stack.must(["preview", "--diff"]);
    expect(preview).toMatch(/~ defectdojo-jira:index:JiraInstance: \(update\)[\s\S]*~ passwordFingerprint/);
    await up();
    expect(writes()).toEqual([expect.objectContaining({ method: "PATCH", path: "/api/v2/jira_instances/1/", fields: ["password"] })]);
    expect(dojo.db.jira_instances.get(1)!.password).toBe(`${JIRA_TOKEN}-rotated`);
  });

  it("refresh sees an out-of-band change, and up puts the config back", async () => {
    await api("PATCH", `jira_projects/${linkOf("PAY").id}/`, { push_all_issues: false });
    await stack.must(["refresh", "--yes"]);
    expect(await stack.must(["preview", "--diff"])).toMatch(/payments-api/);
    await up();
    expect(writes()).toEqual([expect.objectContaining({ method: "PATCH", fields: ["push_all_issues"] })]);
    expect(linkOf("PAY").push_all_issues).toBe(true);
  });

  it("state keeps each document once, as inputs: outputs hold only what differs from them (DefectDojo's ids), after creates, updates and refreshes", async () => {
    const resources = (await stack.resources()).filter((r) => r.type.startsWith("defectdojo-jira:index:"));
    expect(resources.map((r) => r.type)).toEqual(expect.arrayContaining(["defectdojo-jira:index:JiraInstance", "defectdojo-jira:index:ProductJiraLink"]));
    for (const { urn, inputs = {}, outputs = {} } of resources) {
      expect(outputs, urn).not.toHaveProperty("spec");
      expect(outputs, urn).not.toHaveProperty("name");
      for (const [key, value] of Object.entries(outputs)) expect(isDeepStrictEqual(inputs[key], value), `${urn} output ${key}`).toBe(false);
    }
    const link = resources.find((r) => r.urn.endsWith("::payments-api"))!;
    expect(link.outputs).toEqual({ dojoId: linkOf("PAY").id, targetId: linkOf("PAY").product });
  });

  it("the policy pack passes the root program's stack, whose outputs hold no spec (the program linted its tree whole)", async () => {
    const preview = await stack.run(["preview", "--policy-pack", join(ROOT, "policy")]);
    expect(preview.code, preview.output).toBe(0);
    expect(preview.output).toMatch(/dojo-jira@v0\.1\.0 \(local: /);
    expect(preview.output).not.toMatch(/mandatory|advisory/);
  });

  it("refresh drops an object deleted out of band, and up recreates it", async () => {
    await api("DELETE", `jira_projects/${linkOf("IDN").id}/`);
    const refresh = await stack.must(["refresh", "--yes"]);
    expect(refresh).toMatch(/identity-service.*deleted/);
    await up();
    expect(linkOf("IDN")).toBeDefined();
  });

  it("an existing link is refused until the document adopts it; then only real differences are applied", async () => {
    const legacy = [...dojo.db.products.values()].find((p) => p.name === "Legacy App")!;
    await api("POST", "jira_projects/", { product: legacy.id, jira_instance: 1, project_key: "LEG", push_notes: true });
    const doc = "---\napiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: legacy-app\nspec:\n  product: Legacy App\n  instance: corp-jira\n  projectKey: LEG\n";
    await editLinks((t) => `${t}${doc}`);
    dojo.log.length = 0;
    const refused = await stack.up();
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/already has a Jira link in DefectDojo .*set options\.adopt: true/);
    expect(refused.output).not.toMatch(/import/);
    await editLinks((t) => t.replace("  name: legacy-app\n", "  name: legacy-app\noptions:\n  adopt: true\n"));
    await up();
    expect(writes()).toEqual([expect.objectContaining({ method: "PATCH", fields: ["push_notes"] })]);
    expect([...dojo.db.jira_projects.values()].filter((l) => l.product === legacy.id)).toHaveLength(1);
    await up();
    expect(dojo.log).toEqual([]);
  });

  it("a replacement that adopted its original's link, in a run stopped before the deletes: the next run leaves the link", async () => {
    // `up --replace` makes legacy-app anew first (adopting its own link), then deletes the original;
    // an unrelated create failing in the same run stops it before that delete, which Pulumi keeps
    // pending and runs in the next deployment, under the very link the declared resource manages.
    const legacy = linkOf("LEG");
    const urn = (await stack.resources()).find((r) => r.urn.endsWith("ProductJiraLink::legacy-app"))!.urn;
    const orphan = "---\napiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: orphan-service\nspec:\n  product: Orphan Service\n  instance: corp-jira\n  projectKey: ORPH\n";
    await editLinks((t) => `${t}${orphan}`);
    const release = intercept(dojo, async (request) => (request.method === "POST" && request.url.pathname.endsWith("/jira_projects/") ? (await sleep(2000), { status: 400, json: { detail: "injected" } }) : undefined));
    let stopped;
    try {
      stopped = await stack.run(["up", "--yes", "--skip-preview", "--replace", urn]);
    } finally {
      release();
    }
    expect(stopped.code).not.toBe(0);
    expect(stopped.output).toMatch(/legacy-app[\s\S]*created replacement/);
    await editLinks((t) => t.replace(orphan, ""));
    // An engine that diffs only changed resources never tells the provider that legacy-app, unchanged,
    // still manages the link: the pending delete is refused rather than guessed.
    dojo.log.length = 0;
    const legacyDiff = await stack.run(["up", "--yes", "--skip-preview"], { env: { PULUMI_ENABLE_LEGACY_DIFF: "true" } });
    expect(legacyDiff.code).not.toBe(0);
    expect(legacyDiff.output).toContain(`legacy-app: not deleted (id ${legacy.id}) while PULUMI_ENABLE_LEGACY_DIFF is set`);
    expect(writes().filter((r) => r.method === "DELETE")).toEqual([]);
    expect(linkOf("LEG")?.id).toBe(legacy.id);
    const output = await up();
    expect(output).toContain(`ProductJiraLink legacy-app left the stack; its DefectDojo link (id ${legacy.id}) stays, managed by legacy-app`);
    expect(linkOf("LEG")?.id).toBe(legacy.id);
    expect(writes().filter((r) => r.method === "DELETE")).toEqual([]);
  });

  it("with PULUMI_ENABLE_LEGACY_DIFF, a second document cannot adopt a link another resource manages", async () => {
    // payments-api is unchanged, so the engine does not diff it and it claims nothing: no adoption is safe.
    const pay = linkOf("PAY");
    const twin = `---\napiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: payments-by-id\noptions:\n  adopt: true\nspec:\n  product: { id: ${pay.product} }\n  instance: corp-jira\n  projectKey: PAY\n  enabled: false\n`;
    await editLinks((t) => `${t}${twin}`);
    dojo.log.length = 0;
    const run = await stack.run(["up", "--yes", "--skip-preview"], { env: { PULUMI_ENABLE_LEGACY_DIFF: "1" } });
    await editLinks((t) => t.replace(twin, ""));
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(`payments-by-id: the Jira link of product id ${pay.product} (id ${pay.id}) not adopted while PULUMI_ENABLE_LEGACY_DIFF is set`);
    expect(writes()).toEqual([]);
    expect(linkOf("PAY")).toMatchObject({ id: pay.id, enabled: true });
    expect(await up()).not.toContain("payments-by-id");
  });

  it("a rename with metadata.renamedFrom keeps the resource: no delete, no create", async () => {
    const id = linkOf("WEB").id;
    await editLinks((t) => t.replace("  name: web-frontend\n", "  name: web-app\n  renamedFrom: [web-frontend]\n"));
    const output = await up();
    expect(writes()).toEqual([]);
    expect(linkOf("WEB").id).toBe(id);
    expect(await stack.must(["stack", "export"])).toContain("ProductJiraLink::web-app");
    expect(output).not.toMatch(/deleted|created/);
  });

  it("a rename without renamedFrom, with adopt: the new name takes the link over and the old name's delete leaves it, saying so", async () => {
    const id = linkOf("IDN").id;
    await editLinks((t) => t.replace("  name: identity-service\n", "  name: identity\noptions:\n  adopt: true\n"));
    const output = await up();
    expect(output).toContain(`ProductJiraLink identity-service left the stack; its DefectDojo link (id ${id}) stays, managed by identity`);
    expect(linkOf("IDN").id).toBe(id);
    expect(writes().filter((r) => r.method === "DELETE" || r.method === "POST")).toEqual([]);
    await editLinks((t) => t.replace("  name: identity\noptions:\n  adopt: true\n", "  name: identity-service\n  renamedFrom: [identity]\n"));
    await up();
    expect(linkOf("IDN").id).toBe(id);
  });

  it("renaming the instance with renamedFrom keeps it and the links that follow it: no call, same ids", async () => {
    const instanceFile = join(configDir, "jira-instance.yaml");
    const renameInstance = async (from: string, to: string) => {
      await writeFile(instanceFile, (await readFile(instanceFile, "utf8")).replace(/  renamedFrom: \[[^\]]*\]\n/, "").replace(`  name: ${from}\n`, `  name: ${to}\n  renamedFrom: [${from}]\n`));
      await editLinks((t) => t.replaceAll(`instance: ${from}`, `instance: ${to}`));
    };
    const ids = [...dojo.db.jira_projects.keys()];
    await renameInstance("corp-jira", "main-jira");
    const output = await up();
    expect(writes()).toEqual([]);
    expect(output).not.toMatch(/deleted|created|replaced/);
    expect([...dojo.db.jira_projects.keys()]).toEqual(ids);
    expect(dojo.db.jira_instances.size).toBe(1);
    const exported = await stack.must(["stack", "export"]);
    expect(exported).toContain("JiraInstance::main-jira");
    expect(exported).not.toContain("JiraInstance::corp-jira");
    await renameInstance("main-jira", "corp-jira");
    await up();
    expect(writes()).toEqual([]);
  });

  it("an engagement's link through the root program: created on its instance, then left alone, then deleted with its document", async () => {
    const file = join(configDir, "engagement-link.yaml");
    await writeFile(file, "apiVersion: defectdojo-jira/v1\nkind: EngagementJiraLink\nmetadata:\n  name: q3-pentest\nspec:\n  engagement: { product: Payments API, name: Q3 pentest }\n  instance: corp-jira\n  projectKey: PEN\n");
    await up();
    expect(linkOf("PEN")).toMatchObject({ engagement: expect.any(Number), jira_instance: 1 });
    await up();
    expect(dojo.log).toEqual([]);
    await rm(file);
    await up();
    expect([...dojo.db.jira_projects.values()].some((l) => l.project_key === "PEN")).toBe(false);
  });

  it("a link whose unknown instance was waived in lint stops the run before anything changes, saying where", async () => {
    const file = join(configDir, "waived-reference.yaml");
    await writeFile(file, "apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: orphan\nspec:\n  product: Orphan Service\n  # dojo-jira-disable-next-line unknown-instance -- the instance is made elsewhere\n  instance: jira-typo\n  projectKey: LEG\n");
    await editLinks((t) => t.replace("  pushNotes: false", "  pushNotes: true"));
    dojo.log.length = 0;
    const refused = await stack.up();
    await rm(file);
    await editLinks((t) => t.replace("  pushNotes: true", "  pushNotes: false"));
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/waived-reference\.yaml:8: ProductJiraLink orphan: spec\.instance names JiraInstance "jira-typo", which no document in \S+ declares/);
    expect(refused.output).not.toMatch(/TypeError|\n\s+at /);
    expect(writes()).toEqual([]);
  });

  it("preview refuses a target that does not exist, as up would", async () => {
    const ghost = "---\napiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: ghost\nspec:\n  product: Ghost Product\n  instance: corp-jira\n  projectKey: GHO\n";
    await editLinks((t) => `${t}${ghost}`);
    const preview = await stack.run(["preview"]);
    await editLinks((t) => t.replace(ghost, ""));
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain('product "Ghost Product" does not exist in DefectDojo');
  });

  it("with --continue-on-error, a failed instance update stops the run before any delete, naming the instance", async () => {
    // Its links are then never declared (they wait on its outputs): a delete phase would take them for removed.
    const file = join(configDir, "jira-instance.yaml");
    const before = { instance: await readFile(file, "utf8"), links: await readFile(join(configDir, "product-links.yaml"), "utf8") };
    await writeFile(file, before.instance.replace("defaultIssueType: Bug", "defaultIssueType: Task"));
    await editLinks((t) => t.replace(/---\n(?:(?!---)[\s\S])*name: identity-service\n(?:(?!---)[\s\S])*/, ""));
    const links = [...dojo.db.jira_projects.values()].map((l) => l.id).sort();
    const release = intercept(dojo, async (request) => (request.method === "PATCH" && request.url.pathname.includes("/jira_instances/") ? { status: 400, json: { detail: "injected" } } : undefined));
    dojo.log.length = 0;
    let run;
    try {
      run = await stack.run(["up", "--yes", "--skip-preview", "--continue-on-error"]);
    } finally {
      release();
      await writeFile(file, before.instance);
      await editLinks(() => before.links);
    }
    expect(run.code).not.toBe(0);
    expect(run.output).toContain("JiraInstance corp-jira: the engine failed its registration (it says why under the resource); what depends on it was not declared, and the run stops before any delete");
    expect(run.output).not.toMatch(/unhandled exception|INTERNAL|metadata/);
    expect(writes().map((r) => r.method)).toEqual(["PATCH"]);
    expect([...dojo.db.jira_projects.values()].map((l) => l.id).sort()).toEqual(links);
  });

  it("a document whose schema finding is waived stops the run: undeclared, its link would be deleted", async () => {
    const before = await readFile(join(configDir, "product-links.yaml"), "utf8");
    const links = [...dojo.db.jira_projects.values()].map((l) => l.id).sort();
    await editLinks((t) => t.replace("  projectKey: WEB\n", "  projectKey: WEB\n  # dojo-jira-disable-next-line schema -- a field of a DefectDojo we do not run yet\n  pushAllIssuez: true\n"));
    dojo.log.length = 0;
    let run;
    try {
      run = await stack.run(["up", "--yes", "--skip-preview"]);
    } finally {
      await editLinks(() => before);
    }
    expect(run.code).not.toBe(0);
    expect(run.output).toContain("has documents that do not match the schema (their findings are waived)");
    expect(run.output).toMatch(/product-links\.yaml:\d+: ProductJiraLink [a-z-]+\n/);
    expect(writes()).toEqual([]);
    expect([...dojo.db.jira_projects.values()].map((l) => l.id).sort()).toEqual(links);
  });

  it("a config directory with no document of ours (emptied, or the wrong one) deletes nothing", async () => {
    const elsewhere = await mkdtemp(join(ROOT, ".demo-e2e-foreign-"));
    await writeFile(join(elsewhere, "ci.yaml"), "name: ci\non: [push]\njobs: {}\n");
    const links = [...dojo.db.jira_projects.values()].map((l) => l.id).sort();
    await stack.must(["config", "set", "defectdojo-jira:configDir", elsewhere]);
    dojo.log.length = 0;
    let run;
    try {
      run = await stack.run(["up", "--yes", "--skip-preview"]);
    } finally {
      await stack.must(["config", "set", "defectdojo-jira:configDir", configDir]);
      await rm(elsewhere, { recursive: true });
    }
    expect(run.code).not.toBe(0);
    expect(run.output).toContain("holds no dojo-jira document (1 YAML file read); declaring nothing would delete every object this stack manages. Nothing was changed. To remove them all, run pulumi destroy");
    expect(writes()).toEqual([]);
    expect([...dojo.db.jira_projects.values()].map((l) => l.id).sort()).toEqual(links);
    expect(dojo.db.jira_instances.size).toBe(1);
  });

  it("links moved into a folder named dist are still declared; into node_modules, the run stops", async () => {
    const original = join(configDir, "product-links.yaml");
    const text = await readFile(original, "utf8");
    const links = [...dojo.db.jira_projects.values()].map((l) => l.id).sort();
    const moveTo = async (folder: string) => {
      await rm(original, { force: true });
      await mkdir(join(configDir, folder), { recursive: true });
      await writeFile(join(configDir, folder, "product-links.yaml"), text);
      dojo.log.length = 0;
      const run = await stack.run(["up", "--yes", "--skip-preview"]);
      await rm(join(configDir, folder), { recursive: true });
      return run;
    };
    try {
      const dist = await moveTo("dist");
      expect(dist.code, dist.output.slice(-3000)).toBe(0);
      expect(writes()).toEqual([]);
      const hidden = await moveTo(join("team", "node_modules"));
      expect(hidden.code).not.toBe(0);
      expect(hidden.output).toContain("team/node_modules: folders named node_modules or .git are never read, and YAML files are in this one; documents there would be taken for removed");
      expect(writes()).toEqual([]);
    } finally {
      await writeFile(original, text);
    }
    expect([...dojo.db.jira_projects.values()].map((l) => l.id).sort()).toEqual(links);
  });

  it("a changed instance previews as one update, not one per link, and up patches only it", async () => {
    const file = join(configDir, "jira-instance.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("defaultIssueType: Bug", "defaultIssueType: Task"));
    const preview = await stack.must(["preview", "--diff"]);
    expect(preview).toMatch(/~ 1 to update/);
    expect(preview).not.toContain("instanceId");
    await up();
    expect(writes()).toEqual([expect.objectContaining({ method: "PATCH", path: "/api/v2/jira_instances/1/", fields: ["default_issue_type"] })]);
  });

  it("refresh keeps a document's recorded lint waiver in state", async () => {
    await editLinks((t) => t.replace("  projectKey: PAY\n", "  # dojo-jira-disable-next-line project-key-format -- legacy key, agreed with AppSec\n  projectKey: PAY\n"));
    await up();
    expect(await stack.must(["stack", "export"])).toContain("project-key-format");
    await stack.must(["refresh", "--yes"]);
    expect(await stack.must(["stack", "export"])).toContain("project-key-format");
  });

  it("a fromConfig reference to a stack config key set without --secret is refused, naming the fix", async () => {
    // --plaintext: the CLI itself refuses values that look like tokens; a guessable password does not.
    await stack.must(["config", "set", "--plaintext", "corpJiraToken", `${JIRA_TOKEN}-plaintext`]);
    dojo.log.length = 0;
    const refused = await stack.up();
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain("stack config corpJiraToken is not a secret");
    expect(refused.output).toContain("pulumi config set --secret corpJiraToken");
    expect(refused.output).not.toContain(`${JIRA_TOKEN}-plaintext`);
    expect(writes()).toEqual([]);
    await stack.must(["config", "set", "--secret", "corpJiraToken", `${JIRA_TOKEN}-rotated`]);
    await up();
    expect(writes()).toEqual([]);
  });

  it("a fromConfig reference to a key never set is named, with the command in the stack config's own terms", async () => {
    await stack.must(["config", "rm", "corpJiraToken"]);
    dojo.log.length = 0;
    const refused = await stack.up();
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain("stack config corpJiraToken is not set (pulumi config set --secret corpJiraToken <value>)");
    expect(refused.output).not.toMatch(/--path|defectdojo-jira:secrets/);
    expect(writes()).toEqual([]);
    await stack.must(["config", "set", "--secret", "corpJiraToken", `${JIRA_TOKEN}-rotated`]);
    await up();
    expect(writes()).toEqual([]);
  });

  it("a syntax error beside a literal password stops the preview without printing the password", async () => {
    const broken = join(configDir, "broken.yaml");
    await writeFile(broken, "apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata: { name: broken }\nspec:\n  password: canary-preview-secret-4e1\n  url: [unclosed\n");
    const preview = await stack.run(["preview"]);
    await rm(broken);
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain("has lint errors; nothing was changed");
    expect(preview.output).not.toContain("canary-preview-secret-4e1");
  });

  it("destroy is refused while Jira issues exist under a link, with nothing lost; allowed once there are none", async () => {
    const pay = linkOf("PAY");
    const { ids } = dojo.seedJiraIssues(pay.id, 4);
    const refused = await stack.run(["destroy", "--yes"]);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/refusing to delete ProductJiraLink payments-api: product "Payments API" has 4 findings linked to Jira issues/);
    expect(dojo.db.jira_projects.has(pay.id)).toBe(true);
    expect(ids.every((id) => dojo.db.jira_issues.has(id))).toBe(true);
    for (const id of ids) await api("DELETE", `jira_finding_mappings/${id}/`);
    const destroyed = await stack.run(["destroy", "--yes"]);
    expect(destroyed.code, destroyed.output).toBe(0);
    expect(dojo.db.jira_projects.size).toBe(0);
    expect(dojo.db.jira_instances.size).toBe(0);
  });

  it("with 20% faults, up converges and creates no duplicates", async () => {
    dojo.faults.configure({ rate: 0.2, kinds: ["500", "502", "503", "429", "reset", "html", "badjson"], seed: 7, retryAfter: 0 });
    let result = await stack.up();
    for (let i = 0; i < 2 && result.code !== 0; i++) result = await stack.up(); // a failed step is retried by the next up, as an operator would
    dojo.faults.configure({ rate: 0 });
    expect(result.code, result.output).toBe(0);
    expect(dojo.db.jira_instances.size).toBe(1);
    const products = [...dojo.db.jira_projects.values()].map((l) => l.product);
    expect(new Set(products).size).toBe(products.length);
    expect(products).toHaveLength(4);
  });

  it("no secret appears in state or CLI output", async () => {
    const state = await stack.must(["stack", "export"]);
    for (const text of [state, transcript]) {
      expect(text).not.toContain(JIRA_TOKEN);
      expect(text).not.toContain(dojo.token);
    }
  });

  it("with secrets from the environment, not even verbose engine logs hold one", async () => {
    // At -v>=7 the Pulumi engine itself logs, in plaintext, the stack config it hands to the
    // pulumi-nodejs provider (all of it, secrets included). Environment references avoid that.
    await writeFile(join(configDir, "jira-instance.yaml"), (await readFile(join(configDir, "jira-instance.yaml"), "utf8")).replace("{ fromConfig: corpJiraToken }", "{ fromEnv: E2E_JIRA_TOKEN }"));
    await stack.must(["config", "rm", "corpJiraToken"]);
    await stack.must(["config", "rm", "defectdojo:apiToken"]);
    const env = { E2E_JIRA_TOKEN: `${JIRA_TOKEN}-rotated`, DEFECTDOJO_API_TOKEN: dojo.token };
    // The default provider's old inputs in state still hold the removed secrets until one up rewrites them.
    expect((await stack.run(["up", "--yes", "--skip-preview"], { env })).code).toBe(0);
    dojo.log.length = 0;
    const verbose = await stack.run(["up", "--yes", "--skip-preview", "--logtostderr", "-v=9"], { env });
    expect(verbose.code, verbose.output.slice(-2000)).toBe(0);
    expect(writes()).toEqual([]); // same secret, now from the environment: nothing to change
    const state = await stack.must(["stack", "export"]);
    for (const text of [state, verbose.output]) {
      expect(text).not.toContain(JIRA_TOKEN);
      expect(text).not.toContain(dojo.token);
    }
  });
});
