import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startJiraEmulator, type JiraEmulator } from "../../emulators/jira/server.js";
import { stackSecretVariable } from "../../lint/online/secrets.js";
import { runCli } from "../helpers/run-cli.js";
import { leaks, lintInEveryFormat } from "./all-formats.js";

/** Passwords and tokens of the emulators: canaries no output may hold. */
const CANARIES = {
  cloudToken: "ATATTCloudTokenCanary0123456789abcdef",
  dcPassword: "DcPasswordCanary-0123456789",
  dcPat: "DcPatCanary-0123456789abcdef",
  stagedToken: "StagedStackSecretCanary-0123456789",
  wrongToken: "WrongTokenCanary-0123456789",
};

let cloud: JiraEmulator;
let datacenter: JiraEmulator;
let plain: JiraEmulator;
let tree: string;
let env: NodeJS.ProcessEnv;

const HEAD = (kind: string, name: string) => `apiVersion: defectdojo-jira/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n`;
const link = (name: string, instance: string, projectKey: string, extra = "") => `${HEAD("ProductJiraLink", name)}  product: ${name}\n  instance: ${instance}\n  projectKey: ${projectKey}\n${extra}`;

beforeAll(async () => {
  cloud = await startJiraEmulator({ flavour: "cloud", password: CANARIES.cloudToken });
  datacenter = await startJiraEmulator({ flavour: "datacenter", password: CANARIES.dcPassword, pat: CANARIES.dcPat });
  // The emulator as it is: no issue search, so the transition check is reported as not done.
  plain = await startJiraEmulator({ flavour: "datacenter", password: CANARIES.dcPassword });
  // A project without issues: Jira shows transitions only from an issue's status, so none can be read.
  plain.issues.clear();
  cloud.seed({
    projects: [{ key: "PAY", components: ["backend", "frontend"], issueTypes: ["Bug", "Task", "Story"] }],
    issues: [{ key: "PAY-1", project: "PAY", status: "To Do" }, { key: "PAY-2", project: "PAY", status: "Done" }, { key: "PAY-3", project: "PAY", status: "To Do" }],
  });
  datacenter.seed({
    projects: [{
      key: "PLAT",
      workflow: [
        { id: "4", name: "Start", to: { name: "In Progress", category: "In Progress" } },
        { id: "3", name: "Reopen", to: { name: "Reopened", category: "To Do" } },
        { id: "2", name: "Close", to: { name: "Closed", category: "Done" } },
      ],
    }],
    issues: [{ key: "PLAT-7", project: "PLAT", status: "In Progress" }],
    priorities: ["Blocker", "Critical", "Major", "Minor", "Trivial"],
  });

  tree = await mkdtemp(join(tmpdir(), "dojo-jira-online-"));
  // The emulators speak plain http on loopback.
  await writeFile(join(tree, ".dojo-jira.yaml"), "rules:\n  insecure-url: off\n");
  // Planted: close transition 41 not in PAY's workflow, priority Blocker unknown on Cloud, default
  // issue type Security missing in PAY, component front-end missing, project NOPE unknown.
  await writeFile(join(tree, "cloud.yaml"), [
    `${HEAD("JiraInstance", "cloud-jira")}  url: ${cloud.url}\n  username: ${cloud.user}\n  password: { fromEnv: CLOUD_JIRA_TOKEN }\n  authKind: cloudApiToken\n  epicNameId: 0\n  transitions: { reopen: 11, close: 41 }\n  severityMapping: { info: Lowest, low: Low, medium: Medium, high: High, critical: Blocker }\n  defaultIssueType: Security\n`,
    link("payments", "cloud-jira", "PAY", "  component: front-end\n"),
    link("ghost", "cloud-jira", "NOPE"),
    // dojo-jira-disable-next-line on the projectKey line, with a reason: suppressed online.
    `${HEAD("ProductJiraLink", "legacy")}  product: legacy\n  instance: cloud-jira\n  # dojo-jira-disable-next-line online-project -- moves to Jira next quarter\n  projectKey: OLD\n`,
  ].join("---\n"));
  // Planted: a Cloud API token against Data Center; epicNameId 10014 is Epic Link, not Epic Name.
  await writeFile(join(tree, "datacenter.yaml"), [
    `${HEAD("JiraInstance", "dc-jira")}  url: ${datacenter.url}\n  username: ${datacenter.user}\n  password: { fromEnv: DC_JIRA_PASSWORD }\n  authKind: cloudApiToken\n  epicNameId: 10014\n  transitions: { reopen: 3, close: 2 }\n  severityMapping: { critical: Blocker, high: Critical }\n`,
    link("platform", "dc-jira", "PLAT"),
  ].join("---\n"));
  // Planted: a stack secret not given to lint, a refused token, an unreachable Jira, a Jira without issue search.
  await writeFile(join(tree, "others.yaml"), [
    `${HEAD("JiraInstance", "staged-jira")}  url: ${cloud.url}\n  username: ${cloud.user}\n  password: { fromConfig: stagedJiraToken }\n  epicNameId: 0\n  transitions: { reopen: 11, close: 31 }\n`,
    `${HEAD("JiraInstance", "refused-jira")}  url: ${cloud.url}\n  username: ${cloud.user}\n  password: { fromEnv: WRONG_JIRA_TOKEN }\n  epicNameId: 0\n  transitions: { reopen: 11, close: 31 }\n`,
    `${HEAD("JiraInstance", "gone-jira")}  url: http://127.0.0.1:9\n  username: svc\n  password: { fromEnv: DC_JIRA_PASSWORD }\n  epicNameId: 0\n  transitions: { reopen: 11, close: 31 }\n`,
    `${HEAD("JiraInstance", "plain-jira")}  url: ${plain.url}\n  username: ${plain.user}\n  password: { fromEnv: DC_JIRA_PASSWORD }\n  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n`,
    link("plain-sec", "plain-jira", "SEC", "  component: backend\n"),
    link("staged", "staged-jira", "SEC"),
    link("refused", "refused-jira", "SEC"),
    link("gone", "gone-jira", "SEC"),
  ].join("---\n"));
  // The hosts this CI job lets credentials go to (never taken from the tree itself).
  const hosts = [cloud.url, datacenter.url, plain.url, "http://127.0.0.1:9"].map((u) => new URL(u).host).join(",");
  env = { CLOUD_JIRA_TOKEN: CANARIES.cloudToken, DC_JIRA_PASSWORD: CANARIES.dcPassword, WRONG_JIRA_TOKEN: CANARIES.wrongToken, DOJO_JIRA_ONLINE_HOSTS: hosts };
}, 30_000);
afterAll(() => Promise.all([cloud.close(), datacenter.close(), plain.close()]));

