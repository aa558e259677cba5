import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalStack } from "../../provider/local-stack.js";
import { ROOT, runCli } from "../helpers/run-cli.js";
import { acceptanceServer, runPrefix, type AcceptanceServer } from "./server.js";

/**
 * The acceptance suite a user puts a DefectDojo through before upgrading it, like Terraform
 * providers' TF_ACC tests: `DEFECTDOJO_URL=… DEFECTDOJO_API_TOKEN=… npx vitest run test/acceptance`
 * against a throwaway server (it writes, and removes everything it made, found by its name prefix);
 * without those variables it starts the emulator. Everything goes through DefectDojo's public API and
 * the real pulumi CLI: no emulator internals are read or seeded, so both servers get the same code.
 */
const PREFIX = runPrefix("acc");
const KEY = PREFIX.slice(-4).toUpperCase().replace(/[^A-Z]/g, "Q");
let server: AcceptanceServer;
let work: string;
let configDir: string;
let stack: LocalStack;
let adopted: LocalStack | undefined;
const ids: { productType?: number; products: Record<string, number>; engagement?: number } = { products: {} };
/** The server's Jira switches and webhook secret before the run, put back after it. */
let originalSettings: { id: number; enable_jira: boolean; enable_jira_web_hook: boolean; jira_webhook_secret: string | null } | undefined;

const api = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => server.api<T>(method, path, body);
const list = <T = Record<string, unknown>>(path: string) => server.list<T>(path);
const linkOf = async (product: string) => (await list<{ id: number; project_key: string; push_notes: boolean; enabled: boolean }>(`jira_projects/?product=${ids.products[product]}`))[0];

const names = { payments: `${PREFIX} Payments`, web: `${PREFIX} Web` };
const WEBHOOK_SECRET = `${PREFIX}-webhook`.slice(0, 64);
interface TreeOptions {
  pushNotes?: boolean;
  enabled?: boolean;
  /** Leaves the payments link out, as an operator deleting its document would. */
  withoutPayments?: boolean;
  /** The web link's name, and the name it had before (metadata.renamedFrom). */
  webName?: string;
  renamedFrom?: string;
  /** Adds JiraSettings: Jira and its webhook on, the webhook secret from stack config. */
  settings?: boolean;
}
const tree = (extra: TreeOptions = {}) => `apiVersion: defectdojo-jira/v1
kind: JiraInstance
metadata:
  name: acc-jira
spec:
  configurationName: ${PREFIX} Jira
  url: https://acceptance.atlassian.net
  username: svc@corp.example
  password: { fromConfig: accJiraToken }
  epicNameId: 10011
  transitions: { reopen: 11, close: 31 }
${
  extra.withoutPayments
    ? ""
    : `---
apiVersion: defectdojo-jira/v1
kind: ProductJiraLink
metadata:
  name: acc-payments
spec:
  product: ${names.payments}
  instance: acc-jira
  projectKey: ${KEY}P
  pushNotes: ${extra.pushNotes ?? false}
  enabled: ${extra.enabled ?? true}
`
}${
  extra.settings
    ? `---
apiVersion: defectdojo-jira/v1
kind: JiraSettings
metadata:
  name: acc-settings
spec:
  enableJira: true
  enableWebhook: true
  webhookSecret: { fromConfig: accWebhookSecret }
`
    : ""
}---
apiVersion: defectdojo-jira/v1
kind: ProductJiraLink
metadata:
  name: ${extra.webName ?? "acc-web"}${extra.renamedFrom ? `\n  renamedFrom: [${extra.renamedFrom}]` : ""}
spec:
  product: ${names.web}
  instance: acc-jira
  projectKey: ${KEY}W
---
apiVersion: defectdojo-jira/v1
kind: EngagementJiraLink
metadata:
  name: acc-pentest
spec:
  engagement: { product: ${names.payments}, name: ${PREFIX} pentest }
  instance: acc-jira
  projectKey: ${KEY}E
`;

async function applyTree(text: string): Promise<void> {
  const up = await tryTree(text);
  if (up.code !== 0) throw new Error(`pulumi up failed:\n${up.output.slice(-3000)}`);
}
async function tryTree(text: string): Promise<{ code: number; output: string }> {
  await writeFile(join(configDir, "tree.yaml"), text);
  return stack.up();
}

