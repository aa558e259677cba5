import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { startJiraEmulator, type JiraEmulator } from "../../emulators/jira/server.js";
import { LocalStack } from "../../provider/local-stack.js";
import { dojoApi, intercept } from "../helpers/dojo-fixture.js";
import { ROOT, runCli } from "../helpers/run-cli.js";

// examples/full ("Connect DefectDojo to Jira" end to end) with the real CLI: settings, instance,
// links and the Jira webhook in one `pulumi up`; then the loop those configure, through the public
// APIs only (a finding pushed to Jira, a Jira comment back as a note, closing transitions the issue),
// the refused destroy that would erase the new mapping, and a secret rotation that updates both sides.
const SECRET_1 = "webhook-secret-one-4b1d";
const SECRET_2 = "webhook-secret-two-9c7e";
let dojo: DefectDojoEmulator;
let jira: JiraEmulator;
let stack: LocalStack;
let config: string;
let transcript = "";

const DEVELOPER = { name: "dana", password: "dana-jira-password-3f9a", displayName: "Dana Developer" };
const registered = () => [...jira.webhooks.values()];
const writes = () => [...dojo.log, ...jira.log].filter((r) => r.method !== "GET");

/** `pulumi up` with one fromConfig key set in plaintext: refused, naming the fix, before anything is written. */
async function refusedForPlaintext(key: string, value: string): Promise<void> {
  await stack.must(["config", "set", "--plaintext", key, "guessable-plaintext-value"]);
  dojo.log.length = 0;
  jira.log.length = 0;
  const refused = await stack.up();
  await stack.must(["config", "set", "--secret", key, value]);
  expect(refused.code).not.toBe(0);
  expect(refused.output).toContain(`stack config ${key} is not a secret`);
  expect(refused.output).toContain(`pulumi config set --secret ${key}`);
  expect(writes()).toEqual([]);
}
const post = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.text());
const dojoRequest = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => dojoApi(dojo)<T>(method, path, body);
/** A webhook made in a Jira by hand, through its REST API, as the service account. */
const webhookIn = (site: JiraEmulator, name: string) =>
  fetch(`${site.url}/rest/webhooks/1.0/webhook`, { method: "POST", headers: { Authorization: `Basic ${Buffer.from(`${jira.user}:${jira.password}`).toString("base64")}`, "Content-Type": "application/json" }, body: JSON.stringify({ name, url: "https://elsewhere.example/hook", events: [] }) });
/** Another Jira (same service account) whose next webhook gets `id`: ids are per site. */
async function otherJiraWhoseNextWebhookIs(id: number): Promise<JiraEmulator> {
  const other = await startJiraEmulator({ flavour: "cloud", user: jira.user, password: jira.password });
  for (let taken = 1; taken < id; taken++) await webhookIn(other, `other-${taken}`);
  return other;
}
let finding: number;
let issueKey: string;

