import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { startJiraEmulator, type JiraEmulator } from "../../emulators/jira/server.js";
import { dojoApi, instanceDoc, productLinkDoc } from "../helpers/dojo-fixture.js";
import { declare, ModelEngine } from "../helpers/model-engine.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * Distinct canary secrets planted in every place a secret can come from (config files, git history,
 * stack config, the environment, DefectDojo's answers, Jira's credentials), then every command and
 * format is run and everything they print, write or store is searched for any canary.
 */
const CANARY = {
  fileLiteral: "canary-file-literal-a91f",
  fileMisspelled: "canary-file-misspelled-1c2d",
  fileNearSyntaxError: "canary-file-syntax-2d3e",
  fileUserinfo: "canary-file-userinfo-b82e",
  gitHistory: "canary-git-history-c73d",
  stackConfig: "canary-stack-config-d64c",
  environment: "canary-environment-e55b",
  webhookSecret: "canary-dojo-webhook-f46a",
  jiraPassword: "canary-jira-password-0a37",
};
const canaries = Object.values(CANARY);

let dojo: DefectDojoEmulator;
let jira: JiraEmulator;
let work: string;
/** Everything any command printed, wrote or stored, by where it came from. */
const seen = new Map<string, string>();

const git = (...args: string[]) => execFileSync("git", args, { cwd: join(work, "repo"), encoding: "utf8" });
const tree = `apiVersion: defectdojo-jira/v1
kind: JiraInstance
metadata:
  name: corp-jira
spec:
  url: https://corp.atlassian.net
  username: svc@corp.example
  password: { fromConfig: corpJiraToken }
  epicNameId: 10011
  transitions: { reopen: 11, close: 31 }
---
apiVersion: defectdojo-jira/v1
kind: ProductJiraLink
metadata:
  name: payments
spec:
  product: Payments API
  instance: corp-jira
  projectKey: PAY
`;

beforeAll(async () => {
  dojo = await startDefectDojoEmulator();
  jira = await startJiraEmulator({ flavour: "cloud", password: CANARY.jiraPassword });
  dojo.seed({ products: [{ name: "Payments API" }] });
  await dojoApi(dojo)("PATCH", "system_settings/1/", { jira_webhook_secret: CANARY.webhookSecret, enable_jira: true, enable_jira_web_hook: true });
  work = await mkdtemp(join(tmpdir(), "dojo-jira-canaries-"));
  // A config repo whose history once held literal secrets, and whose tree holds some now.
  execFileSync("mkdir", ["-p", join(work, "repo", "config")]);
  git("init", "-q", "-b", "main");
  git("config", "user.email", "a@corp.example");
  git("config", "user.name", "A");
  await writeFile(join(work, "repo", "config", "jira.yaml"), tree.replace("{ fromConfig: corpJiraToken }", CANARY.gitHistory));
  git("add", "-A");
  git("commit", "-qm", "oops: a literal password");
  await writeFile(join(work, "repo", "config", "jira.yaml"), tree.replace("https://corp.atlassian.net", `https://svc:${CANARY.fileUserinfo}@corp.atlassian.net/`).replace("{ fromConfig: corpJiraToken }", CANARY.fileLiteral));
  // A misspelled secret key (did-you-mean once quoted its value), and a password beside a syntax error.
  await writeFile(join(work, "repo", "config", "more.yaml"), `${tree.split("---")[0]!.replace("name: corp-jira", "name: other-jira").replace("password: { fromConfig: corpJiraToken }", `pasword: ${CANARY.fileMisspelled}`)}---\napiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata: { name: broken }\nspec:\n  password: ${CANARY.fileNearSyntaxError}\n  url: [unclosed\n`);
  git("add", "-A");
  git("commit", "-qm", "still wrong, differently");
}, 60_000);

afterAll(async () => {
  await Promise.all([dojo?.close(), jira?.close()]);
  if (work) await rm(work, { recursive: true, force: true });
});

