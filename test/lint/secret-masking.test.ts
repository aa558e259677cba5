import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FORMAT_NAMES, leaks, lintInEveryFormat } from "./all-formats.js";

/**
 * One distinct canary per place a secret has been seen to slip out. Labels name the place; the
 * values never appear in assertion messages.
 */
const CANARIES = {
  syntaxErrorLine: "SyntaxLineCanary-a1",
  yamlToken: "YamlTokenCanary-a2",
  anchor: "AnchorCanary-a3",
  flowExtraKey: "FlowKeyCanary-a4",
  misspelledKey: "MisspeltCanary-a5",
  linkPassword: "LinkPassCanary-a6",
  urlUserinfo: "UserinfoCanary-a7",
  projectKey: "ATATTProjectKeyCanary0123456789xy",
  instance: "ghp_InstanceCanary0123456789wxyz",
  settings: "glpat-SettingsCanary0123456789z",
  issueType: "ATATTIssueTypeCanary0123456789xyz",
  priority: "ATATTPriorityCanary0123456789wxyz",
  resolution: "ATATTResolutionCanary0123456789xy",
  kind: "ghs_KindCanary0123456789abcdefxy",
  tokenKey: "ghs_TokenKeyCanary0123456789abcdxy",
  duplicateName: "ghs_DuplicateNameCanary0123456789a",
  invalidUtf8: "Utf8FileCanary-a8",
  outsideFile: "OutsideFileCanary-a9",
};

const HEAD = (kind: string, name: string) => `apiVersion: defectdojo-jira/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n`;
const INSTANCE = (name: string, spec: string) => `${HEAD("JiraInstance", name)}  url: https://corp.atlassian.net\n${spec}  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n`;

async function plantedTree(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "dojo-jira-canaries-"));
  const config = join(root, "config");
  await mkdir(config);
  await writeFile(join(root, "outside.yaml"), `spec:\n  password: ${CANARIES.outsideFile}\n`);
  await symlink("../outside.yaml", join(config, "linked.yaml"));
  await writeFile(join(config, "syntax.yaml"), `${HEAD("JiraInstance", "broken")}  password: ${CANARIES.syntaxErrorLine}\n   username: svc\n`);
  await writeFile(join(config, "stream.yaml"), `- item\npassword: ${CANARIES.yamlToken}\n`);
  await writeFile(join(config, "utf8.yaml"), Buffer.concat([Buffer.from(`spec:\n  password: ${CANARIES.invalidUtf8}\n  url: x`), Buffer.from([0xff]), Buffer.from("\n")]));
  await writeFile(
    join(config, "instances.yaml"),
    [
      INSTANCE("corp-jira", `  username: &pw ${CANARIES.anchor}\n  password: *pw\n`),
      INSTANCE("flow", `  username: svc\n  password: { fromConfig: corpJiraToken, value: ${CANARIES.flowExtraKey} }\n`),
      INSTANCE("misspelled", `  username: svc\n  pasword: ${CANARIES.misspelledKey}\n`),
      `${HEAD("JiraInstance", "quoting")}  url: https://svc:${CANARIES.urlUserinfo}@corp.atlassian.net/\n  username: svc\n  password: { fromEnv: JIRA_TOKEN }\n  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n` +
        `  defaultIssueType: ${CANARIES.issueType}\n  severityMapping: { critical: ${CANARIES.priority} }\n` +
        `  acceptedResolutions: [${CANARIES.resolution}]\n  falsePositiveResolutions: [${CANARIES.resolution}]\n`,
    ].join("---\n"),
  );
  await writeFile(
    join(config, "links.yaml"),
    [
      `${HEAD("ProductJiraLink", "pay")}  product: Payments API\n  instance: corp-jira\n  projectKey: ${CANARIES.projectKey}\n`,
      `${HEAD("ProductJiraLink", "web")}  product: Web\n  instance: ${CANARIES.instance}\n  projectKey: WEB\n  ${CANARIES.tokenKey}: x\n`,
      `${HEAD("JiraWebhook", "hook")}  instance: corp-jira\n  settings: ${CANARIES.settings}\n  defectDojoUrl: https://dojo.example\n  jql: project = PAY\n`,
      `apiVersion: defectdojo-jira/v1\nkind: ${CANARIES.kind}\n`,
      `${HEAD("ProductJiraLink", CANARIES.duplicateName)}  product: A\n  instance: corp-jira\n  projectKey: AAA\n`,
      `${HEAD("ProductJiraLink", CANARIES.duplicateName)}  product: B\n  instance: corp-jira\n  projectKey: BBB\n  password: ${CANARIES.linkPassword}\n`,
    ].join("---\n"),
  );
  return root;
}

describe("no secret planted anywhere in a tree reaches any output", () => {
  it("no canary appears in stylish, json, sarif, junit or github output, nor on stderr", async () => {
    const cwd = await plantedTree();
    const runs = await lintInEveryFormat(["config"], { cwd });
    expect(leaks(runs, CANARIES)).toEqual([]);
    for (const format of FORMAT_NAMES) {
      expect(runs[format].status, format).toBe(1);
      expect(runs[format].stderr, format).toBe("");
    }
    // Every planted place was actually reported on, so its frame and message were printed.
    const results = (JSON.parse(runs.json.stdout) as { results: Array<{ file: string; ruleId: string }> }).results;
    const files = new Set(results.map((r) => r.file));
    for (const file of ["config/linked.yaml", "config/syntax.yaml", "config/stream.yaml", "config/utf8.yaml", "config/instances.yaml", "config/links.yaml"]) expect(files.has(file), file).toBe(true);
    const fired = new Set(results.map((r) => r.ruleId));
    for (const rule of ["yaml-syntax", "literal-secret", "schema", "url-trailing-slash", "project-key-format", "issue-type", "priority-names", "resolution-overlap", "unknown-kind", "duplicate-name"]) {
      expect(fired.has(rule), rule).toBe(true);
    }
  });
});
