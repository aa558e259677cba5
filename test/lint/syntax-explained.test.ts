import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { lintPaths } from "../../lint/lint-paths.js";
import { runCli } from "../helpers/run-cli.js";

/** `line:column rule message` of every result, as a user reads them. */
async function lint(text: string): Promise<string[]> {
  const report = await lintPaths(["-"], { stdin: Readable.from([Buffer.from(text)]), stdinName: "doc.yaml" });
  return report.results.map((r) => `${r.range.start.line}:${r.range.start.column} ${r.ruleId} ${r.message}`);
}

const HEAD = "apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: corp-jira\nspec:\n";

describe("YAML mistakes are said in the user's terms, once, on the line to fix", () => {
  it("an over-indented line: one message on that line, naming the key to align with", async () => {
    expect(await lint(`${HEAD}  url: https://corp.atlassian.net\n    username: svc\n  epicNameId: 10011\n`)).toEqual([
      '7:1 yaml-syntax line 7 is indented more than the key above it; indent it like "url" (2 spaces)',
    ]);
  });

  it("two over-indented lines in a row are one mistake", async () => {
    expect(await lint(`${HEAD}  url: https://corp.atlassian.net\n    username: svc\n    epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n`)).toEqual([
      '7:1 yaml-syntax line 7 is indented more than the key above it; indent it like "url" (2 spaces)',
    ]);
  });

  it("an over-indented line after a quoted or commented value, or inside a list item, reads the same", async () => {
    expect(await lint(`${HEAD}  url: "https://corp.atlassian.net"\n    username: svc\n`)).toEqual([
      '7:1 yaml-syntax line 7 is indented more than the key above it; indent it like "url" (2 spaces)',
    ]);
    expect(await lint(`${HEAD}  url: https://corp.atlassian.net  # cloud\n    username: svc\n`)).toEqual([
      '7:1 yaml-syntax line 7 is indented more than the key above it; indent it like "url" (2 spaces)',
    ]);
    expect(await lint("spec:\n  resolutions:\n    - name: Done\n        mapsTo: close\n")).toEqual([
      '4:1 yaml-syntax line 4 is indented more than the key above it; indent it like "name" (6 spaces)',
    ]);
  });

  it("a line indented between two levels names both", async () => {
    expect(await lint(`${HEAD}  url: https://corp.atlassian.net\n username: svc\n`)).toEqual([
      '7:1 yaml-syntax line 7 is indented 1 space, between "spec" (0 spaces) and "url" (2 spaces); indent it like one of them',
    ]);
    // The first child set the level; its siblings below share one message.
    expect(await lint(`${HEAD}    url: https://corp.atlassian.net\n  username: svc\n  epicNameId: 10011\n`)).toEqual([
      '7:1 yaml-syntax line 7 is indented 2 spaces, between "spec" (0 spaces) and "url" (4 spaces); indent it like one of them',
    ]);
  });

  it("a list item out of line with the one above it", async () => {
    expect(await lint("spec:\n  labels:\n    - appsec\n   - defectdojo\n")).toEqual([
      "4:1 yaml-syntax line 4 is indented less than the list item above it; indent it like that item (4 spaces)",
    ]);
  });

  it("a key among list items, and a list item among keys", async () => {
    expect(await lint("- item\nkind: JiraInstance\n")).toEqual([
      '2:1 yaml-syntax line 2 is a key among the "- " list items above it (line 1); one indentation level holds either keys or "- " items, not both',
    ]);
    expect(await lint("spec:\n  url: https://corp.atlassian.net\n  - appsec\n")).toEqual([
      '3:3 yaml-syntax line 3 is a "- " list item among the keys above it (line 2); one indentation level holds either keys or "- " items, not both',
    ]);
  });

  it("a tab used for indentation", async () => {
    expect(await lint(`${HEAD}  url: https://corp.atlassian.net\n\tusername: svc\n`)).toEqual(["7:1 yaml-syntax line 7 is indented with a tab; YAML indents with spaces only"]);
  });

  it("a missing colon, and a colon without a space", async () => {
    expect(await lint(`${HEAD}  url https://corp.atlassian.net\n  username: svc\n`)).toEqual(['6:3 yaml-syntax line 6 has no ":" after its key; write key: value']);
    expect(await lint(`${HEAD}  url: https://corp.atlassian.net\n  username\n`)).toEqual(['7:3 yaml-syntax line 7 has no ":" after its key; write key: value']);
    expect(await lint(`${HEAD}  url:https://corp.atlassian.net\n  username: svc\n`)).toEqual(['6:3 yaml-syntax line 6 needs a space after ":" to separate the key from its value']);
  });

  it('a value holding ": " must be quoted', async () => {
    expect(await lint("spec:\n  jql: summary ~ fix: now\n")).toEqual(['2:8 yaml-syntax the value of "jql" contains ": ", which YAML reads as another key; put the value in quotes']);
  });

  it("an unclosed bracket or quote is reported where it opens", async () => {
    expect(await lint(`${HEAD}  transitions: { reopen: 11, close: 31\n  url: https://corp.atlassian.net\n`)).toEqual([
      "6:16 yaml-syntax this { is not closed: end the mapping with }, or indent the lines that continue it more than its key",
    ]);
    expect(await lint("spec:\n  labels: [appsec, defectdojo\n  url: https://corp.atlassian.net\n")).toEqual([
      "2:11 yaml-syntax this [ is not closed: end the list with ], or indent the lines that continue it more than its key",
    ]);
    expect(await lint('spec:\n  jql: "project = PAY\n  url: https://corp.atlassian.net\n')).toEqual(['2:8 yaml-syntax this " opens a value that is never closed: end the value with "']);
  });

  it("a list started on its key's line", async () => {
    expect(await lint("spec:\n  labels: - appsec\n")).toEqual([
      '2:11 yaml-syntax a list cannot start on its key\'s line: put each "- " item on its own line below the key, indented, or write the list as [a, b]',
    ]);
  });

  it("thousands of broken lines cost about what yaml itself takes: only the first few are explained", async () => {
    const started = Date.now();
    const results = await lint(Array.from({ length: 20_000 }, (_, i) => `k${i}: "v\n`).join(""));
    expect(Date.now() - started).toBeLessThan(15_000); // 60 s when every error looked for its quote
    expect(results[0]).toBe('1:5 yaml-syntax this " opens a value that is never closed: end the value with "');
    expect(results.at(-1)).toMatch(/more syntax errors follow/);
  });

  it("a key quoted in a message is masked when it looks like a credential", async () => {
    const key = "ghp_KeyCanary0123456789abcdefghij";
    expect(await lint(`${HEAD}  ${key}: x\n    username: svc\n`)).toEqual(['7:1 yaml-syntax line 7 is indented more than the key above it; indent it like "***" (2 spaces)']);
  });

  it("the CLI shows the over-indented line itself, and masks the secret around it", async () => {
    const run = await runCli(["lint", "-", "--stdin-filename", "instance.yaml"], { stdin: `${HEAD}  url: https://corp.atlassian.net\n  password: Hunter2IndentCanary\n    username: svc\n` });
    expect(run.stdout).toContain('8:1  error  line 8 is indented more than the key above it; indent it like "password" (2 spaces)  yaml-syntax');
    expect(run.stdout).toMatch(/> 8 \| \*+/);
    expect(run.stdout).not.toContain("Hunter2IndentCanary");
    expect(run.stdout).not.toContain("compact mappings");
    expect(run.status).toBe(1);
  });
});
