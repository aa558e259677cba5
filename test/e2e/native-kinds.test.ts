import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { startJiraEmulator, type JiraEmulator } from "../../emulators/jira/server.js";
import { LocalStack } from "../../provider/local-stack.js";
import { ROOT } from "../helpers/run-cli.js";

// JiraSettings, JiraWebhook and EngagementJiraLink through the provider plugin from a Pulumi YAML
// program, with the credentials from the environment (DEFECTDOJO_URL / DEFECTDOJO_API_TOKEN) and
// the references' values from the default provider's `secrets`; a lint failure arrives as check's.
const SECRET_1 = "webhook-secret-one-8c2d4e6f";
const SECRET_2 = "webhook-secret-two-1a3b5c7d";
let dojo: DefectDojoEmulator;
let jira: JiraEmulator;
let stack: LocalStack;
let work: string;
let transcript = "";

const program = (minimumSeverity = "Medium") =>
  writeFile(
    join(work, "app", "Pulumi.yaml"),
    `name: dojo-native-kinds
runtime: yaml
plugins:
  providers:
    - name: defectdojo-jira
      path: ${join(ROOT, "bin")}
resources:
  settings:
    type: defectdojo-jira:index:JiraSettings
    properties:
      spec:
        enableJira: true
        enableWebhook: true
        webhookSecret: { fromConfig: jiraWebhookSecret }
        minimumSeverity: ${minimumSeverity}
  corp:
    type: defectdojo-jira:index:JiraInstance
    properties:
      spec:
        url: ${jira.url}
        username: ${jira.user}
        password: { fromConfig: corpJiraToken }
        epicNameId: 10011
        transitions: { reopen: 11, close: 31 }
      waivedRules: [insecure-url]
  pentest:
    type: defectdojo-jira:index:EngagementJiraLink
    properties:
      instanceId: \${corp.dojoId}
      spec:
        engagement: { product: Payments API, name: Q3 pentest }
        projectKey: PAY
  hook:
    type: defectdojo-jira:index:JiraWebhook
    properties:
      spec:
        defectDojoUrl: ${dojo.url}
        jql: project in (PAY)
      jira:
        url: ${jira.url}
        username: ${jira.user}
        password: { fromConfig: corpJiraToken }
      webhookSecret: { fromConfig: jiraWebhookSecret }
      waivedRules: [insecure-url]
    options:
      dependsOn:
        - \${settings}
`,
  );
async function pulumi(args: string[]) {
  const result = await stack.run(args);
  transcript += result.output;
  return result;
}

beforeAll(async () => {
  const bin = await LocalStack.installCli(ROOT);
  dojo = await startDefectDojoEmulator();
  jira = await startJiraEmulator({ flavour: "cloud" });
  jira.seed({ projects: [{ key: "PAY" }] });
  dojo.seed({ products: [{ name: "Payments API" }], engagements: [{ product: "Payments API", name: "Q3 pentest" }] });
  work = await mkdtemp(join(ROOT, ".demo-native-kinds-"));
  await mkdir(join(work, "app"));
  await program();
  stack = new LocalStack(join(work, "app"), join(work, "pulumi"), LocalStack.uniqueName("native-kinds"), bin, { DEFECTDOJO_URL: dojo.url, DEFECTDOJO_API_TOKEN: dojo.token });
  await stack.init({}, {});
  await stack.must(["config", "set", "--secret", "--path", "defectdojo-jira:secrets.corpJiraToken", jira.password]);
  await stack.must(["config", "set", "--secret", "--path", "defectdojo-jira:secrets.jiraWebhookSecret", SECRET_1]);
}, 30 * 60_000);

afterAll(async () => {
  await stack?.remove();
  await Promise.all([dojo?.close(), jira?.close()]);
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the provider plugin's other kinds from a Pulumi YAML program", () => {
  it("turns Jira on, links an engagement and registers the webhook with the secret in its URL", async () => {
    const result = await pulumi(["up", "--yes"]);
    expect(result.code, result.output).toBe(0);
    const settings = [...dojo.db.system_settings.values()][0]!;
    expect(settings).toMatchObject({ enable_jira: true, enable_jira_web_hook: true, jira_webhook_secret: SECRET_1, jira_minimum_severity: "Medium" });
    expect([...dojo.db.jira_projects.values()]).toEqual([expect.objectContaining({ engagement: expect.any(Number), project_key: "PAY" })]);
    expect([...jira.webhooks.values()]).toEqual([expect.objectContaining({ name: "DefectDojo", url: `${dojo.url}/jira/webhook/${SECRET_1}` })]);
    expect((await pulumi(["preview", "--expect-no-changes"])).code).toBe(0);
  });

  it("a rotated webhook secret updates DefectDojo and the webhook in one up", async () => {
    await stack.must(["config", "set", "--secret", "--path", "defectdojo-jira:secrets.jiraWebhookSecret", SECRET_2]);
    const result = await pulumi(["up", "--yes"]);
    expect(result.code, result.output).toBe(0);
    expect([...dojo.db.system_settings.values()][0]!.jira_webhook_secret).toBe(SECRET_2);
    expect([...jira.webhooks.values()].map((w) => w.url)).toEqual([`${dojo.url}/jira/webhook/${SECRET_2}`]);
  });

  it("a spec the JSON Schema refuses fails check, naming the property", async () => {
    await program("Urgent");
    const result = await pulumi(["preview"]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/spec\.minimumSeverity/);
    await program();
  });

  it("destroy removes the webhook and the link, leaves System Settings as they are", async () => {
    const result = await pulumi(["destroy", "--yes"]);
    expect(result.code, result.output).toBe(0);
    expect(jira.webhooks.size).toBe(0);
    expect(dojo.db.jira_projects.size).toBe(0);
    expect([...dojo.db.system_settings.values()][0]!.enable_jira).toBe(true);
  });

  it("no secret in state or output", async () => {
    const state = await stack.must(["stack", "export"]);
    for (const secret of [SECRET_1, SECRET_2, jira.password, dojo.token]) {
      expect(state).not.toContain(secret);
      expect(transcript).not.toContain(secret);
    }
  });
});