describe("no canary secret reaches any output", () => {
  it("lint, in every format", async () => {
    for (const format of ["stylish", "json", "sarif", "junit", "github"]) {
      const run = await runCli(["lint", "config", "--format", format], { cwd: join(work, "repo") });
      expect(run.status).toBe(1);
      seen.set(`lint --format ${format}`, run.stdout + run.stderr);
    }
  });

  it("diff and log over the history that held them", async () => {
    for (const args of [["diff", "HEAD~1", "HEAD", "--path", "config"], ["diff", "HEAD~1", "--path", "config", "--format", "json"], ["log", "--path", "config"], ["log", "--path", "config", "--format", "markdown"]]) {
      const run = await runCli(args, { cwd: join(work, "repo") });
      seen.set(args.join(" "), run.stdout + run.stderr);
    }
  });

  it("pulumi deployments: state, provider output and errors, with secrets from stack config and the environment", async () => {
    process.env.CANARY_JIRA_TOKEN = CANARY.environment;
    try {
      const engine = new ModelEngine({ "defectdojo:url": dojo.url, "defectdojo:apiToken": dojo.token, "defectdojo-jira:corpJiraToken": CANARY.stackConfig });
      const results = [
        await engine.up(declare([instanceDoc("corp-jira"), productLinkDoc("payments", "Payments API")])),
        await engine.up(declare([instanceDoc("corp-jira", { spec: { password: { fromEnv: "CANARY_JIRA_TOKEN" } } }), productLinkDoc("payments", "Payments API")])),
        await engine.up(declare([instanceDoc("corp-jira", { spec: { password: { fromEnv: "CANARY_JIRA_TOKEN" } } }), productLinkDoc("payments", "Nope")])),
      ];
      expect(results.map((r) => r.ok)).toEqual([true, true, false]);
      seen.set("deployments", JSON.stringify(engine.state) + JSON.stringify(results));
    } finally {
      delete process.env.CANARY_JIRA_TOKEN;
    }
  });

  it("export, drift and check-webhook against a DefectDojo that hands out its webhook secret", async () => {
    const env = { DEFECTDOJO_URL: dojo.url, DEFECTDOJO_API_TOKEN: dojo.token };
    const out = join(work, "exported");
    const exported = await runCli(["export", "--out", out], { env });
    expect(exported.status, exported.stdout + exported.stderr).toBe(0);
    let files = "";
    for (const name of await readdir(out)) files += await readFile(join(out, name), "utf8");
    seen.set("export", exported.stdout + exported.stderr + files);
    const drift = await runCli(["drift", out, "--format", "json"], { env });
    seen.set("drift", drift.stdout + drift.stderr);
    const check = await runCli(["check-webhook", "--defectdojo-url", dojo.url], { env: { DOJO_JIRA_WEBHOOK_SECRET: CANARY.webhookSecret } });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    seen.set("check-webhook", check.stdout + check.stderr);
    const withUserinfo = await runCli(["check-webhook", "--defectdojo-url", dojo.url.replace("http://", `http://admin:${CANARY.webhookSecret}@`)], { env: { DOJO_JIRA_WEBHOOK_SECRET: CANARY.webhookSecret } });
    seen.set("check-webhook (URL with user:password@)", withUserinfo.stdout + withUserinfo.stderr);
  });

  it("discover with Jira credentials from the environment, right and wrong", async () => {
    for (const password of [CANARY.jiraPassword, `${CANARY.jiraPassword}-wrong`]) {
      const run = await runCli(["discover", "--jira-url", jira.url, "--issue-key", "SEC-1"], { env: { JIRA_USERNAME: jira.user, JIRA_API_TOKEN: password } });
      seen.set(`discover (${password === CANARY.jiraPassword ? "right" : "wrong"} password)`, run.stdout + run.stderr);
    }
  });

  it("the emulators' request logs", () => {
    seen.set("emulator logs", JSON.stringify(dojo.log) + JSON.stringify(jira.log));
  });

  it("holds for all of the above", () => {
    expect(seen.size).toBe(17);
    const leaks = [...seen].flatMap(([where, text]) => canaries.filter((c) => text.includes(c)).map((c) => `${where}: ${Object.entries(CANARY).find(([, v]) => v === c)![0]}`));
    expect(leaks).toEqual([]);
    expect([...seen.values()].join("\n")).not.toContain(dojo.token);
  });
});