beforeAll(async () => {
  server = await acceptanceServer();
  originalSettings = (await list<NonNullable<typeof originalSettings>>("system_settings/"))[0];
  // Seeded through the public API only, named with the run's prefix.
  ids.productType = (await api<{ id: number }>("POST", "product_types/", { name: `${PREFIX} type` })).id;
  for (const name of Object.values(names)) ids.products[name] = (await api<{ id: number }>("POST", "products/", { name, description: name, prod_type: ids.productType })).id;
  ids.engagement = (await api<{ id: number }>("POST", "engagements/", { name: `${PREFIX} pentest`, product: ids.products[names.payments], target_start: "2026-01-01", target_end: "2026-12-31" })).id;
  work = await mkdtemp(join(ROOT, ".demo-acceptance-"));
  configDir = join(work, "config");
  await mkdir(configDir);
  stack = new LocalStack(ROOT, join(work, "pulumi"), LocalStack.uniqueName("acceptance"), await LocalStack.installCli(ROOT));
  await stack.init({ "defectdojo:url": server.url, "defectdojo-jira:configDir": configDir }, { "defectdojo:apiToken": server.token, accJiraToken: `${PREFIX}-jira-token`, accWebhookSecret: WEBHOOK_SECRET });
}, 30 * 60_000);

afterAll(async () => {
  // Everything this run made, found by its prefix, whatever state a failed step left.
  for (const s of [adopted, stack]) if (s) await s.run(["destroy", "--yes"]).then(() => s.remove());
  for (const product of Object.values(ids.products)) for (const link of await list<{ id: number }>(`jira_projects/?product=${product}`).catch(() => [])) await api("DELETE", `jira_projects/${link.id}/`).catch(() => undefined);
  if (ids.engagement) for (const link of await list<{ id: number }>(`jira_projects/?engagement=${ids.engagement}`).catch(() => [])) await api("DELETE", `jira_projects/${link.id}/`).catch(() => undefined);
  for (const instance of (await list<{ id: number; configuration_name: string }>("jira_instances/").catch(() => [])).filter((i) => i.configuration_name.startsWith(PREFIX))) await api("DELETE", `jira_instances/${instance.id}/`).catch(() => undefined);
  if (ids.engagement) await api("DELETE", `engagements/${ids.engagement}/`).catch(() => undefined);
  for (const product of Object.values(ids.products)) await api("DELETE", `products/${product}/`).catch(() => undefined);
  if (ids.productType) await api("DELETE", `product_types/${ids.productType}/`).catch(() => undefined);
  if (originalSettings) {
    const { id, enable_jira, enable_jira_web_hook, jira_webhook_secret } = originalSettings;
    await api("PATCH", `system_settings/${id}/`, { enable_jira, enable_jira_web_hook, ...(jira_webhook_secret ? { jira_webhook_secret } : {}) }).catch(() => undefined);
  }
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
}, 10 * 60_000);