beforeAll(async () => {
  const bin = await LocalStack.installCli(ROOT);
  dojo = await startDefectDojoEmulator();
  jira = await startJiraEmulator({ flavour: "cloud", people: [DEVELOPER] });
  jira.seed({ projects: [{ key: "PAY" }, { key: "WEB", components: ["frontend"] }, { key: "IDN" }] });
  dojo.seed({ products: [{ name: "Payments API" }, { name: "Web Frontend" }, { name: "Identity Service" }] });
  const work = await mkdtemp(join(ROOT, ".demo-full-"));
  config = join(work, "config");
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
  it("a fresh stack whose instance password names a plaintext key is refused before anything is written, Jira settings included", async () => {
    await refusedForPlaintext("corpJiraToken", jira.password);
    expect(dojo.db.system_settings.get(1)?.enable_jira ?? false).toBe(false);
  });

  it("one pulumi up turns Jira on, sets the secret, creates instance and links, registers the webhook", async () => {
    const up = await stack.up();
    transcript += up.output;
    expect(up.code, up.output.slice(-3000)).toBe(0);
    expect(dojo.db.system_settings.get(1)).toMatchObject({ enable_jira: true, enable_jira_web_hook: true, jira_webhook_secret: SECRET_1, jira_minimum_severity: "Medium", jira_labels: "defectdojo" });
    expect(dojo.db.jira_projects.size).toBe(3);
    expect(registered()).toEqual([expect.objectContaining({ name: "DefectDojo", url: `${dojo.url}/jira/webhook/${SECRET_1}`, events: ["comment_created", "jira:issue_updated"], filters: { "issue-related-events-section": "project in (PAY, WEB, IDN)" } })]);
  });

  it("state keeps the webhook's dependency on its settings: on the resource, no input fed by it", async () => {
    const resources = await stack.resources();
    const settings = resources.find((r) => r.type.endsWith(":JiraSettings"))!;
    const webhook = resources.find((r) => r.type.endsWith(":JiraWebhook"))!;
    expect(webhook.dependencies).toEqual([settings.urn]);
    // Given no entry at all, the engine would make every input depend on the settings.
    expect(Object.keys(webhook.propertyDependencies ?? {}).length).toBeGreaterThan(0);
    expect(Object.values(webhook.propertyDependencies ?? {}).flat()).toEqual([]);
  });

  it("a finding pushed with push_to_jira becomes a Jira issue with the mapped priority, labels and component", async () => {
    const [product] = (await dojoRequest<{ results: Array<{ id: number }> }>("GET", "products/?name_exact=Web%20Frontend")).results;
    const [testType] = (await dojoRequest<{ results: Array<{ id: number }> }>("GET", "test_types/")).results;
    const engagement = await dojoRequest<{ id: number }>("POST", "engagements/", { name: "Q4 pentest", product: product!.id, target_start: "2026-11-01", target_end: "2026-11-30" });
    const test = await dojoRequest<{ id: number }>("POST", "tests/", { engagement: engagement.id, test_type: testType!.id, target_start: "2026-11-01T00:00:00Z", target_end: "2026-11-30T00:00:00Z" });
    jira.log.length = 0;
    const created = await dojoRequest<{ id: number }>("POST", "findings/", { test: test.id, found_by: [testType!.id], title: "Stored XSS in search", severity: "High", numerical_severity: "S1", description: "The search box reflects input.", active: true, verified: true, push_to_jira: true });
    finding = created.id;
    const [mapping] = (await dojoRequest<{ results: Array<{ jira_key: string; url: string }> }>("GET", `jira_finding_mappings/?finding=${finding}`)).results;
    issueKey = mapping!.jira_key;
    expect(mapping!.url).toBe(`${jira.url}/browse/${issueKey}`);
    expect(jira.issues.get(issueKey)).toMatchObject({ project: "WEB", summary: "Stored XSS in search", priority: "High", components: ["frontend"], labels: ["defectdojo", "Web_Frontend", "appsec"] });
    expect(jira.log.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /rest/api/2/serverInfo", "GET /rest/api/2/issue/createmeta", "POST /rest/api/2/issue"]);
  });

  it("a Jira comment reaches the finding as a note, through the webhook pulumi up registered", async () => {
    const auth = `Basic ${Buffer.from(`${DEVELOPER.name}:${DEVELOPER.password}`).toString("base64")}`;
    const commented = await fetch(`${jira.url}/rest/api/2/issue/${issueKey}/comment`, { method: "POST", headers: { Authorization: auth, "Content-Type": "application/json" }, body: JSON.stringify({ body: "Fixed in 2.3, please retest" }) });
    expect(commented.status).toBe(201);
    await jira.settled();
    expect(jira.deliveries).toEqual([{ webhook: registered()[0]!.id, event: "comment_created", issue: issueKey, status: 200, answer: "Success!" }]);
    const { notes } = await dojoRequest<{ notes: Array<{ entry: string; author: { username: string } }> }>("GET", `findings/${finding}/notes/`);
    expect(notes).toEqual([expect.objectContaining({ entry: "(Dana Developer (dana)): Fixed in 2.3, please retest", author: { username: "JIRA" } })]);
  });

  it("closing the finding with push_to_jira moves the issue through the configured close transition", async () => {
    jira.log.length = 0;
    await dojoRequest("PATCH", `findings/${finding}/`, { active: false, is_mitigated: true, push_to_jira: true });
    expect(jira.issues.get(issueKey)!.status).toEqual({ name: "Done", category: "Done" });
    const issueId = jira.issues.get(issueKey)!.id;
    expect(jira.log.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /rest/api/2/issue/${issueId}`, `POST /rest/api/2/issue/${issueId}/transitions`, `PUT /rest/api/2/issue/${issueId}`]);
    // Jira tells DefectDojo about its own change; the finding is already closed, so it stays so.
    await jira.settled();
    expect(jira.deliveries.slice(1).map((d) => [d.event, d.answer])).toEqual([["jira:issue_updated", "Success!"], ["jira:issue_updated", "Success!"]]);
    expect(await dojoRequest("GET", `findings/${finding}/`)).toMatchObject({ active: false, is_mitigated: true });
  });

  it("a destroy that would erase the pushed issue's mapping is refused, and keeps the link", async () => {
    const destroy = await stack.run(["destroy", "--yes"]);
    transcript += destroy.output;
    expect(destroy.code).not.toBe(0);
    expect(destroy.output).toMatch(/refusing to delete ProductJiraLink web-frontend: product "Web Frontend" has 1 finding linked to Jira issues/);
    const web = [...dojo.db.jira_projects.values()].find((l) => l.project_key === "WEB");
    expect(web).toMatchObject({ enabled: true });
    expect((await dojoRequest<{ count: number }>("GET", `jira_finding_mappings/?finding=${finding}`)).count).toBe(1);
    // Put back what the partial destroy removed, for the steps below.
    const up = await stack.up();
    expect(up.code, up.output.slice(-3000)).toBe(0);
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

  it("on the existing stack, a pending settings change is not applied when a secret reference is refused", async () => {
    const file = join(config, "jira-settings.yaml");
    const original = await readFile(file, "utf8");
    await writeFile(file, original.replace("minimumSeverity: Medium", "minimumSeverity: High"));
    try {
      await refusedForPlaintext("corpJiraToken", jira.password);
    } finally {
      await writeFile(file, original);
    }
    expect(dojo.db.system_settings.get(1)!.jira_minimum_severity).toBe("Medium");
  });

  it("a webhook document renamed with adopt (no renamedFrom) keeps the Jira webhook: the old name's delete leaves it", async () => {
    const file = join(config, "jira-webhook.yaml");
    const [before] = registered();
    await writeFile(file, (await readFile(file, "utf8")).replace("  name: defectdojo-webhook\n", "  name: jira-webhook\noptions:\n  adopt: true\n"));
    jira.log.length = 0;
    const up = await stack.up();
    transcript += up.output;
    expect(up.code, up.output.slice(-3000)).toBe(0);
    expect(up.output).toContain(`JiraWebhook defectdojo-webhook left the stack; its Jira webhook (id ${before!.id}) stays, managed by jira-webhook`);
    // Shown under the resource it is about, not as the stack's.
    expect(up.output).toMatch(/Diagnostics:\n {2}defectdojo-jira:index:JiraWebhook \(defectdojo-webhook\):\n {4}dojo-jira: JiraWebhook defectdojo-webhook left the stack/);
    expect(registered().map((w) => w.id)).toEqual([before!.id]);
    expect(jira.log.filter((r) => r.method === "DELETE")).toEqual([]);
  });

  it("the Jira site spelled another way keeps its registered webhook; a site that cannot be reached leaves it too", async () => {
    const file = join(config, "jira-instance.yaml");
    const original = await readFile(file, "utf8");
    const respell = async (url: string) => {
      await writeFile(file, original.replace(`  url: ${jira.url}\n`, `  url: ${url}\n`));
      jira.log.length = 0;
      const up = await stack.up();
      transcript += up.output;
      return { up, writes: jira.log.filter((r) => r.method === "DELETE" || r.method === "POST").map((r) => r.method) };
    };
    const [before] = registered();
    const kept = () => expect(registered().map((w) => [w.id, w.url])).toEqual([[before!.id, `${dojo.url}/jira/webhook/${SECRET_2}`]]);
    // One spelling of one site (a trailing slash): no replace at all.
    let step = await respell(`${jira.url}/`);
    expect(step.up.code, step.up.output.slice(-3000)).toBe(0);
    expect(step.writes).toEqual([]);
    kept();
    // Another host name for the same Jira: a replace, made first; it adopts the very webhook (the
    // document has adopt), and the old name's delete leaves it.
    step = await respell(jira.url.replace("127.0.0.1", "localhost"));
    expect(step.up.code, step.up.output.slice(-3000)).toBe(0);
    expect(step.writes).toEqual([]);
    kept();
    // A site that cannot be reached: the create fails, and the working webhook stays.
    step = await respell("http://127.0.0.1:1");
    expect(step.up.code).not.toBe(0);
    kept();
    step = await respell(jira.url);
    expect(step.up.code, step.up.output.slice(-3000)).toBe(0);
    kept();
  });

  it("a move to another Jira whose DefectDojo webhook has the same id adopts that one and removes the old site's", async () => {
    const [old] = registered();
    // Ids are per site: the other Jira's own "DefectDojo" webhook gets the same one.
    const other = await otherJiraWhoseNextWebhookIs(old!.id);
    const file = join(config, "jira-instance.yaml");
    const original = await readFile(file, "utf8");
    try {
      await webhookIn(other, "DefectDojo");
      expect([...other.webhooks.values()].find((w) => w.name === "DefectDojo")?.id).toBe(old!.id);
      await writeFile(file, original.replace(`  url: ${jira.url}\n`, `  url: ${other.url}\n`));
      const moved = await stack.up();
      transcript += moved.output;
      expect(moved.code, moved.output.slice(-3000)).toBe(0);
      expect(registered()).toEqual([]);
      expect([...other.webhooks.values()].find((w) => w.name === "DefectDojo")?.url).toBe(`${dojo.url}/jira/webhook/${SECRET_2}`);
      await writeFile(file, original);
      const back = await stack.up();
      transcript += back.output;
      expect(back.code, back.output.slice(-3000)).toBe(0);
      expect(registered().map((w) => w.url)).toEqual([`${dojo.url}/jira/webhook/${SECRET_2}`]);
    } finally {
      await writeFile(file, original);
      await other.close();
    }
  });

  it("a webhook document renamed with renamedFrom while its instance moves to another Jira leaves no webhook behind", async () => {
    const other = await startJiraEmulator({ flavour: "cloud", user: jira.user, password: jira.password });
    const files = { instance: join(config, "jira-instance.yaml"), webhook: join(config, "jira-webhook.yaml") };
    const original = { instance: await readFile(files.instance, "utf8"), webhook: await readFile(files.webhook, "utf8") };
    try {
      await writeFile(files.instance, original.instance.replace(`  url: ${jira.url}\n`, `  url: ${other.url}\n`));
      await writeFile(files.webhook, original.webhook.replace("  name: jira-webhook\n", "  name: moved-webhook\n  renamedFrom: [jira-webhook]\n"));
      const moved = await stack.up();
      transcript += moved.output;
      expect(moved.code, moved.output.slice(-3000)).toBe(0);
      expect(moved.output).not.toContain("stays");
      expect(registered()).toEqual([]);
      expect([...other.webhooks.values()].map((w) => w.url)).toEqual([`${dojo.url}/jira/webhook/${SECRET_2}`]);
      await writeFile(files.instance, original.instance);
      await writeFile(files.webhook, original.webhook.replace("  name: jira-webhook\n", "  name: jira-webhook\n  renamedFrom: [moved-webhook]\n"));
      const back = await stack.up();
      transcript += back.output;
      expect(back.code, back.output.slice(-3000)).toBe(0);
      expect(registered().map((w) => w.url)).toEqual([`${dojo.url}/jira/webhook/${SECRET_2}`]);
      expect([...other.webhooks.values()]).toEqual([]);
    } finally {
      await writeFile(files.instance, original.instance);
      await writeFile(files.webhook, original.webhook);
      await other.close();
    }
  });

  it("two Jiras whose webhooks share an id: removing one webhook document deletes that one, and only that one", async () => {
    const [ours] = registered();
    // Ids are per site: the other Jira's next webhook gets the same id as ours.
    const other = await otherJiraWhoseNextWebhookIs(ours!.id);
    const extra = join(config, "other-jira.yaml");
    try {
      const loopback = "  # dojo-jira-disable-next-line insecure-url -- loopback emulator in a test\n";
      await writeFile(extra, `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: other-jira\nspec:\n  configurationName: Other Jira\n${loopback}  url: ${other.url}\n  username: ${jira.user}\n  password: { fromConfig: corpJiraToken }\n  authKind: cloudApiToken\n  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n---\napiVersion: defectdojo-jira/v1\nkind: JiraWebhook\nmetadata:\n  name: other-webhook\nspec:\n  instance: other-jira\n  settings: jira-settings\n${loopback}  defectDojoUrl: ${dojo.url}\n`);
      const added = await stack.up();
      transcript += added.output;
      expect(added.code, added.output.slice(-3000)).toBe(0);
      expect([...other.webhooks.values()].find((w) => w.name === "DefectDojo")?.id).toBe(ours!.id);
      await rm(extra);
      const removed = await stack.up();
      transcript += removed.output;
      expect(removed.code, removed.output.slice(-3000)).toBe(0);
      expect([...other.webhooks.values()].filter((w) => w.name === "DefectDojo")).toEqual([]);
      expect(registered().map((w) => w.id)).toEqual([ours!.id]);
    } finally {
      await rm(extra, { force: true });
      await other.close();
    }
  });

  /**
   * `pulumi up --continue-on-error` with documents edited (file name → edit) and the emulators
   * interfering (each interference returns what takes it away); `observe` reads the emulators right
   * after. Then the documents are restored and a plain `up` puts everything back.
   */
  async function upThatFails<T>(edits: Record<string, (text: string) => string>, interfere: () => Array<() => void>, observe: () => T) {
    const files = Object.keys(edits).map((name) => join(config, name));
    const originals = await Promise.all(files.map((file) => readFile(file, "utf8")));
    await Promise.all(files.map((file, i) => writeFile(file, Object.values(edits)[i]!(originals[i]!))));
    const release = interfere();
    dojo.log.length = 0;
    jira.log.length = 0;
    try {
      const up = await stack.run(["up", "--yes", "--skip-preview", "--continue-on-error"]);
      transcript += up.output;
      return { up, sent: writes().map((r) => `${r.method} ${r.path}`).sort(), observed: observe() };
    } finally {
      for (const undo of release) undo();
      await Promise.all(files.map((file, i) => writeFile(file, originals[i]!)));
      const healed = await stack.up();
      expect(healed.code, healed.output.slice(-3000)).toBe(0);
    }
  }
  const linkIds = () => [...dojo.db.jira_projects.values()].map((l) => l.id).sort();
  const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("with --continue-on-error, a webhook update Jira fails stops the run before any delete, said once", async () => {
    const links = linkIds();
    const { up, sent, observed } = await upThatFails(
      {
        "jira-webhook.yaml": (text) => text.replace("project in (PAY, WEB, IDN)", "project in (PAY, WEB)"),
        // One link removed (its delete must not happen) and one changed, whose slow update keeps the
        // SDK reading the stack outputs until after the webhook has failed.
        "product-links.yaml": (text) => text.replace(/---\n(?:(?!---)[\s\S])*name: identity-service\n(?:(?!---)[\s\S])*/, "").replace("labels: [defectdojo, appsec]", "labels: [defectdojo]"),
      },
      () => [
        intercept(dojo, async (request, next) => (request.method === "PATCH" && request.url.pathname.includes("/jira_projects/") ? (await later(700), next(request)) : undefined)),
        intercept(jira, (request) => (request.method === "PUT" ? { status: 500, json: { message: `no, ${SECRET_2}` } } : undefined)),
      ],
      linkIds,
    );
    expect(up.code).not.toBe(0);
    const stopped = "JiraWebhook jira-webhook: the engine failed its registration (it says why under the resource); what depends on it was not declared, and the run stops before any delete";
    expect(up.output.split(stopped).length - 1, up.output).toBe(2); // as the program said it, and in the summary
    // That line is the program's whole say: no stack, no Node warning about a promise.
    expect(up.output).not.toMatch(/Warning|unhandled exception|INTERNAL/);
    expect(sent.map((write) => write.split(" ")[0])).toEqual(["PATCH", "PUT"]);
    expect(observed).toEqual(links);
  });

  it("with --continue-on-error, a settings update refused after the program's last line keeps a removed webhook, said as the message alone", async () => {
    const hooks = registered().map((w) => w.id);
    const { up, sent, observed } = await upThatFails(
      { "jira-webhook.yaml": () => "", "jira-settings.yaml": (text) => text.replace("minimumSeverity: Medium", "minimumSeverity: Low") },
      // Nothing waits on the settings any more, so the program has run to its end when DefectDojo answers.
      () => [intercept(dojo, async (request) => (request.method === "PATCH" && request.url.pathname.includes("/system_settings/") ? (await later(1500), { status: 400, json: { detail: "no" } }) : undefined))],
      () => registered().map((w) => w.id),
    );
    expect(up.code).not.toBe(0);
    expect(up.output).toContain("\n    error: JiraSettings jira-settings: the engine failed its registration");
    expect(up.output).not.toMatch(/Error: JiraSettings|Warning|unhandled exception|INTERNAL/);
    expect(sent).toEqual(["PATCH /api/v2/system_settings/1/"]);
    expect(observed).toEqual(hooks);
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