interface JsonResult {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  message: string;
}

async function lintJson(args: string[], extraEnv: NodeJS.ProcessEnv = env): Promise<{ status: number | null; results: JsonResult[]; stderr: string }> {
  const run = await runCli(["lint", ".", "--format", "json", ...args], { cwd: tree, env: extraEnv });
  const parsed = JSON.parse(run.stdout) as { results?: JsonResult[] } | JsonResult[];
  const results = (Array.isArray(parsed) ? parsed : (parsed.results ?? [])) as Array<JsonResult & { range?: { start: { line: number } } }>;
  return { status: run.status, stderr: run.stderr, results: results.map((r) => ({ ruleId: r.ruleId, severity: r.severity, file: r.file, line: r.line ?? r.range?.start.line ?? 0, message: r.message })) };
}

describe("lint --online against the Jira emulator, Cloud and Data Center", () => {
  it("reports each planted mistake once, on the offending value, with its rule", async () => {
    for (const e of [cloud, datacenter, plain]) e.log.length = 0;
    const { status, results } = await lintJson(["--online"]);
    expect(status).toBe(1);
    const online = results.filter((r) => r.ruleId.startsWith("online-")).map((r) => `${r.file}:${r.line} ${r.ruleId} ${r.severity}`);
    expect(online).toEqual([
      "cloud.yaml:11 online-transition warning",
      "cloud.yaml:12 online-priority error",
      "cloud.yaml:13 online-issue-type error",
      "cloud.yaml:23 online-component error",
      "cloud.yaml:32 online-project error",
      "datacenter.yaml:9 online-auth-kind error",
      "datacenter.yaml:10 online-epic-name error",
      "others.yaml:8 online-unchecked info",
      "others.yaml:19 online-credentials error",
      "others.yaml:28 online-credentials error",
      "others.yaml:43 online-unchecked info",
    ]);
    const message = (rule: string) => results.filter((r) => r.ruleId === rule).map((r) => r.message);
    expect(message("online-transition")).toEqual([expect.stringMatching(/project PAY offers no transition 41 .*31 "Done" -> Done/)]);
    expect(message("online-priority")).toEqual([expect.stringContaining('no priority "Blocker"')]);
    expect(message("online-component")).toEqual([expect.stringContaining('no component "front-end" (did you mean "frontend"?)')]);
    expect(message("online-auth-kind")).toEqual([expect.stringContaining("Cloud API tokens do not exist")]);
    expect(message("online-epic-name")).toEqual([expect.stringContaining('"Epic Link", not the Epic Name field; the Epic Name field is customfield_10011')]);
    expect(message("online-unchecked")).toEqual([
      expect.stringContaining("set DOJO_JIRA_SECRET_STAGED_JIRA_TOKEN"),
      expect.stringContaining("cannot check the transitions of project SEC online"),
    ]);
    expect(message("online-credentials")).toEqual([expect.stringContaining("refused the credentials of refused-jira (401)"), expect.stringContaining("cannot ask Jira at http://127.0.0.1:9 for gone-jira: unreachable (ECONNREFUSED)")]);
    // Blocker and Critical are priorities of the Data Center site: neither online-priority nor
    // priority-names' offline guess (Jira's defaults) speaks there; on Cloud the live answer replaces the guess.
    expect(results.filter((r) => r.ruleId.includes("priority")).map((r) => `${r.file}:${r.line} ${r.ruleId}`)).toEqual(["cloud.yaml:12 online-priority"]);
  });

  it("makes each distinct Jira call once, and only GETs", async () => {
    for (const e of [cloud, datacenter, plain]) e.log.length = 0;
    await lintJson(["--online"]);
    for (const e of [cloud, datacenter, plain]) {
      // Two logins on the Cloud emulator (cloud-jira and refused-jira) share no answers; count per login by path.
      const calls = e.log.map((r) => `${r.method} ${r.path}?${new URLSearchParams(r.query as Record<string, string>).toString()} ${r.status}`);
      expect(e.log.every((r) => r.method === "GET")).toBe(true);
      const ok = calls.filter((c) => !c.endsWith(" 401"));
      expect(ok.length).toBe(new Set(ok).size);
    }
    expect(cloud.log.filter((r) => r.path === "/rest/api/2/project/PAY")).toHaveLength(1);
    expect(cloud.log.filter((r) => r.path === "/rest/api/2/priority")).toHaveLength(1);
  });

  it("a suppression with a reason hides an online result, and is not called unused", async () => {
    const { results } = await lintJson(["--online"]);
    expect(results.filter((r) => r.file === "cloud.yaml" && r.line >= 34)).toEqual([]);
    expect(results.filter((r) => r.message.includes("OLD"))).toEqual([]);
  });

  it("severities come from .dojo-jira.yaml like any rule's", async () => {
    await writeFile(join(tree, "strict.yaml"), "rules:\n  online-unchecked: error\n  online-transition: off\n");
    const { results } = await lintJson(["--online", "--config", "strict.yaml"]);
    expect(results.filter((r) => r.ruleId === "online-unchecked").map((r) => r.severity)).toEqual(["error", "error"]);
    expect(results.filter((r) => r.ruleId === "online-transition")).toEqual([]);
  });

  it("offline lint asks no Jira and reports no online rule", async () => {
    for (const e of [cloud, datacenter, plain]) e.log.length = 0;
    const { results } = await lintJson([]);
    expect(results.filter((r) => r.ruleId.startsWith("online-"))).toEqual([]);
    expect([...cloud.log, ...datacenter.log, ...plain.log]).toEqual([]);
  });

  it("no password or token appears in any format, and every format carries the online results", async () => {
    const runs = await lintInEveryFormat([".", "--online"], { cwd: tree, env: { ...env, DOJO_JIRA_SECRET_STAGED_JIRA_TOKEN: CANARIES.stagedToken } });
    expect(leaks(runs, CANARIES)).toEqual([]);
    for (const run of Object.values(runs)) {
      expect(run.status).toBe(1);
      expect(run.stdout).toContain("online-priority");
    }
    const sarif = JSON.parse(runs.sarif.stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } } }> };
    expect(sarif.runs[0]!.tool.driver.rules.map((r) => r.id)).toContain("online-transition");
  }, 60_000);

  it("a stack secret given as DOJO_JIRA_SECRET_<KEY> is used", async () => {
    expect(stackSecretVariable("stagedJiraToken")).toBe("DOJO_JIRA_SECRET_STAGED_JIRA_TOKEN");
    expect(stackSecretVariable("jira:token")).toBe("DOJO_JIRA_SECRET_JIRA_TOKEN");
    const { results } = await lintJson(["--online"], { ...env, DOJO_JIRA_SECRET_STAGED_JIRA_TOKEN: CANARIES.cloudToken });
    expect(results.filter((r) => r.message.includes("staged"))).toEqual([]);
  });

  it("Data Center PATs are sent as Bearer", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dojo-jira-online-pat-"));
    await writeFile(join(dir, ".dojo-jira.yaml"), "rules:\n  insecure-url: off\n");
    await writeFile(join(dir, "dc.yaml"), [
      `${HEAD("JiraInstance", "dc-jira")}  url: ${datacenter.url}\n  username: ${datacenter.user}\n  password: { fromEnv: DC_PAT }\n  authKind: dataCenterPat\n  epicNameId: 10011\n  transitions: { reopen: 3, close: 2 }\n  severityMapping: { critical: Blocker }\n`,
      link("platform", "dc-jira", "PLAT"),
    ].join("---\n"));
    const run = await runCli(["lint", ".", "--online", "--format", "json"], { cwd: dir, env: { DC_PAT: CANARIES.dcPat, DOJO_JIRA_ONLINE_HOSTS: new URL(datacenter.url).host } });
    const results = (JSON.parse(run.stdout) as { results: Array<{ ruleId: string }> }).results.map((r) => r.ruleId);
    // Blocker is a priority of this Data Center: priority-names' offline guess gives way to the live list.
    expect(results).toEqual(["pat-needs-pro"]);
  });

  it("lists and explains the online rules", async () => {
    const list = await runCli(["lint", "--list-rules"]);
    expect(list.stdout).toMatch(/^online-transition\s+warning\s+\(online\)/m);
    const explain = await runCli(["lint", "--explain", "online-component"]);
    expect(explain.status).toBe(0);
    expect(explain.stdout).toContain("Bad:");
  });
});