describe(`acceptance against ${process.env.DEFECTDOJO_URL ? "DEFECTDOJO_URL" : "the emulator"}`, () => {
  it("pulumi up creates the instance, the product links and the engagement link", async () => {
    await applyTree(tree());
    expect((await linkOf(names.payments))?.project_key).toBe(`${KEY}P`);
    expect((await linkOf(names.web))?.project_key).toBe(`${KEY}W`);
    expect((await list<{ project_key: string }>(`jira_projects/?engagement=${ids.engagement}`)).map((l) => l.project_key)).toEqual([`${KEY}E`]);
    expect((await list<{ configuration_name: string }>("jira_instances/")).filter((i) => i.configuration_name === `${PREFIX} Jira`)).toHaveLength(1);
  });

  it("a second preview expects no changes", async () => {
    const preview = await stack.run(["preview", "--expect-no-changes"]);
    expect(preview.code, preview.output.slice(-2000)).toBe(0);
  });

  it("one changed field reaches DefectDojo", async () => {
    await applyTree(tree({ pushNotes: true }));
    expect((await linkOf(names.payments))?.push_notes).toBe(true);
  });

  it("an out-of-band change is seen by refresh and put back by up", async () => {
    await api("PATCH", `jira_projects/${(await linkOf(names.payments))!.id}/`, { push_notes: false });
    expect((await stack.run(["refresh", "--yes"])).code).toBe(0);
    expect((await stack.run(["preview", "--expect-no-changes"])).code).not.toBe(0);
    await applyTree(tree({ pushNotes: true }));
    expect((await linkOf(names.payments))?.push_notes).toBe(true);
  });

  it("enabled: false disconnects a link and keeps it", async () => {
    await applyTree(tree({ pushNotes: true, enabled: false }));
    expect(await linkOf(names.payments)).toMatchObject({ enabled: false, project_key: `${KEY}P` });
  });

  it("a rename with metadata.renamedFrom keeps the very same link", async () => {
    const before = (await linkOf(names.web))!.id;
    await applyTree(tree({ pushNotes: true, enabled: false, webName: "acc-web-frontend", renamedFrom: "acc-web" }));
    expect((await linkOf(names.web))?.id).toBe(before);
    expect((await stack.run(["preview", "--expect-no-changes"])).code).toBe(0);
  });

  it("deleting a link's document is refused while DefectDojo maps a finding through it; the link and the mapping stay", async () => {
    // Seeded through the public API: a test, a finding, and the mapping a push would have left.
    const [testType] = await list<{ id: number }>("test_types/");
    const test = await api<{ id: number }>("POST", "tests/", { engagement: ids.engagement, test_type: testType!.id, target_start: "2026-11-01T00:00:00Z", target_end: "2026-11-30T00:00:00Z" });
    const finding = await api<{ id: number }>("POST", "findings/", { test: test.id, found_by: [testType!.id], title: `${PREFIX} finding`, severity: "High", numerical_severity: "S1", description: "Seeded by the acceptance suite.", active: true, verified: true });
    const link = (await linkOf(names.payments))!;
    const mapping = await api<{ id: number }>("POST", "jira_finding_mappings/", { jira_id: "990001", jira_key: `${KEY}P-1`, finding: finding.id, jira_project: link.id });
    const refused = await tryTree(tree({ pushNotes: true, enabled: false, webName: "acc-web-frontend", withoutPayments: true }));
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/refusing to delete ProductJiraLink acc-payments/);
    expect((await linkOf(names.payments))?.id).toBe(link.id);
    expect((await list(`jira_finding_mappings/?finding=${finding.id}`)).map((m) => m.id)).toEqual([mapping.id]);
    // The document comes back: nothing to do. Then the seeded rows go, so the final destroy may proceed.
    await applyTree(tree({ pushNotes: true, enabled: false, webName: "acc-web-frontend" }));
    await api("DELETE", `jira_finding_mappings/${mapping.id}/`);
    await api("DELETE", `findings/${finding.id}/`);
    await api("DELETE", `tests/${test.id}/`);
  });

  it("JiraSettings turns Jira and its webhook on, and check-webhook confirms the secret DefectDojo holds", async () => {
    await applyTree(tree({ pushNotes: true, enabled: false, webName: "acc-web-frontend", settings: true }));
    const [settings] = await list<{ enable_jira: boolean; enable_jira_web_hook: boolean }>("system_settings/");
    expect(settings).toMatchObject({ enable_jira: true, enable_jira_web_hook: true });
    const check = await runCli(["check-webhook", "--defectdojo-url", server.url], { env: { DOJO_JIRA_WEBHOOK_SECRET: WEBHOOK_SECRET } });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/OK/);
    expect(check.stdout + check.stderr).not.toContain(WEBHOOK_SECRET);
  });

  it("drift finds nothing; export → lint → adopt in a second stack → an empty preview", async () => {
    const drift = await runCli(["drift", configDir, "--format", "json"], { env: { DEFECTDOJO_URL: server.url, DEFECTDOJO_API_TOKEN: server.token } });
    const report = JSON.parse(drift.stdout) as { changed: Array<{ name: string }>; configOnly: unknown[] };
    expect(report.changed.filter((c) => c.name.startsWith("acc-"))).toEqual([]);
    expect(report.configOnly).toEqual([]);
    const exported = join(work, "exported");
    const run = await runCli(["export", "--out", exported], { env: { DEFECTDOJO_URL: server.url, DEFECTDOJO_API_TOKEN: server.token } });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    // A throwaway server may hold more than this run made: keep this run's objects only.
    const mine = join(work, "adopt");
    await mkdir(mine);
    for (const file of await readdir(exported)) {
      const text = await readFile(join(exported, file), "utf8");
      if (text.includes(PREFIX)) await writeFile(join(mine, file), text);
    }
    const lint = await runCli(["lint", mine, "--format", "json"]);
    expect((JSON.parse(lint.stdout) as { results: Array<{ severity: string }> }).results.filter((r) => r.severity === "error")).toEqual([]);
    const secretKey = /pulumi config set --secret (\w+Password)/.exec(run.stdout)![1]!;
    adopted = new LocalStack(ROOT, join(work, "pulumi-adopt"), LocalStack.uniqueName("acceptance-adopt"), await LocalStack.installCli(ROOT));
    await adopted.init({ "defectdojo:url": server.url, "defectdojo-jira:configDir": mine }, { "defectdojo:apiToken": server.token, [secretKey]: `${PREFIX}-jira-token` });
    const up = await adopted.up();
    expect(up.code, up.output.slice(-3000)).toBe(0);
    expect((await adopted.run(["preview", "--expect-no-changes"])).code).toBe(0);
    // Removed without destroying: the objects stay for the first stack's destroy below.
    await adopted.remove();
    adopted = undefined;
  });

  it("destroy removes what the stack made", async () => {
    await applyTree(tree({ webName: "acc-web-frontend", settings: true }));
    const destroy = await stack.run(["destroy", "--yes"]);
    expect(destroy.code, destroy.output.slice(-3000)).toBe(0);
    expect(await linkOf(names.payments)).toBeUndefined();
    expect(await linkOf(names.web)).toBeUndefined();
    expect((await list<{ configuration_name: string }>("jira_instances/")).filter((i) => i.configuration_name === `${PREFIX} Jira`)).toEqual([]);
  });
});
