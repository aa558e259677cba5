import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { ROOT, runCli, type CliRun } from "../helpers/run-cli.js";

// The webhook secret travels in the URL path (/jira/webhook/<secret>), so any message that echoes
// the URL DefectDojo was called at would print it.
const SECRET = "webhook-secret-5f3a-never-printed";
const URL_PASSWORD = "url-password-77c1";
let dojo: DefectDojoEmulator;

const checkWebhook = (url: string) => runCli(["check-webhook", "--defectdojo-url", url], { env: { DOJO_JIRA_WEBHOOK_SECRET: SECRET } });

/** Asserted as booleans, so that a failing test does not print the secret either. */
function expectNothingSecret(run: CliRun): void {
  const output = run.stdout + run.stderr;
  expect(output.includes(SECRET), "the webhook secret was printed").toBe(false);
  expect(output.includes(URL_PASSWORD), "the URL's password was printed").toBe(false);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  dojo = await startDefectDojoEmulator();
  Object.assign(dojo.db.system_settings.get(1)!, { enable_jira: true, enable_jira_web_hook: true, jira_webhook_secret: SECRET });
});
afterAll(() => dojo.close());

describe("dojo-jira check-webhook never prints the webhook secret", () => {
  it("refuses a --defectdojo-url with user:password@, naming the URL without them", async () => {
    const run = await checkWebhook(dojo.url.replace("http://", `http://svc:${URL_PASSWORD}@`));
    expectNothingSecret(run);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^dojo-jira check-webhook: --defectdojo-url must not carry a user name or password: give http:\/\/127\.0\.0\.1:\d+\/ and/);
    expect(run.stderr).not.toContain("svc");
    const userOnly = await checkWebhook(dojo.url.replace("http://", "http://svc@"));
    expect(userOnly.status).toBe(2);
    expect(userOnly.stderr).not.toContain("svc");
  });

  it("in every outcome: accepted, wrong base URL, unreachable, not a URL", async () => {
    const accepted = await checkWebhook(dojo.url);
    const wrongPath = await checkWebhook(`${dojo.url}/not-dojo`);
    const unreachable = await checkWebhook(`http://127.0.0.1:${await closedPort()}`);
    const notUrl = await checkWebhook(`http://[::1:${SECRET}`);
    for (const run of [accepted, wrongPath, unreachable, notUrl]) expectNothingSecret(run);
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(wrongPath.stderr).toMatch(/DefectDojo answered 404; is http:\/\/127\.0\.0\.1:\d+\/not-dojo DefectDojo's base URL\?/);
    expect(unreachable.stderr).toMatch(/unreachable \(ECONNREFUSED\)/);
    expect(notUrl.stderr).toMatch(/--defectdojo-url is not a URL/);
    expect(notUrl.status).toBe(2);
  });
});

describe("every command that takes a server URL refuses user:password@ in it", () => {
  it("export and drift (flag or DEFECTDOJO_URL), discover", async () => {
    const withUserinfo = (url: string) => url.replace("http://", `http://svc:${URL_PASSWORD}@`);
    const work = await mkdtemp(join(tmpdir(), "dojo-jira-export-"));
    const out = join(work, "out");
    const dojoEnv = { DEFECTDOJO_API_TOKEN: dojo.token };
    const runs = {
      "--defectdojo-url": await runCli(["export", "--out", out, "--defectdojo-url", withUserinfo(dojo.url)], { env: dojoEnv }),
      DEFECTDOJO_URL: await runCli(["drift", join(ROOT, "examples/basic")], { env: { ...dojoEnv, DEFECTDOJO_URL: withUserinfo(dojo.url) } }),
      "--jira-url": await runCli(["discover", "--jira-url", withUserinfo("http://127.0.0.1:9"), "--issue-key", "SEC-1"], { env: { JIRA_USERNAME: "svc", JIRA_PASSWORD: "p" } }),
    };
    for (const [source, run] of Object.entries(runs)) {
      expectNothingSecret(run);
      expect(run.stderr).toContain(`${source} must not carry a user name or password`);
      expect(run.status).toBe(2);
    }
    await rm(work, { recursive: true, force: true });
  });
});
