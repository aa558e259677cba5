import { cp, link, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { LocalStack } from "../../provider/local-stack.js";
import { ROOT } from "../helpers/run-cli.js";

// Stacks made before the root program moved to the provider plugin hold its resources as dynamic
// ones. The first run of today's program on such a stack takes them over by alias, with no call to
// DefectDojo for what did not change, while the dynamic provider's host deletes what left the config.
// The operator may have renamed a document in the same commit (with adopt, without renamedFrom): the
// plugin adopts the link under its new name and the host, deleting the old name, must leave it: the
// two processes share the deployment's claims, also when the host runs under @pulumi/pulumi's own
// `pulumi-resource-pulumi-nodejs`, which starts node as a child of sh (no `exec`), and when `node`
// itself is a proxy that starts the real one as its child (as node version managers' shims do).
const JIRA_TOKEN = "jira-api-token-migration-51c2";
let dojo: DefectDojoEmulator;
let project: string;
let configDir: string;
let stack: LocalStack;

const resources = () => stack.resources();
const linkOf = (key: string) => [...dojo.db.jira_projects.values()].find((l) => l.project_key === key);
const writeProgram = (main: string) => writeFile(join(project, "Pulumi.yaml"), `name: defectdojo-jira\nruntime: nodejs\nmain: ${main}\nplugins:\n  providers:\n    - name: defectdojo-jira\n      path: bin\n`);

type Launcher = "bundled" | "sdk-shim" | "node-proxy" | "renamed-cli";

/**
 * The bundled CLI; or a copy of it whose dynamic-provider shim is @pulumi/pulumi's own (node started
 * by sh, no exec); or one whose `node` on PATH is a proxy that runs the real node as its child; or
 * one whose engine runs under another name (as nixpkgs wraps it: `pulumi` execs `.pulumi-wrapped`),
 * with @pulumi/pulumi's shim.
 */
async function cliFolder(launcher: Launcher): Promise<string> {
  const bundled = await LocalStack.installCli(ROOT);
  if (launcher === "bundled") return bundled;
  const folder = join(project, `cli-${launcher}`);
  await mkdir(folder);
  // A hard link: the engine looks for its plugins beside its own executable's path.
  if (launcher === "renamed-cli") {
    await link(join(bundled, "pulumi"), join(folder, ".pulumi-wrapped"));
    await writeFile(join(folder, "pulumi"), `#!/bin/sh\nexec "${join(folder, ".pulumi-wrapped")}" "$@"\n`, { mode: 0o755 });
  } else {
    await link(join(bundled, "pulumi"), join(folder, "pulumi"));
  }
  for (const entry of await readdir(bundled)) if (entry.startsWith("pulumi-language-")) await symlink(join(bundled, entry), join(folder, entry));
  const shim = launcher === "sdk-shim" || launcher === "renamed-cli" ? join(ROOT, "node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs") : join(bundled, "pulumi-resource-pulumi-nodejs");
  await cp(shim, join(folder, "pulumi-resource-pulumi-nodejs"));
  if (launcher === "node-proxy") {
    const proxy = `#!${process.execPath}\nimport("node:child_process").then(({ spawn }) => {\n  const child = spawn(process.execPath, process.argv.slice(2), { stdio: "inherit" });\n  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));\n  child.on("exit", (code) => process.exit(code ?? 1));\n});\n`;
    await writeFile(join(folder, "node"), proxy, { mode: 0o755 });
  }
  return folder;
}

async function setUp(launcher: Launcher): Promise<void> {
  dojo = await startDefectDojoEmulator();
  dojo.seed({ products: [{ name: "Payments API" }, { name: "Web Frontend" }, { name: "Identity Service" }] });
  project = await mkdtemp(join(ROOT, ".demo-migration-"));
  for (const entry of ["package.json", "dist", "bin", "examples"]) await cp(join(ROOT, entry), join(project, entry), { recursive: true });
  await cp(join(ROOT, "test/fixtures/dynamic-root-program.mjs"), join(project, "dynamic-root-program.mjs"));
  await symlink(join(ROOT, "node_modules"), join(project, "node_modules"));
  configDir = join(project, "config");
  await cp(join(ROOT, "examples/basic"), configDir, { recursive: true });
  await writeProgram("dynamic-root-program.mjs");
  stack = new LocalStack(project, join(project, ".work"), LocalStack.uniqueName("migration"), await cliFolder(launcher));
  await stack.init({ "defectdojo:url": dojo.url, "defectdojo-jira:configDir": configDir }, { "defectdojo:apiToken": dojo.token, corpJiraToken: JIRA_TOKEN });
  expect((await stack.up()).code).toBe(0);
}

async function tearDown(): Promise<void> {
  await stack?.remove();
  await dojo?.close();
  await rm(project, { recursive: true, force: true });
}

describe.each(["bundled", "sdk-shim", "node-proxy", "renamed-cli"] as const)("a stack of the dynamic provider moves to the plugin (%s)", (launcher) => {
  beforeAll(() => setUp(launcher), 30 * 60_000);
  afterAll(tearDown);

  it("the stack starts as the earlier releases left it", async () => {
    const types = (await resources()).map((r) => r.type).filter((t) => t.includes("defectdojo-jira:"));
    expect(types.sort()).toEqual(["pulumi-nodejs:dynamic/defectdojo-jira:JiraInstance", ...Array(3).fill("pulumi-nodejs:dynamic/defectdojo-jira:ProductJiraLink")]);
  });

  it("in one run: unchanged resources move without a call, a renamed-and-adopted link stays, a removed one goes", async () => {
    const before = { pay: linkOf("PAY")!.id, web: linkOf("WEB")!.id, instance: [...dojo.db.jira_instances.keys()][0] };
    const links = join(configDir, "product-links.yaml");
    const text = await readFile(links, "utf8");
    const withoutIdentity = text.slice(0, text.indexOf("---\napiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: identity-service"));
    await writeFile(links, withoutIdentity.replace("  name: web-frontend\n", "  name: frontend\noptions:\n  adopt: true\n"));
    await writeProgram("dist/program/index.js");

    const preview = await stack.must(["preview", "--diff"]);
    expect(preview).not.toMatch(/replace/);
    dojo.log.length = 0;
    const up = await stack.must(["up", "--yes", "--skip-preview"]);
    expect(up).toContain("web-frontend left the stack; its DefectDojo link (id " + before.web + ") stays, managed by frontend");

    // The link renamed in the same commit is the same DefectDojo object, under the plugin now.
    expect(linkOf("WEB")?.id).toBe(before.web);
    expect(linkOf("PAY")?.id).toBe(before.pay);
    expect(linkOf("IDN")).toBeUndefined();
    // Writes: the removed link's delete (disable, DELETE), nothing for what moved unchanged.
    const writes = dojo.log.filter((r) => r.method !== "GET" && !r.path.includes("delete_preview"));
    expect(writes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/^DELETE \/api\/v2\/jira_projects\/\d+\/$/)]));
    expect(writes.every((r) => !r.path.includes(`/jira_projects/${before.pay}/`) && !r.path.includes(`/jira_projects/${before.web}/`) && !r.path.includes("jira_instances"))).toBe(true);

    const state = await resources();
    const ours = state.filter((r) => r.type.includes("defectdojo-jira:") && !r.type.startsWith("pulumi:providers:"));
    expect(ours.map((r) => r.type).sort()).toEqual(["defectdojo-jira:index:JiraInstance", "defectdojo-jira:index:ProductJiraLink", "defectdojo-jira:index:ProductJiraLink"]);
    expect(ours.find((r) => r.urn.endsWith("::corp-jira"))?.id).toBe(String(before.instance));
    expect(ours.every((r) => r.provider?.includes("::pulumi:providers:defectdojo-jira::defectdojo::"))).toBe(true);
    expect(ours.every((r) => r.inputs?.__provider === undefined && r.inputs?.linted === undefined)).toBe(true);
    expect(state.some((r) => r.type === "pulumi:providers:pulumi-nodejs")).toBe(false);
    expect(JSON.stringify(state)).not.toContain(JIRA_TOKEN);
    expect(JSON.stringify(state)).not.toContain(dojo.token);
  });

  it("then a no-op makes no call, and destroy goes through the plugin", async () => {
    dojo.log.length = 0;
    const noop = await stack.must(["up", "--yes", "--skip-preview"]);
    expect(dojo.log).toEqual([]);
    expect(noop).not.toMatch(/updated|created|deleted/);
    await stack.must(["destroy", "--yes", "--skip-preview"]);
    expect(dojo.db.jira_projects.size).toBe(0);
    expect(dojo.db.jira_instances.size).toBe(0);
  });
});
