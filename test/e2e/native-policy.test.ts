import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { LocalStack } from "../../provider/local-stack.js";
import { ROOT } from "../helpers/run-cli.js";
import { disposeAll, pluginStack } from "../helpers/plugin-stack.js";

// The policy pack (policy/) under the real CLI: `pulumi preview --policy-pack policy` on Pulumi YAML
// programs declaring the provider plugin's resources. The pack runs through the Node.js language
// host's RunPlugin (ours: tools/pulumi/cmd/pulumi-language-nodejs), as the engine runs any policy
// pack folder whose runtime has a language host.
const JIRA_TOKEN = "jira-api-token-policy-3a9e07";
const POLICY = join(ROOT, "policy");
const instance = (url: string, reopen: number) => `  corp:
    type: defectdojo-jira:index:JiraInstance
    properties:
      spec:
        url: ${url}
        username: svc-defectdojo@corp.example
        password: { fromConfig: corpJiraToken }
        epicNameId: 10011
        transitions: { reopen: ${reopen}, close: 31 }
`;
const link = (name: string, projectKey: string) => `  ${name}:
    type: defectdojo-jira:index:ProductJiraLink
    properties:
      instanceId: \${corp.dojoId}
      spec: { product: Payments API, projectKey: ${projectKey} }
`;

let dojo: DefectDojoEmulator;
let work: string;
let stack: LocalStack;
let transcript = "";

const program = (resources: string) =>
  writeFile(join(work, "app", "Pulumi.yaml"), `name: dojo-policy\nruntime: yaml\nplugins:\n  providers:\n    - name: defectdojo-jira\n      path: ${join(ROOT, "bin")}\nresources:\n${resources}`);
async function preview(withPolicy: boolean): Promise<{ code: number; output: string }> {
  const result = await stack.run(["preview", ...(withPolicy ? ["--policy-pack", POLICY] : [])]);
  transcript += result.output;
  return result;
}

beforeAll(async () => {
  const bin = await LocalStack.installCli(ROOT);
  const yamlHost = await promisify(execFile)("sh", ["-c", `PATH="${bin}:$PATH" command -v pulumi-language-yaml`]).catch(() => undefined);
  if (!yamlHost) throw new Error("no pulumi-language-yaml: scripts/install-pulumi.sh builds it when Go is available (see its output)");
  dojo = await startDefectDojoEmulator();
  dojo.seed({ products: [{ name: "Payments API" }, { name: "Web Frontend" }, { name: "Identity Service" }] }); // examples/basic's too
  work = await mkdtemp(join(ROOT, ".demo-policy-"));
  await mkdir(join(work, "app"));
  await program(instance("https://corp.atlassian.net", 11));
  stack = await pluginStack({ app: join(work, "app"), work, purpose: "policy", bin, dojo, jiraToken: JIRA_TOKEN });
}, 30 * 60_000);

afterAll(() => disposeAll(stack, dojo, work));

describe("the policy pack at preview time", () => {
  it("a clean program passes", async () => {
    await program(instance("https://corp.atlassian.net", 11) + link("payments", "PAY"));
    const result = await preview(true);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/dojo-jira@v0\.1\.0 \(local: /);
    expect(result.output).not.toMatch(/mandatory|advisory/);
  });

  it("a planted mistake (plain-http Jira, reopen == close) is rejected with the rule ids and messages", async () => {
    await program(instance("http://jira.corp.example", 31));
    const result = await preview(true);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/\[mandatory\]\s+dojo-jira-lint\s+\(defectdojo-jira:index:JiraInstance: corp\)/);
    expect(result.output).toMatch(/transitions-distinct: reopen and close transitions are both 31/);
    expect(result.output).toMatch(/insecure-url: /);
  });

  it("what no single resource's check can see: two links to one product pass the provider and are rejected by the pack", async () => {
    await program(instance("https://corp.atlassian.net", 11) + link("payments", "PAY") + link("payments2", "PAY2"));
    const without = await preview(false);
    expect(without.code, without.output).toBe(0);
    const result = await preview(true);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/\[mandatory\]\s+dojo-jira-lint-across/);
    expect(result.output).toMatch(/duplicate-link-target: /);
  });

  it("the root program's resources (examples/basic): a warning its lint lets through is reported, advisory", async () => {
    const configDir = join(work, "config");
    await cp(join(ROOT, "examples/basic"), configDir, { recursive: true });
    const file = join(configDir, "jira-instance.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("url: https://corp.atlassian.net", "url: https://corp.atlassian.net/"));
    const root = new LocalStack(ROOT, join(work, "pulumi-root"), LocalStack.uniqueName("policy-root"), stack.env.PATH!.split(":")[0]!);
    try {
      await root.init({ "defectdojo:url": dojo.url, "defectdojo-jira:configDir": configDir }, { "defectdojo:apiToken": dojo.token, corpJiraToken: JIRA_TOKEN });
      const result = await root.run(["preview", "--policy-pack", POLICY]);
      transcript += result.output;
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(/\[advisory\]\s+dojo-jira-lint-warnings\s+\(defectdojo-jira:index:JiraInstance: corp-jira\)/);
      expect(result.output).toMatch(/url-trailing-slash: URL ends with "\/"/);
      expect(result.output).not.toMatch(/mandatory/);
    } finally {
      await root.remove();
    }
  });

  it("no secret in any output", () => {
    expect(transcript).not.toContain(JIRA_TOKEN);
    expect(transcript).not.toContain(dojo.token);
  });
});
