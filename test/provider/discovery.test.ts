import { spawn } from "node:child_process";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startJiraEmulator, type JiraEmulator } from "../../emulators/jira/server.js";
import { discover } from "../../provider/discovery.js";
import { Secret } from "../../provider/secret.js";
import { ROOT, runCli } from "../helpers/run-cli.js";

let cloud: JiraEmulator;
let datacenter: JiraEmulator;
let hostile: JiraEmulator;

beforeAll(async () => {
  cloud = await startJiraEmulator({ flavour: "cloud" });
  datacenter = await startJiraEmulator({ flavour: "datacenter" });
  datacenter.seed({
    projects: [
      {
        key: "PLAT",
        workflow: [
          { id: "4", name: "Start", to: { name: "In Progress", category: "In Progress" } },
          { id: "5", name: "Resolve", to: { name: "Resolved", category: "Done" } },
          { id: "3", name: "Reopen", to: { name: "Reopened", category: "To Do" } },
          { id: "2", name: "Close", to: { name: "Closed", category: "Done" } },
        ],
      },
    ],
    issues: [{ key: "PLAT-7", project: "PLAT", status: "In Progress" }],
    priorities: ["Blocker", "Critical", "Major", "Minor", "Trivial"],
  });
  // A Jira whose answers are not what DefectDojo can store: a transition id that is not a number,
  // and priority names that would start YAML lines of their own or drive the terminal.
  hostile = await startJiraEmulator({ flavour: "datacenter" });
  hostile.seed({
    projects: [{ key: "ODD", workflow: [{ id: "reopen-1", name: "Reopen\u001b[2J", to: { name: "Open", category: "To Do" } }, { id: "31", name: "Close", to: { name: "Closed", category: "Done" } }] }],
    issues: [{ key: "ODD-1", project: "ODD", status: "Closed" }],
    priorities: ["P1\nepicNameId: 666\ninjected: true", "P2\u001b]0;retitled\u0007"],
  });
});
afterAll(() => Promise.all([cloud.close(), datacenter.close(), hostile.close()]));

describe("Express discovery", () => {
  it("Cloud: transitions found, no Epic Name field reported, default priorities", async () => {
    const found = await discover({ url: cloud.url, username: cloud.user, password: new Secret(cloud.password) }, "SEC-1");
    expect(found).toMatchObject({ deploymentType: "Cloud", epicNameId: undefined, transitions: { reopen: 11, close: 31 }, priorities: ["Highest", "High", "Medium", "Low", "Lowest"] });
    expect(found.problems).toEqual([expect.stringContaining('no "Epic Name" field')]);
  });

  it("Data Center with a PAT: first To Do and first Done transitions in workflow order, Epic Name id", async () => {
    const found = await discover({ url: datacenter.url, pat: new Secret(datacenter.pat) }, "PLAT-7");
    expect(found).toMatchObject({ deploymentType: "Server", epicNameId: 10011, transitions: { reopen: 3, close: 5 }, priorities: ["Blocker", "Critical", "Major", "Minor", "Trivial"], problems: [] });
  });

  it("clear errors: bad credentials, unknown issue, unreachable Jira", async () => {
    await expect(discover({ url: cloud.url, username: cloud.user, password: new Secret("wrong") }, "SEC-1")).rejects.toThrow(/refused the credentials \(401\)/);
    await expect(discover({ url: cloud.url, username: cloud.user, password: new Secret(cloud.password) }, "NOPE-1")).rejects.toThrow(/not found \(404\)/);
    await expect(discover({ url: "http://127.0.0.1:1", username: "u", password: new Secret("p") }, "SEC-1")).rejects.toThrow(/unreachable/);
  });

  it("dojo-jira discover prints a lint-clean spec fragment and never the credential", async () => {
    const run = await runCli(["discover", "--jira-url", datacenter.url, "--issue-key", "PLAT-7"], { env: { JIRA_USERNAME: datacenter.user, JIRA_PASSWORD: datacenter.password } });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("epicNameId: 10011");
    expect(run.stdout).toContain("\nspec:\n  url: http://127.0.0.1:");
    expect(run.stdout).toContain("\n  transitions: { reopen: 3, close: 5 }\n");
    expect(run.stdout).toContain("This site's priorities are: Blocker, Critical, Major, Minor, Trivial");
    expect(run.stdout + run.stderr).not.toContain(datacenter.password);
    const document = `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: dc\n${run.stdout.replace(/^#.*\n/gm, "")}`;
    const lint = await runCli(["lint", "-", "--format", "json"], { stdin: document });
    // The emulator speaks plain http on loopback and no link uses the instance yet; nothing else.
    const rules = new Set((JSON.parse(lint.stdout) as { results: Array<{ ruleId: string }> }).results.map((r) => r.ruleId));
    expect(rules).toEqual(new Set(["insecure-url", "unused-instance"]));
  });

  it("a transition id that is not a number is an error naming it, and Jira's names cannot inject YAML", async () => {
    const found = await discover({ url: hostile.url, pat: new Secret(hostile.pat) }, "ODD-1");
    expect(found.transitions).toEqual({ reopen: undefined, close: 31 });
    expect(found.problems).toEqual([expect.stringContaining('transition "Reopen\\u001b[2J" to "To Do" has id "reopen-1", not a positive whole number')]);

    const run = await runCli(["discover", "--jira-url", hostile.url, "--issue-key", "ODD-1"], { env: { JIRA_PAT: hostile.pat } });
    expect(run.status).toBe(1);
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(run.stdout).not.toContain(".nan");
    expect(run.stdout).toContain(String.raw`# This site's priorities are: P1\u{a}epicNameId: 666\u{a}injected: true, P2\u{1b}]0;retitled\u{7}.`);
    expect(run.stdout).toMatch(/^# PROBLEM: transition "Reopen\\u001b\[2J" to "To Do" has id "reopen-1", not a positive whole number/m);
    const documents = parseAllDocuments(run.stdout);
    expect(documents).toHaveLength(1);
    expect(documents[0]!.errors).toEqual([]);
    // Only what was discovered: no injected keys, and no transitions while one id is unusable.
    expect(Object.keys(documents[0]!.toJS().spec as object)).toEqual(["url", "password", "authKind", "epicNameId"]);
  });
});

describe("npm run emulators", () => {
  it("prints one JSON line with both emulators and stops on Ctrl-C", async () => {
    const child = spawn(process.execPath, ["dist/emulators/cli.js", "--token", "t0ken", "--jira-flavour", "datacenter"], { cwd: ROOT });
    const line = await new Promise<string>((resolve) => child.stdout.once("data", (d: Buffer) => resolve(d.toString())));
    const info = JSON.parse(line) as { defectdojo: { url: string; token: string }; jira: { url: string; user: string; password: string; pat: string } };
    expect(info.defectdojo.token).toBe("t0ken");
    expect((await fetch(`${info.defectdojo.url}/api/v2/jira_instances/`)).status).toBe(403);
    expect((await fetch(`${info.jira.url}/rest/api/2/serverInfo`, { headers: { Authorization: `Bearer ${info.jira.pat}` } })).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });
});
