import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { Version2Client } from "jira.js";
import { afterEach, describe, expect, it } from "vitest";
import { startJiraEmulator, type JiraEmulator } from "../../emulators/jira/server.js";
import { ROOT } from "../helpers/run-cli.js";

// The Jira emulator met by clients no one here wrote: the `jira` Python package at the version
// DefectDojo pins (3.10.5), making the calls DefectDojo's Jira helper makes when it pushes a finding,
// and jira.js. .ci/run installs the Python client into .cache/jira-client-venv.
const PYTHON = join(ROOT, ".cache/jira-client-venv/bin/python");
let jira: JiraEmulator | undefined;
afterEach(async () => {
  await jira?.close();
  jira = undefined;
});

const calls = (emulator: JiraEmulator) => emulator.log.map((r) => `${r.method} ${r.path}`);

describe.each(["cloud", "datacenter"] as const)("Jira emulator (%s) and DefectDojo's Jira client", (flavour) => {
  it.runIf(existsSync(PYTHON))("a finding's whole life through the `jira` package 3.10.5", async () => {
    jira = await startJiraEmulator({ flavour });
    const { stdout } = await promisify(execFile)(PYTHON, [join(ROOT, "test/emulators/clients/defectdojo_jira_calls.py"), jira.url, jira.user, jira.password, "SEC"]);
    const result = JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, unknown>;
    expect(result).toEqual({
      deployment: flavour === "cloud" ? "Cloud" : "Server",
      key: "SEC-2",
      summary: "SQL injection in /login (updated)",
      labels: ["defectdojo", "payments_api", "CVE-2026-1"],
      priority: "High",
      components: ["backend"],
      status: "Done",
      comments: ["(Ada Auditor): confirmed in staging"],
      epic: "SEC-3",
    });
    expect(jira.issues.get("SEC-2")!.epic).toBe("SEC-3");
    // The create-metadata form DefectDojo's helper picks for this deployment.
    expect(calls(jira)).toContain(flavour === "cloud" ? "GET /rest/api/2/issue/createmeta" : "GET /rest/api/2/issue/createmeta/SEC/issuetypes/1");
    expect(calls(jira)).toEqual(expect.arrayContaining(["GET /rest/api/2/serverInfo", "POST /rest/api/2/issue", "PUT /rest/api/2/issue/10000", "POST /rest/api/2/issue/SEC-2/comment", "POST /rest/agile/1.0/epic/10002/issue", "POST /rest/api/2/issue/SEC-2/transitions"]));
  });

  it("jira.js creates, reads, updates, comments on and transitions an issue; bad fields are 400s by field", async () => {
    jira = await startJiraEmulator({ flavour });
    const client = new Version2Client({ host: jira.url, authentication: { basic: { email: jira.user, apiToken: jira.password } } });
    const created = await client.issues.createIssue({ fields: { project: { key: "SEC" }, issuetype: { name: "Bug" }, summary: "XSS in search", priority: { name: "Medium" }, labels: ["defectdojo"] } });
    await client.issues.editIssue({ issueIdOrKey: created.key, fields: { summary: "XSS in search (verified)" } });
    await client.issueComments.addComment({ issueIdOrKey: created.key, comment: "(Ada): reproduced" } as never);
    await client.issues.doTransition({ issueIdOrKey: created.key, transition: { id: "31" } });
    const issue = await client.issues.getIssue({ issueIdOrKey: created.key });
    expect(issue.fields.summary).toBe("XSS in search (verified)");
    expect(issue.fields.status?.statusCategory?.key).toBe("done");
    expect(issue.fields.priority?.name).toBe("Medium");
    await expect(client.issues.createIssue({ fields: { project: { key: "SEC" }, issuetype: { name: "Bug" }, summary: "x", components: [{ name: "nope" }] } })).rejects.toMatchObject({ status: 400 });
    await expect(client.issues.doTransition({ issueIdOrKey: created.key, transition: { id: "999" } })).rejects.toMatchObject({ status: 400 });
  });
});
