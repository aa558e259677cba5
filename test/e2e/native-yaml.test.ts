import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { LocalStack } from "../../provider/local-stack.js";
import { ROOT } from "../helpers/run-cli.js";
import { disposeAll, pluginStack } from "../helpers/plugin-stack.js";

// The provider plugin (bin/pulumi-resource-defectdojo-jira) under the real pulumi CLI and the Pulumi
// YAML language host, against the emulator: installed without a registry (a path in Pulumi.yaml),
// configured from stack config (default provider) and from an explicit provider's properties.
const JIRA_TOKEN = "jira-api-token-native-5d1e8b";
const pluginEntry = `plugins:\n  providers:\n    - name: defectdojo-jira\n      path: ${join(ROOT, "bin")}\n`;
const instance = `  corp:
    type: defectdojo-jira:index:JiraInstance
    properties:
      spec:
        url: https://corp.atlassian.net
        username: svc-defectdojo@corp.example
        password: { fromConfig: corpJiraToken }
        epicNameId: 10011
        transitions: { reopen: 11, close: 31 }
`;
const link = (pushAllIssues: boolean, allowDelete = false) => `  payments:
    type: defectdojo-jira:index:ProductJiraLink
    properties:
      instanceId: \${corp.dojoId}
      spec:
        product: Payments API
        projectKey: PAY
        pushAllIssues: ${pushAllIssues}
${allowDelete ? "      allowDeleteWithJiraIssues: true\n" : ""}`;

let dojo: DefectDojoEmulator;
let bin: string;
let work: string;
let stack: LocalStack;
let transcript = "";

const program = (resources: string) => writeFile(join(work, "app", "Pulumi.yaml"), `name: dojo-native\nruntime: yaml\n${pluginEntry}resources:\n${resources}outputs:\n  instanceId: \${corp.dojoId}\n`);
async function pulumi(s: LocalStack, args: string[]): Promise<{ code: number; output: string }> {
  const result = await s.run(args);
  transcript += result.output;
  return result;
}
const links = () => [...dojo.db.jira_projects.values()];
const writes = () => dojo.log.filter((r) => r.method !== "GET");

beforeAll(async () => {
  bin = await LocalStack.installCli(ROOT);
  const yamlHost = await promisify(execFile)("sh", ["-c", `PATH="${bin}:$PATH" command -v pulumi-language-yaml`]).catch(() => undefined);
  if (!yamlHost) throw new Error("no pulumi-language-yaml: scripts/install-pulumi.sh builds it when Go is available (see its output)");
  dojo = await startDefectDojoEmulator();
  dojo.seed({ products: [{ name: "Payments API" }] });
  work = await mkdtemp(join(ROOT, ".demo-native-"));
  await import("node:fs/promises").then((fs) => fs.mkdir(join(work, "app")));
  await program(instance + link(true));
  // No DEFECTDOJO_* in the environment: the credentials must come through the provider's configuration.
  stack = await pluginStack({ app: join(work, "app"), work, purpose: "native", bin, dojo, jiraToken: JIRA_TOKEN });
}, 30 * 60_000);

afterAll(() => disposeAll(stack, dojo, work));

