import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startJiraEmulator, type JiraEmulator } from "../../emulators/jira/server.js";
import { discover } from "../../provider/discovery.js";
import { Secret } from "../../provider/secret.js";
import { ROOT, runCli } from "../helpers/run-cli.js";

let cloud: JiraEmulator;
let datacenter: JiraEmulator;

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
});
afterAll(() => Promise.all([cloud.close(), datacenter.close()]));

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
    expect(run.stdout).toContain("transitions: { reopen: 3, close: 5 }");
    expect(run.stdout).toContain("This site's priorities are: Blocker, Critical, Major, Minor, Trivial");
    expect(run.stdout + run.stderr).not.toContain(datacenter.password);
    const document = `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: dc\n${run.stdout.replace(/^#.*\n/gm, "")}`;
    const lint = await runCli(["lint", "-", "--format", "json"], { stdin: document });
    // The emulator speaks plain http on loopback and no link uses the instance yet; nothing else.
    const rules = new Set((JSON.parse(lint.stdout) as { results: Array<{ ruleId: string }> }).results.map((r) => r.ruleId));
    expect(rules).toEqual(new Set(["insecure-url", "unused-instance"]));
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
