import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FORMAT_NAMES, lintInEveryFormat } from "./all-formats.js";

/** What a terminal or a CI log would act on, or hides text: C0 (but newline and tab), DEL, C1, bidi marks and overrides, zero-width characters, Unicode line separators. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/u;

describe("control characters from a linted file are escaped in every format", () => {
  it("escape sequences in values, comments, keys and file names neither reach the terminal nor fake a line", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "dojo-jira-control-"));
    const retitle = "\u001b]0;pwned\u0007";
    const clear = "\u001b[2J\u001b[H";
    const link = (spec: string) => `apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: pay\nspec:\n  product: Payments API\n${spec}`;
    await writeFile(
      join(cwd, "link.yaml"),
      `${link(`  instance: corp-jira\n  projectKey: "pay\\r\\n  1:1  error  fake line"  # ${retitle}${clear}\n`)}---\n${link('  instance: "corp\\e[2J\\u009b31m"\n  projectKey: PAY\n  "x\\e]0;t\\a\\u202e": 1\n  "y\\u061c\\u200b\\u2028\\u2029": 2\n')}`,
    );
    await writeFile(join(cwd, `name${clear}.yaml`), "a: [\n");
    const runs = await lintInEveryFormat(["."], { cwd });
    for (const format of FORMAT_NAMES) {
      expect(runs[format].status, format).toBe(1);
      expect(CONTROL.test(runs[format].stdout), `${format} printed a control character`).toBe(false);
      expect(runs[format].stderr, format).toBe("");
    }
    const results = (JSON.parse(runs.json.stdout) as { results: Array<{ ruleId: string; message: string }> }).results;
    expect(results.filter((r) => r.ruleId === "unknown-instance").map((r) => r.message)).toContainEqual(expect.stringContaining("corp\\u{1b}[2J\\u{9b}31m"));
    expect(results.find((r) => r.ruleId === "project-key-format")?.message).toContain("pay\\u{d}\\u{a}  1:1  error  fake line");
    expect(runs.stylish.stdout).toContain("# \\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{1b}[H");
    expect(runs.stylish.stdout).toContain("name\\u{1b}[2J\\u{1b}[H.yaml");
  });
});