describe("the provider plugin from a Pulumi YAML program", () => {
  it("creates a JiraInstance and a ProductJiraLink", async () => {
    const result = await pulumi(stack, ["up", "--yes"]);
    expect(result.code, result.output).toBe(0);
    expect([...dojo.db.jira_instances.values()]).toEqual([expect.objectContaining({ url: "https://corp.atlassian.net", epic_name_id: 10011, password: JIRA_TOKEN })]);
    expect(links()).toEqual([expect.objectContaining({ project_key: "PAY", push_all_issues: true, jira_instance: [...dojo.db.jira_instances.keys()][0] })]);
  });

  it("a second up makes no call that writes", async () => {
    dojo.log.length = 0;
    const result = await pulumi(stack, ["preview", "--expect-no-changes"]);
    expect(result.code, result.output).toBe(0);
    expect(writes()).toEqual([]);
  });

  it("one changed field is one PATCH of that field", async () => {
    await program(instance + link(false));
    dojo.log.length = 0;
    const result = await pulumi(stack, ["up", "--yes"]);
    expect(result.code, result.output).toBe(0);
    expect(writes()).toEqual([expect.objectContaining({ method: "PATCH", fields: ["push_all_issues"] })]);
    expect(links()[0]!.push_all_issues).toBe(false);
  });

  it("deleting a link with finding mappings is refused, and nothing is lost", async () => {
    const linkId = links()[0]!.id;
    const seeded = await fetch(`${dojo.url}/_emulator/jira-issues`, { method: "POST", headers: { Authorization: `Token ${dojo.token}`, "Content-Type": "application/json" }, body: JSON.stringify({ jira_project: linkId, count: 2 }) });
    expect(seeded.status).toBe(201);
    await program(instance);
    const result = await pulumi(stack, ["up", "--yes"]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/refusing to delete ProductJiraLink payments: product "Payments API" has 2 findings linked to Jira issues/);
    expect(result.output).toMatch(/first apply allowDeleteWithJiraIssues: true on this link/);
    expect(result.output).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(links()).toEqual([expect.objectContaining({ id: linkId, enabled: true })]);
  });

  it("destroy goes through once allowDeleteWithJiraIssues is applied", async () => {
    await program(instance + link(false, true));
    expect((await pulumi(stack, ["up", "--yes"])).code).toBe(0);
    const result = await pulumi(stack, ["destroy", "--yes"]);
    expect(result.code, result.output).toBe(0);
    expect(links()).toEqual([]);
    expect(dojo.db.jira_instances.size).toBe(0);
  });

  it("imports a JiraInstance and a ProductJiraLink by id; the printed code previews empty", async () => {
    await program(instance + link(true));
    expect((await pulumi(stack, ["up", "--yes"])).code).toBe(0);
    const instanceId = [...dojo.db.jira_instances.keys()][0]!;
    const linkId = links()[0]!.id;
    // A second project with an explicit provider configured by properties; the secret is named as import names it.
    const dir = join(work, "imported");
    await import("node:fs/promises").then((fs) => fs.mkdir(dir));
    const header = `name: dojo-imported\nruntime: yaml\n${pluginEntry}config:\n  dojoUrl: { type: string }\n  dojoToken: { type: string, secret: true }\n  jiraToken: { type: string, secret: true }\nresources:\n  dojo:\n    type: pulumi:providers:defectdojo-jira\n    properties:\n      url: \${dojoUrl}\n      apiToken: \${dojoToken}\n      secrets:\n        corpPassword: \${jiraToken}\n`;
    await writeFile(join(dir, "Pulumi.yaml"), header);
    const imported = new LocalStack(dir, join(work, "pulumi-imported"), LocalStack.uniqueName("native-import"), bin, { DEFECTDOJO_URL: undefined, DEFECTDOJO_API_TOKEN: undefined });
    try {
      await imported.init({ dojoUrl: dojo.url }, { dojoToken: dojo.token, jiraToken: JIRA_TOKEN });
      expect((await pulumi(imported, ["up", "--yes"])).code).toBe(0);
      const provider = (await imported.resources()).find((r) => r.type === "pulumi:providers:defectdojo-jira")!;
      const code: string[] = [];
      for (const [type, name, id] of [["JiraInstance", "corp", instanceId], ["ProductJiraLink", "payments", linkId]] as const) {
        const out = join(dir, `${name}.yaml`);
        const result = await pulumi(imported, ["import", `defectdojo-jira:index:${type}`, name, String(id), "--provider", `dojo=${provider.urn}`, "--yes", "--out", out]);
        expect(result.code, result.output).toBe(0);
        code.push(await readFile(out, "utf8"));
      }
      expect(code[0]).toContain("fromConfig: corpPassword");
      expect(code[1]).toContain(`instanceId: ${instanceId}`);
      // Pasted as printed, below the provider.
      await writeFile(join(dir, "Pulumi.yaml"), header + code.map((c) => c.replace(/^resources:\n/, "")).join(""));
      dojo.log.length = 0;
      const preview = await pulumi(imported, ["preview", "--expect-no-changes", "--diff"]);
      expect(preview.code, preview.output).toBe(0);
      expect(writes()).toEqual([]);
    } finally {
      await imported.remove();
    }
  });

  it("a link renamed from an explicit provider to the default one, adopting its link, keeps the link and its mappings", async () => {
    // Each provider instance is its own plugin process: the claim and the delete meet only in the shared journal.
    await stack.must(["config", "set", "dojoUrl", dojo.url]);
    await stack.must(["config", "set", "--secret", "dojoToken", dojo.token]);
    const explicit = `  dojo2:\n    type: pulumi:providers:defectdojo-jira\n    properties:\n      url: \${dojoUrl}\n      apiToken: \${dojoToken}\n`;
    const moved = (name: string, options: string, extra: string) => `  ${name}:\n    type: defectdojo-jira:index:ProductJiraLink\n${options}    properties:\n      instanceId: \${corp.dojoId}\n      adopt: true\n${extra}      spec:\n        product: Payments API\n        projectKey: PAY\n`;
    const write = (resources: string) => writeFile(join(work, "app", "Pulumi.yaml"), `name: dojo-native\nruntime: yaml\n${pluginEntry}config:\n  dojoUrl: { type: string }\n  dojoToken: { type: string, secret: true }\nresources:\n${resources}outputs:\n  instanceId: \${corp.dojoId}\n`);
    await write(explicit + instance + moved("payments", "    options:\n      provider: \${dojo2}\n", "      allowDeleteWithJiraIssues: true\n"));
    const first = await pulumi(stack, ["up", "--yes"]);
    expect(first.code, first.output).toBe(0);
    const linkId = links()[0]!.id;
    await fetch(`${dojo.url}/_emulator/jira-issues`, { method: "POST", body: JSON.stringify({ jira_project: linkId, count: 3 }) });
    const mappingsBefore = dojo.db.jira_issues.size;
    await write(explicit + instance + moved("payments-v2", "", ""));
    const renamed = await pulumi(stack, ["up", "--yes"]);
    expect(renamed.code, renamed.output).toBe(0);
    expect(links()).toEqual([expect.objectContaining({ id: linkId })]);
    expect(dojo.db.jira_issues.size).toBe(mappingsBefore);
  });

  it("keeps every secret out of state and output", async () => {
    const state = await stack.must(["stack", "export"]);
    for (const secret of [JIRA_TOKEN, dojo.token]) {
      expect(state).not.toContain(secret);
      expect(transcript).not.toContain(secret);
    }
  });

  it("the plugin's version and schema version are the package's", async () => {
    const schema = JSON.parse((await promisify(execFile)(join(bin, "pulumi"), ["package", "get-schema", join(ROOT, "bin/pulumi-resource-defectdojo-jira")], { env: stack.env })).stdout) as { version: string; config: { variables: Record<string, { secret?: boolean }> } };
    const { version } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(schema.version).toBe(version);
    expect(schema.config.variables.apiToken?.secret).toBe(true);
  });
});
