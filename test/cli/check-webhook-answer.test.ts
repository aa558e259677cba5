import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEndlessServer } from "../helpers/endless-server.js";
import { runCli } from "../helpers/run-cli.js";

// A "DefectDojo" whose webhook answer never ends (200 MB here) must cost a bounded read, not memory.
const LIMIT = 200 * 1024 * 1024;
let endless: Awaited<ReturnType<typeof startEndlessServer>>;

beforeAll(async () => {
  endless = await startEndlessServer(LIMIT, "text/plain");
});
afterAll(() => endless?.close());

describe("dojo-jira check-webhook against an answer that never ends", () => {
  it("stops reading at 1 MB and says so in one line", async () => {
    const run = await runCli(["check-webhook", "--defectdojo-url", endless.url], { env: { DOJO_JIRA_WEBHOOK_SECRET: "s3cret-value" } });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^dojo-jira check-webhook: the answer is larger than 1 MB, not DefectDojo's webhook verdict; is http:\/\/127\.0\.0\.1:\d+ DefectDojo's base URL\?\n$/);
    expect(endless.served()).toBeLessThan(LIMIT);
  });
});

describe("dojo-jira check-webhook against a DefectDojo that redirects", () => {
  const received: string[] = [];
  let elsewhere: Server;
  let redirecting: Server;
  const listen = (server: Server) => new Promise<string>((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

  beforeAll(async () => {
    elsewhere = createServer((req, res) => {
      received.push(String(req.url));
      res.writeHead(200).end("Success!");
    });
    const other = await listen(elsewhere);
    redirecting = createServer((req, res) => res.writeHead(308, { Location: `${other}${req.url}` }).end());
    await listen(redirecting);
  });
  afterAll(() => {
    elsewhere?.close();
    redirecting?.close();
  });

  it("does not follow it: the URL carries the webhook secret", async () => {
    const port = (redirecting.address() as AddressInfo).port;
    const run = await runCli(["check-webhook", "--defectdojo-url", `http://127.0.0.1:${port}`], { env: { DOJO_JIRA_WEBHOOK_SECRET: "canary-redirect-secret" } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("answered a redirect (308), not followed");
    expect(received).toEqual([]);
    expect(run.stdout + run.stderr).not.toContain("canary-redirect-secret");
  });
});
