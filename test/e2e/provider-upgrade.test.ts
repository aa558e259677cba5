import { cp, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { LocalStack } from "../../provider/local-stack.js";
import { ROOT } from "../helpers/run-cli.js";

// A dynamic provider's state stores the serialized provider, and refresh and delete of existing
// resources run that stored code (pulumi/pulumi#16826). Ours only loads the installed implementation,
// so an upgrade of the package reaches existing resources at once: the stacks of earlier releases'
// root program, and programs on the library's classes. Shown on a copy of the project, with a stack
// made as those releases made it, whose compiled runtime is replaced between two runs.
let dojo: DefectDojoEmulator;
let project: string;
let stack: LocalStack;

beforeAll(async () => {
  dojo = await startDefectDojoEmulator();
  dojo.seed({ products: [{ name: "Payments API" }, { name: "Web Frontend" }, { name: "Identity Service" }] });
  project = await mkdtemp(join(ROOT, ".demo-upgrade-"));
  for (const entry of ["package.json", "dist", "examples"]) await cp(join(ROOT, entry), join(project, entry), { recursive: true });
  await cp(join(ROOT, "test/fixtures/dynamic-root-program.mjs"), join(project, "dynamic-root-program.mjs"));
  await writeFile(join(project, "Pulumi.yaml"), "name: defectdojo-jira\nruntime: nodejs\nmain: dynamic-root-program.mjs\n");
  await symlink(join(ROOT, "node_modules"), join(project, "node_modules"));
  stack = new LocalStack(project, join(project, ".work"), LocalStack.uniqueName("upgrade"), await LocalStack.installCli(ROOT));
  await stack.init({ "defectdojo:url": dojo.url, "defectdojo-jira:configDir": join(project, "examples/basic") }, { "defectdojo:apiToken": dojo.token, corpJiraToken: "upgrade-test-token" });
}, 30 * 60_000);

afterAll(async () => {
  await stack?.remove();
  await dojo?.close();
  await rm(project, { recursive: true, force: true });
});

describe("a provider upgrade reaches existing resources", () => {
  it("refresh and destroy run the new code, with no update in between", async () => {
    expect((await stack.up()).code).toBe(0);
    const runtime = join(project, "dist/provider/dynamic/runtime.js");
    const original = await readFile(runtime, "utf8");
    const upgraded = original.replace("export async function dispatch(kind, method, args) {", 'export async function dispatch(kind, method, args) {\n    console.log(`dojo-jira runtime v2: ${method}`);');
    expect(upgraded).not.toBe(original);
    await writeFile(runtime, upgraded);

    const refresh = await stack.must(["refresh", "--yes", "--skip-preview"]);
    expect(refresh).toContain("dojo-jira runtime v2: read");
    const destroy = await stack.must(["destroy", "--yes", "--skip-preview"]);
    expect(destroy).toContain("dojo-jira runtime v2: delete");
    expect(dojo.db.jira_projects.size).toBe(0);
    expect(dojo.db.jira_instances.size).toBe(0);
  });
});
