import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { leaks, lintInEveryFormat } from "./all-formats.js";

const CANARIES = {
  anchor: "AnchorCanary-h2",
  flowExtraKey: "FlowExtraKeyCanary-h2",
  misspelledKey: "MisspelledCanary-h2",
  linkPassword: "LinkPasswordCanary-h2",
};

const INSTANCE = (name: string, spec: string) =>
  `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: ${name}\nspec:\n  url: https://corp.atlassian.net\n${spec}  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n`;

describe("values of secret fields are masked wherever they sit", () => {
  it("an anchored value, a flow mapping's extra key, a misspelled key and a link's password, in every format", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "dojo-jira-masking-"));
    await writeFile(
      join(cwd, "instances.yaml"),
      [
        INSTANCE("anchor", `  username: &pw ${CANARIES.anchor}\n  password: *pw\n`),
        INSTANCE("flow", `  username: svc\n  password: { fromConfig: corpJiraToken, value: ${CANARIES.flowExtraKey} }\n`),
        INSTANCE("misspelled", `  username: svc\n  pasword: ${CANARIES.misspelledKey}\n`),
      ].join("---\n"),
    );
    await writeFile(
      join(cwd, "link.yaml"),
      `apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: pay\nspec:\n  product: Payments API\n  instance: anchor\n  projectKey: PAY\n  password: ${CANARIES.linkPassword}\n`,
    );
    const runs = await lintInEveryFormat(["."], { cwd });
    expect(leaks(runs, CANARIES)).toEqual([]);
    // Each place is reported (so its code frame was printed), only masked.
    const results = (JSON.parse(runs.json.stdout) as { results: Array<{ file: string; ruleId: string; range: { start: { line: number } } }> }).results;
    expect(results.map((r) => `${r.file}:${r.range.start.line} ${r.ruleId}`)).toEqual(
      expect.arrayContaining(["instances.yaml:8 literal-secret", "instances.yaml:19 schema", "instances.yaml:30 schema", "link.yaml:9 schema"]),
    );
    expect(runs.stylish.stdout).toMatch(/username: &pw \*{15}/);
    expect(runs.stylish.stdout).toMatch(/\*{5}: \*{21} \}/); // under a secret field the extra key is masked too
    expect(runs.stylish.stdout).toMatch(/fromConfig: corpJiraToken/);
  });
});

describe("secrets written so that YAML reads them otherwise (found by an attacker)", () => {
  const LINK = "apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: pay\nspec:\n  product: Payments API\n  instance: corp-jira\n  projectKey: PAY\n";
  it.each([
    ["a password glued to its key in a flow mapping", `  username: svc\n  password:GluedFlowCanary-h3\n`, "GluedFlowCanary-h3", "flow"],
    ["a password glued to its key in a block mapping", `  username: svc\n  password:GluedBlockCanary-h3\n`, "GluedBlockCanary-h3", "block"],
    ["a URL password with a doubled quote", `  username: svc\n  password: { fromEnv: X }\n`, "It'sQuotedCanary-h3", "url:'https://svc:It''sQuotedCanary-h3@corp.atlassian.net/'"],
    ["a URL password with escapes", `  username: svc\n  password: { fromEnv: X }\n`, "S3cretEscapedCanary-h3!", 'url:"https://svc:S\\x33cretEscapedCanary-h3\\x21@corp.atlassian.net/"'],
    ["short secret keys (pass, pw, key, auth)", `  username: svc\n  password: { fromEnv: X }\n  pass: ShortKeyCanary-h3\n  pw: ShortKeyCanary-h3a\n  key: ShortKeyCanary-h3b\n  auth: ShortKeyCanary-h3c\n`, "ShortKeyCanary-h3", "block"],
    ["a secret in a comment written with = or ->", `  username: svc\n  password: { fromEnv: X }\n# old password=CommentedCanary-h3 (export JIRA_TOKEN=CommentedCanary-h3b)\n# webhookSecret -> CommentedCanary-h3c\n  bogus: 1\n`, "CommentedCanary-h3", "block"],
    ["a value under an alias of a secret key's name", `  username: svc\n  *k : AliasKeyCanary-h3\n`, "AliasKeyCanary-h3", "aliasKey"],
    ["a URL password folded over two lines", `  username: svc\n  password: { fromEnv: X }\n`, "FoldedCanary-h3", 'url:"https://svc:Folded\\\n    Canary-h3@corp.atlassian.net/"'],
  ])("%s is masked in every format", async (_, spec, canary, shape) => {
    const cwd = await mkdtemp(join(tmpdir(), "dojo-jira-masking-"));
    let instance = INSTANCE("corp-jira", spec);
    if (shape === "flow") instance = `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata: {name: corp-jira}\nspec: {url: "https://corp.atlassian.net", username: svc, password:${canary}, epicNameId: 10011, transitions: {reopen: 11, close: 31}}\n`;
    if (shape === "aliasKey") instance = instance.replace("metadata:\n  name: corp-jira\n", "metadata:\n  name: corp-jira\n  labels: &k password\n");
    if (shape.startsWith("url:")) instance = instance.replace("  url: https://corp.atlassian.net\n", `  url: ${shape.slice(4)}\n`);
    await writeFile(join(cwd, "instance.yaml"), instance);
    await writeFile(join(cwd, "link.yaml"), LINK);
    const runs = await lintInEveryFormat(["."], { cwd });
    expect(leaks(runs, { canary, tail: canary.slice(-9) })).toEqual([]);
    expect(runs.json.status).toBe(1); // reported, so its place was printed
  });
});
