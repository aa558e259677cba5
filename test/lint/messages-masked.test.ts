import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { leaks, lintInEveryFormat } from "./all-formats.js";

/** Values that look like credentials, each where a rule quotes the value in its message. */
const CANARIES = {
  urlUserinfo: "UrlPassCanary-7q",
  projectKey: "ATATTProjectKeyCanary0123456789ab",
  instance: "ghp_InstanceCanary0123456789abcd",
  settings: "glpat-SettingsCanary0123456789",
  issueType: "ATATTIssueTypeCanary0123456789abc",
  priority: "ATATTPriorityCanary0123456789abcd",
  resolution: "ATATTResolutionCanary0123456789ab",
  kind: "ghs_KindCanary0123456789abcdefgh",
  apiVersion: "ghs_ApiVersionCanary0123456789ab",
  tokenKey: "ghs_KeyCanary0123456789abcdefghij",
};

const HEAD = (kind: string, name: string) => `apiVersion: defectdojo-jira/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n`;

describe("messages never quote what the code frame masks", () => {
  it("rules that quote a value or a key print *** for a secret-looking one, in every format", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "dojo-jira-messages-"));
    await writeFile(
      join(cwd, "instance.yaml"),
      `${HEAD("JiraInstance", "corp-jira")}  url: https://svc:${CANARIES.urlUserinfo}@corp.atlassian.net/\n  username: svc\n  password: { fromConfig: corpJiraToken }\n  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n` +
        `  defaultIssueType: ${CANARIES.issueType}\n  severityMapping: { critical: ${CANARIES.priority} }\n` +
        `  acceptedResolutions: [${CANARIES.resolution}]\n  falsePositiveResolutions: [${CANARIES.resolution}]\n`,
    );
    await writeFile(
      join(cwd, "links.yaml"),
      [
        `${HEAD("ProductJiraLink", "pay")}  product: Payments API\n  instance: corp-jira\n  projectKey: ${CANARIES.projectKey}\n`,
        `${HEAD("ProductJiraLink", "web")}  product: Web\n  instance: ${CANARIES.instance}\n  projectKey: WEB\n  ${CANARIES.tokenKey}: x\n`,
        `${HEAD("JiraWebhook", "hook")}  instance: corp-jira\n  settings: ${CANARIES.settings}\n  defectDojoUrl: https://dojo.example\n  jql: project = PAY\n`,
        `apiVersion: defectdojo-jira/v1\nkind: ${CANARIES.kind}\nmetadata:\n  name: odd-kind\n`,
        `apiVersion: ${CANARIES.apiVersion}\nkind: JiraInstance\nmetadata:\n  name: odd-version\n`,
      ].join("---\n"),
    );
    const runs = await lintInEveryFormat(["."], { cwd });
    expect(leaks(runs, CANARIES)).toEqual([]);
    const results = (JSON.parse(runs.json.stdout) as { results: Array<{ ruleId: string; message: string }> }).results;
    const fired = new Set(results.map((r) => r.ruleId));
    for (const rule of ["url-trailing-slash", "project-key-format", "unknown-instance", "unknown-settings", "issue-type", "priority-names", "resolution-overlap", "unknown-kind", "schema"]) {
      expect(fired.has(rule), rule).toBe(true);
    }
    expect(results.find((r) => r.ruleId === "url-trailing-slash")?.message).toContain("https://***@corp.atlassian.net//browse/KEY");
    expect(results.find((r) => r.ruleId === "project-key-format")?.message).toMatch(/^project key "\*\*\*" is not a Jira project key/);
  });
});
