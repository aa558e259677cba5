import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DefectDojoHttp } from "../../provider/client/http.js";
import { JiraWebhooks } from "../../provider/client/jira-webhooks.js";
import { Secret } from "../../provider/secret.js";
import { runCli } from "../helpers/run-cli.js";

// A redirect, a refusal or an absence is known by its status: an answer whose body never ends, or
// never comes, must not turn it into "too large" or "unreachable" (or a 404 into a failure).
// The path says the answer: /<status>/<endless|stalled>[/...], with a body of the given kind.
let server: Server;
let url: string;
const open = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const [, status, body] = (req.url ?? "").split("/");
    res.writeHead(Number(status), { "Content-Type": "application/json", Location: "http://127.0.0.1:9/elsewhere" });
    open.add(res);
    res.on("close", () => open.delete(res));
    if (body === "stalled") return void res.write("[");
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const pump = () => {
      while (res.write(chunk));
    };
    res.on("drain", pump);
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  for (const res of open) res.destroy();
  server?.close();
});

const jira = (answer: string) => new JiraWebhooks({ url: `${url}/${answer}`, username: "u", password: new Secret("p"), bearer: false });
/** The outcome of a call and how long it took. */
async function timed<T>(call: () => Promise<T>): Promise<{ outcome: unknown; ms: number }> {
  const started = Date.now();
  const outcome = await call().catch((error: Error) => error.message);
  return { outcome, ms: Date.now() - started };
}

describe("the Jira webhook client reads the status first", () => {
  it.each([
    ["307/endless", /answered a redirect \(307\); not followed/],
    ["307/stalled", /answered a redirect \(307\); not followed/],
    ["401/stalled", /401; the JiraInstance's credentials must belong to a Jira administrator/],
    ["500/endless", /webhook\/7: 500$/],
  ])("%s: the status's own message, at once", async (answer, message) => {
    const { outcome, ms } = await timed(() => jira(answer).get(7));
    expect(outcome).toMatch(message);
    expect(ms).toBeLessThan(5_000);
  });

  it("404 with a body that never comes: absent, at once", async () => {
    const { outcome, ms } = await timed(() => jira("404/stalled").get(7));
    expect(outcome).toBeUndefined();
    expect(ms).toBeLessThan(5_000);
  });
});

describe("an answer that stops halfway ends at the call's deadline, which the message names", () => {
  it("the Jira webhook client", async () => {
    const client = new JiraWebhooks({ url: `${url}/200/stalled`, username: "u", password: new Secret("p"), bearer: false }, 300);
    const { outcome, ms } = await timed(() => client.get(7));
    expect(outcome).toBe("Jira GET webhook/7: Jira gave no whole answer within 0.3 s");
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(5_000);
  });

  it("the DefectDojo client: a read, retried until the deadline", async () => {
    const client = new DefectDojoHttp({ url: `${url}/200/stalled`, token: new Secret("t".repeat(40)), deadlineMs: 300, backoffMs: 10 });
    const { outcome, ms } = await timed(() => client.request("GET", "jira_instances/1/"));
    expect(outcome).toBe("GET jira_instances/1/ failed after retries: no whole answer within the call's deadline (0.3 s, retries included)");
    expect(ms).toBeLessThan(5_000);
  });

  it("the DefectDojo client: a create, whose outcome is then unknown", async () => {
    const client = new DefectDojoHttp({ url: `${url}/200/stalled`, token: new Secret("t".repeat(40)), deadlineMs: 300 });
    const { outcome } = await timed(() => client.request("POST", "jira_projects/", { body: { product: 1 } }));
    expect(outcome).toBe("POST jira_projects/: no whole answer within the call's deadline (0.3 s)");
  });
});

describe("the Jira webhook client names the call when an answer is not a webhook", () => {
  let shapes: Server;
  let base: string;
  beforeAll(async () => {
    shapes = createServer((req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end(req.url?.endsWith("/webhook") ? '{"not":"a list"}' : "[]"));
    await new Promise<void>((resolve) => shapes.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(shapes.address() as AddressInfo).port}`;
  });
  afterAll(() => shapes?.close());

  it("a list that is not one, a webhook that is not one", async () => {
    const client = new JiraWebhooks({ url: base, username: "u", password: new Secret("p"), bearer: false });
    await expect(client.list()).rejects.toThrow(/^Jira GET webhook: answered something other than a list of webhooks$/);
    await expect(client.get(3)).rejects.toThrow(/^Jira GET webhook\/3: answered a webhook without its self, name and url$/);
  });
});

describe("dojo-jira check-webhook never prints its secret in the base URL it names", () => {
  it("a whole webhook URL given as the base: named with the secret hidden", async () => {
    const run = await runCli(["check-webhook", "--defectdojo-url", `${url}/500/stalled/jira/webhook/whsec-in-base-77`], { env: { DOJO_JIRA_WEBHOOK_SECRET: "whsec-in-base-77" } });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/DefectDojo answered 500; is http:\/\/127\.0\.0\.1:\d+\/500\/stalled\/jira\/webhook\/\S+ DefectDojo's base URL\?/);
    expect(run.stdout + run.stderr).not.toContain("whsec-in-base-77");
  });
});

describe("dojo-jira check-webhook reads the status first", () => {
  it.each([
    ["307/endless", /DefectDojo answered a redirect \(307\), not followed/],
    ["500/stalled", /DefectDojo answered 500; is http:\/\/127\.0\.0\.1:\d+\/500\/stalled DefectDojo's base URL\?/],
  ])("%s", async (answer, message) => {
    const started = Date.now();
    const run = await runCli(["check-webhook", "--defectdojo-url", `${url}/${answer}`], { env: { DOJO_JIRA_WEBHOOK_SECRET: "status-first-secret" } });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stdout + run.stderr).not.toContain("status-first-secret");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
