import { access, cp, mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { LocalStack } from "../../provider/local-stack.js";
import { ROOT } from "../helpers/run-cli.js";
import { disposeAll, pluginStack } from "../helpers/plugin-stack.js";

// A Pulumi Node.js program (test/fixtures/native-nodejs-sdk) on the generated Node.js SDK
// (dist/sdk/nodejs/bin, made by npm run build:sdks) through the provider plugin, real CLI, emulator.
const JIRA_TOKEN = "jira-api-token-nodesdk-61b0d4";
const SDK = join(ROOT, "dist", "sdk", "nodejs", "bin");

let dojo: DefectDojoEmulator;
let work: string;
let stack: LocalStack;
let transcript = "";

async function pulumi(args: string[]): Promise<{ code: number; output: string }> {
  const result = await stack.run(args);
  transcript += result.output;
  return result;
}
const links = () => [...dojo.db.jira_projects.values()];

beforeAll(async () => {
  const bin = await LocalStack.installCli(ROOT);
  await access(join(SDK, "index.js")).catch(() => {
    throw new Error(`no ${SDK}: npm run build:sdks generates it`);
  });
  // Under the repository, so that @pulumi/pulumi resolves to the one the SDK uses (a user's node_modules).
  work = await mkdtemp(join(ROOT, ".demo-nodesdk-"));
  const app = join(work, "app");
  await cp(join(ROOT, "test", "fixtures", "native-nodejs-sdk"), app, { recursive: true });
  await writeFile(join(app, "Pulumi.yaml"), `name: dojo-nodesdk\nruntime: nodejs\nplugins:\n  providers:\n    - name: defectdojo-jira\n      path: ${join(ROOT, "bin")}\n`);
  dojo = await startDefectDojoEmulator();
  dojo.seed({ products: [{ name: "Payments API" }] });
  stack = await pluginStack({ app, work, purpose: "nodesdk", bin, dojo, jiraToken: JIRA_TOKEN, env: { DOJO_JIRA_SDK: SDK } });
}, 30 * 60_000);

afterAll(() => disposeAll(stack, dojo, work));

describe("the provider plugin from a Node.js program (generated SDK)", () => {
  it("creates, previews empty, updates one field, destroys; no secret in state or output", async () => {
    expect((await pulumi(["up", "--yes"])).code).toBe(0);
    expect(links()).toEqual([expect.objectContaining({ project_key: "PAY", push_all_issues: true })]);
    const again = await pulumi(["preview", "--expect-no-changes"]);
    expect(again.code, again.output).toBe(0);
    await stack.must(["config", "set", "pushAllIssues", "false"]);
    dojo.log.length = 0;
    expect((await pulumi(["up", "--yes"])).code).toBe(0);
    expect(dojo.log.filter((r) => r.method !== "GET")).toEqual([expect.objectContaining({ method: "PATCH", fields: ["push_all_issues"] })]);
    const state = await stack.must(["stack", "export"]);
    expect((await pulumi(["destroy", "--yes"])).code).toBe(0);
    expect(links()).toEqual([]);
    expect(dojo.db.jira_instances.size).toBe(0);
    for (const secret of [JIRA_TOKEN, dojo.token]) {
      expect(state).not.toContain(secret);
      expect(transcript).not.toContain(secret);
    }
  });
});
