import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { startJiraEmulator, type JiraEmulator } from "../../emulators/jira/server.js";
import { LocalStack } from "../../provider/pulumi/local-stack.js";
import { ROOT, runCli } from "../helpers/run-cli.js";

// examples/full ("Connect DefectDojo to Jira" end to end) with the real CLI: settings, instance,
// links and the Jira webhook in one `pulumi up`, then a secret rotation that updates both sides.
const SECRET_1 = "webhook-secret-one-4b1d";
const SECRET_2 = "webhook-secret-two-9c7e";
let dojo: DefectDojoEmulator;
let jira: JiraEmulator;
let stack: LocalStack;
let transcript = "";

const registered = () => [...jira.webhooks.values()];
const post = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.text());

beforeAll(async () => {
  const bin = await LocalStack.installCli(ROOT);
  dojo = await startDefectDojoEmulator();
  jira = await startJiraEmulator({ flavour: "cloud" });
  dojo.seed({ products: [{ name: "Payments API" }, { name: "Web Frontend" }, { name: "Identity Service" }] });
  const work = await mkdtemp(join(ROOT, ".demo-full-"));
  const config = join(work, "config");
  await cp(join(ROOT, "examples/full"), config, { recursive: true });
  // Point the example at the loopback emulators (plain http there, hence the reasoned suppressions).
  const loopback = "# dojo-jira-disable-next-line insecure-url -- loopback emulator in a test\n";
  const instance = join(config, "jira-instance.yaml");
  await writeFile(instance, (await readFile(instance, "utf8")).replace("  url: https://corp.atlassian.net", `${loopback.replace(/^/gm, "  ").trimEnd()}\n  url: ${jira.url}`).replace("svc-defectdojo@corp.example", jira.user));
  const webhook = join(config, "jira-webhook.yaml");
  await writeFile(webhook, (await readFile(webhook, "utf8")).replace("  defectDojoUrl: https://dojo.corp.example", `${loopback.replace(/^/gm, "  ").trimEnd()}\n  defectDojoUrl: ${dojo.url}`));
  stack = new LocalStack(ROOT, work, LocalStack.uniqueName("full"), bin);
  await stack.init(
    { "defectdojo:url": dojo.url, "defectdojo-jira:configDir": config },
    { "defectdojo:apiToken": dojo.token, corpJiraToken: jira.password, jiraWebhookSecret: SECRET_1 },
  );
}, 30 * 60_000);

afterAll(async () => {
  await stack?.remove();
  await Promise.all([dojo?.close(), jira?.close()]);
});

describe("examples/full: the whole Connect-DefectDojo-to-Jira workflow", () => {
  it("one pulumi up turns Jira on, sets the secret, creates instance and links, registers the webhook", async () => {
    const up = await stack.up();
    transcript += up.output;
    expect(up.code, up.output.slice(-3000)).toBe(0);
    expect(dojo.db.system_settings.get(1)).toMatchObject({ enable_jira: true, enable_jira_web_hook: true, jira_webhook_secret: SECRET_1, jira_minimum_severity: "Medium", jira_labels: "defectdojo" });
    expect(dojo.db.jira_projects.size).toBe(3);
    expect(registered()).toEqual([expect.objectContaining({ name: "DefectDojo", url: `${dojo.url}/jira/webhook/${SECRET_1}`, events: ["comment_created", "jira:issue_updated"], filters: { "issue-related-events-section": "project in (PAY, WEB, IDN)" } })]);
  });

  it("a Jira comment posted to the registered URL reaches DefectDojo", async () => {
    const link = [...dojo.db.jira_projects.values()].find((l) => l.project_key === "PAY")!;
    const [mapping] = dojo.seedJiraIssues(link.id, 1).ids;
    const issueId = String(dojo.db.jira_issues.get(mapping!)!.jira_id);
    const answer = await post(registered()[0]!.url, { webhookEvent: "comment_created", comment: { self: `${jira.url}/rest/api/2/issue/${issueId}/comment/1`, body: "fixed in 2.3", updateAuthor: { name: "dev" } } });
    expect(answer).toBe("Success!");
    expect(dojo.webhookEvents).toContainEqual({ event: "comment_created", issueId, linked: true });
  });

  it("check-webhook reports OK with the right secret and names the problem otherwise", async () => {
    const ok = await runCli(["check-webhook", "--defectdojo-url", dojo.url], { env: { DOJO_JIRA_WEBHOOK_SECRET: SECRET_1 } });
    expect(ok.stdout).toMatch(/OK/);
    expect(ok.status).toBe(0);
    const bad = await runCli(["check-webhook", "--defectdojo-url", dojo.url], { env: { DOJO_JIRA_WEBHOOK_SECRET: "wrong" } });
    expect(bad.stdout).toMatch(/bad secret/);
    expect(bad.status).toBe(1);
    expect(ok.stdout + bad.stdout + ok.stderr + bad.stderr).not.toContain(SECRET_1);
  });

  it("rotating the secret in config updates DefectDojo and the Jira webhook in the same up", async () => {
    await stack.must(["config", "set", "--secret", "jiraWebhookSecret", SECRET_2]);
    const up = await stack.up();
    transcript += up.output;
    expect(up.code, up.output.slice(-3000)).toBe(0);
    expect(dojo.db.system_settings.get(1)!.jira_webhook_secret).toBe(SECRET_2);
    expect(registered().map((w) => w.url)).toEqual([`${dojo.url}/jira/webhook/${SECRET_2}`]);
    expect(await post(`${dojo.url}/jira/webhook/${SECRET_1}`, { webhookEvent: "jira:issue_updated", issue: { id: "1" } })).toBe("Invalid or no secret provided to JIRA Webhook");
  });

  it("a second up changes nothing, and no secret is in state or output", async () => {
    dojo.log.length = 0;
    jira.log.length = 0;
    const up = await stack.up();
    transcript += up.output;
    expect(up.code).toBe(0);
    expect(dojo.log.filter((r) => r.method !== "GET")).toEqual([]);
    expect(jira.log.filter((r) => r.method !== "GET")).toEqual([]);
    const state = await stack.must(["stack", "export"]);
    for (const secret of [SECRET_1, SECRET_2, jira.password, dojo.token]) {
      expect(state).not.toContain(secret);
      expect(transcript).not.toContain(secret);
    }
  });
});
