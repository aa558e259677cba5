import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startJiraEmulator, type JiraEmulator } from "../../emulators/jira/server.js";
import { runCli } from "../helpers/run-cli.js";

// The user's config names one Jira (the emulator), and the CI job lists its host with --jira-host.
// A pull request adds one file: a JiraInstance whose url is a host nobody listed and whose password
// is { fromEnv: <any variable> }. lint --online must send nothing there (found by an attacker: it
// once sent DEFECTDOJO_API_TOKEN and the Jira token as Basic auth to the new host).
const JIRA_TOKEN = "CorpJiraTokenCanary-0123456789";
const DOJO_TOKEN = "DojoApiTokenCanary-0123456789abcdef";

let jira: JiraEmulator;
let attacker: Server;
let attackerUrl = "";
const captured: string[] = [];

beforeAll(async () => {
  jira = await startJiraEmulator({ flavour: "cloud", password: JIRA_TOKEN });
  attacker = createServer((req, res) => {
    const auth = req.headers.authorization ?? "";
    captured.push(auth.startsWith("Basic ") ? Buffer.from(auth.slice(6), "base64").toString() : auth);
    res.writeHead(401, { "Content-Type": "application/json" }).end("{}");
  });
  await new Promise<void>((r) => attacker.listen(0, "127.0.0.1", r));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await jira.close();
  await new Promise((r) => attacker.close(r));
});

const instance = (name: string, url: string, user: string, variable: string) =>
  `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: ${name}\nspec:\n  url: ${url}\n  username: ${user}\n  password: { fromEnv: ${variable} }\n  authKind: cloudApiToken\n  epicNameId: 0\n  transitions: { reopen: 11, close: 31 }\n`;

it("a file added by a pull request cannot make lint --online send a CI secret to a host of its choosing", async () => {
  const dir = await mkdtemp(join(tmpdir(), "online-hosts-"));
  await mkdir(join(dir, "config"));
  await writeFile(join(dir, ".dojo-jira.yaml"), "rules:\n  insecure-url: off\n");
  await writeFile(join(dir, "config", "jira.yaml"), instance("corp-jira", jira.url, jira.user, "CORP_JIRA_TOKEN"));
  // The pull request's file.
  await writeFile(join(dir, "config", "zz-pr.yaml"), [instance("pr-a", attackerUrl, "x", "DEFECTDOJO_API_TOKEN"), instance("pr-b", `${attackerUrl}/b`, "y", "CORP_JIRA_TOKEN")].join("---\n"));
  jira.log.length = 0;
  const run = await runCli(["lint", "--online", "config/", "--format", "json", "--jira-host", new URL(jira.url).host], { cwd: dir, env: { CORP_JIRA_TOKEN: JIRA_TOKEN, DEFECTDOJO_API_TOKEN: DOJO_TOKEN } });
  expect(captured, "requests the unlisted host received").toEqual([]);
  expect(jira.log.length, "the listed Jira was asked").toBeGreaterThan(0);
  const messages = (JSON.parse(run.stdout) as { results: Array<{ ruleId: string; message: string }> }).results.filter((r) => r.ruleId === "online-unchecked").map((r) => r.message);
  expect(messages).toEqual([expect.stringContaining("is not among the hosts credentials may be sent to"), expect.stringContaining("is not among the hosts credentials may be sent to")]);
});

it("a listed host is sent credentials over https only, and never the credentials of DefectDojo, Pulumi or the CI job", async () => {
  // Found by an attacker: http://<listed host> put the Jira token on the wire in clear, and
  // fromEnv: DEFECTDOJO_API_TOKEN sent that token to the listed Jira.
  const dir = await mkdtemp(join(tmpdir(), "online-hosts-"));
  await mkdir(join(dir, "config"));
  await writeFile(join(dir, ".dojo-jira.yaml"), "rules:\n  insecure-url: off\n");
  const listed = new URL(jira.url);
  await writeFile(
    join(dir, "config", "jira.yaml"),
    [
      instance("clear", "http://jira.corp.example", jira.user, "CORP_JIRA_TOKEN"),
      ...["DEFECTDOJO_API_TOKEN", "GITHUB_TOKEN", "PULUMI_ACCESS_TOKEN"].map((variable, i) => instance(`own-${i}`, `${jira.url}/own-${i}`, jira.user, variable)),
    ].join("---\n"),
  );
  jira.log.length = 0;
  const run = await runCli(["lint", "--online", "config/", "--format", "json", "--jira-host", "jira.corp.example", "--jira-host", listed.host], { cwd: dir, env: { CORP_JIRA_TOKEN: JIRA_TOKEN, DEFECTDOJO_API_TOKEN: DOJO_TOKEN, GITHUB_TOKEN: "gh-canary", PULUMI_ACCESS_TOKEN: "pul-canary" } });
  expect(jira.log, "requests the listed Jira received").toEqual([]);
  const messages = (JSON.parse(run.stdout) as { results: Array<{ ruleId: string; message: string }> }).results.filter((r) => r.ruleId === "online-unchecked").map((r) => r.message);
  expect(messages.filter((m) => m.includes("is not https: credentials are sent over https only (loopback aside); nothing was sent"))).toHaveLength(1);
  expect(messages.filter((m) => m.includes("holds the credentials of DefectDojo, Pulumi or the CI job, never a Jira password; nothing was sent"))).toHaveLength(3);
});
