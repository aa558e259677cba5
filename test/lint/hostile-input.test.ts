import { mkdtemp, mkdir, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { lintPaths } from "../../lint/lint-paths.js";
import type { LintResult } from "../../lint/model.js";
import { runCli } from "../helpers/run-cli.js";

const VALID_LINK = "apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: pay\nspec:\n  product: Payments API\n  instance: corp-jira\n  projectKey: PAY\n";

async function lintText(text: string | Uint8Array): Promise<LintResult[]> {
  return (await lintPaths(["-"], { stdin: Readable.from([Buffer.from(text)]) })).results;
}

const only = (results: LintResult[], ruleId: string) => results.filter((r) => r.ruleId === ruleId);

describe("hostile input gets a positioned message, bounded time and memory", () => {
  it("alias bomb (billion laughs) is refused, not expanded", async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(",")}]`);
    const started = process.hrtime.bigint();
    const results = await lintText(lines.join("\n"));
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(5000);
    expect(only(results, "yaml-syntax").map((r) => r.message)).toEqual([expect.stringContaining("alias bomb")]);
  });

  it("a 20 MB file is refused with a one-line reason", async () => {
    const results = await lintText(Buffer.alloc(20 * 1024 * 1024, "a: b\n"));
    expect(results).toEqual([expect.objectContaining({ ruleId: "yaml-syntax", message: expect.stringMatching(/20\.0 MB, over the 8\.0 MB limit/) })]);
  });

  it("a comment line of 8 million characters is read, not a stack overflow, and masked as a pasted blob", async () => {
    // Found by an attacker: "internal error: Maximum call stack size exceeded", and no report at all.
    const results = await lintText(`${VALID_LINK.replace("projectKey: PAY", "projectKey: PAY\n  bogus: 1")}# ${"x".repeat(8_000_000)}\n`);
    expect(results.map((r) => r.ruleId)).toContain("schema");
  });

  it("nesting 10,000 deep ends in a message, not a stack overflow", async () => {
    const flow = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const block = Array.from({ length: 10_000 }, (_, i) => `${" ".repeat(i)}k:`).join("\n");
    for (const text of [flow, block]) {
      const results = await lintText(text);
      expect(results.length).toBeGreaterThan(0);
      expect(results.every((r) => r.range.start.line >= 1)).toBe(true);
    }
  });

  it("duplicate keys are reported at the second key", async () => {
    const results = await lintText(`${VALID_LINK}  projectKey: PAY2\n`);
    expect(only(results, "duplicate-key")).toEqual([expect.objectContaining({ message: 'duplicate key "projectKey": YAML keeps only one of them', range: expect.objectContaining({ start: { line: 9, column: 3 } }) })]);
  });

  it("duplicate keys are found at any depth, and a 40,000-key mapping is checked in bounded time", async () => {
    const nested = await lintText(`${VALID_LINK}  labels:\n    - { a: 1, a: 2 }\n  customFields:\n    x: 1\n    "x": 2\n    1: a\n    "1": b\n`);
    expect(only(nested, "duplicate-key").map((r) => [r.range.start.line, r.message]).sort()).toEqual([
      [10, 'duplicate key "a": YAML keeps only one of them'],
      [13, 'duplicate key ""x"": YAML keeps only one of them'],
    ]);
    const keys = Array.from({ length: 40_000 }, (_, i) => `    k${i}: v`).join("\n");
    const started = process.hrtime.bigint();
    const big = await lintText(`${VALID_LINK}  customFields:\n${keys}\n    k7: again\n`);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(5000);
    expect(only(big, "duplicate-key").map((r) => r.range.start.line)).toEqual([40_010]);
  });

  it("millions of comment lines are one message, at once, on either reader's path", async () => {
    for (const head of ["a: 1\n", "a:\t1\n"]) {
      const started = process.hrtime.bigint();
      const results = await lintText(`${head}${"#\n".repeat(4_000_000)}b: 2\n`);
      expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(5000);
      expect(results.map((r) => [r.ruleId, r.message, r.range.start.line])).toEqual([["yaml-syntax", "more than 200000 comment lines in one file; not checked", 200_002]]);
    }
  });

  it("__proto__ and constructor keys are unknown fields and pollute nothing", async () => {
    const results = await lintText(`${VALID_LINK}  __proto__: { polluted: true }\n  constructor: { prototype: { polluted: true } }\n`);
    expect(only(results, "schema").map((r) => r.message)).toEqual([expect.stringContaining('"__proto__"'), expect.stringContaining('"constructor"')]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("BOM and CRLF keep positions right", async () => {
    const text = `\uFEFF${VALID_LINK.replace("projectKey: PAY", "projectKey: pay").replace(/\n/g, "\r\n")}`;
    const results = await lintText(text);
    expect(only(results, "project-key-format")[0]?.range.start).toEqual({ line: 8, column: 15 });
  });

  it("invalid UTF-8 is located at its line and column", async () => {
    const bytes = Buffer.concat([Buffer.from("apiVersion: defectdojo-jira/v1\nkind: Jira"), Buffer.from([0xc3, 0x28]), Buffer.from("\n")]);
    const results = await lintText(bytes);
    expect(results).toEqual([expect.objectContaining({ ruleId: "yaml-syntax", message: expect.stringContaining("UTF-8"), range: expect.objectContaining({ start: { line: 2, column: 11 } }) })]);
  });

  it("binary and empty files get one clear message each", async () => {
    expect(await lintText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))).toEqual([expect.objectContaining({ ruleId: "yaml-syntax", message: expect.stringContaining("binary") })]);
    expect(await lintText("")).toEqual([expect.objectContaining({ ruleId: "empty-file" })]);
    expect(await lintText("# only a comment\n---\n")).toEqual([expect.objectContaining({ ruleId: "empty-file" })]);
  });

  it("symlink loops (file and directory) are reported, not followed forever", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dojo-jira-loop-"));
    await mkdir(join(dir, "tree"));
    await writeFile(join(dir, "tree", "ok.yaml"), VALID_LINK.replace("corp-jira", "x"));
    await symlink(join(dir, "tree"), join(dir, "tree", "again"));
    await symlink(join(dir, "tree", "b.yaml"), join(dir, "tree", "a.yaml"));
    await symlink(join(dir, "tree", "a.yaml"), join(dir, "tree", "b.yaml"));
    const report = await lintPaths(["tree"], { cwd: dir });
    expect(report.files.map((f) => f.file).sort()).toEqual(["tree/a.yaml", "tree/b.yaml", "tree/ok.yaml"]);
    expect(only(report.results, "yaml-syntax").map((r) => r.message)).toEqual(["symbolic link loop", "symbolic link loop"]);
  });

  it("the CLI never prints a stack trace for any of these", async () => {
    for (const stdin of [Buffer.from([0xff, 0xfe, 0x00]), "a: [", `${"{".repeat(5000)}`, "- *x"]) {
      const run = await runCli(["lint", "-"], { stdin });
      expect(run.status).toBe(1);
      expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }
  });
});

describe("a tree of many links to one large file", () => {
  it("is read up to eight files at the size limit in all; the rest are named, not read", async () => {
    // Found by an attacker: 300 links to one 8 MB file held 300 copies (2.6 GB).
    const dir = await mkdtemp(join(tmpdir(), "dojo-jira-links-"));
    await writeFile(join(dir, "big.yaml"), `${VALID_LINK}note: ${"x".repeat(60_000)}\n`);
    for (let i = 0; i < 30; i++) await symlink("big.yaml", join(dir, `l${String(i).padStart(2, "0")}.yaml`));
    const report = await lintPaths([dir], { maxFileBytes: 64 * 1024 });
    const notRead = report.files.filter((f) => f.problems.some((p) => p.message.startsWith("not read: the files before it hold the 0.5 MB one run reads")));
    expect(report.files).toHaveLength(31);
    expect(notRead.length).toBe(31 - 8);
  });
});

describe("one long line with thousands of results", () => {
  it("shows each code frame around its own range, escaping only that part of the line", async () => {
    // Found by an attacker: each frame escaped the whole line, so 20,000 results on a 2 MB line
    // took 42 s in the default format (and a 5 MB one minutes).
    const dir = await mkdtemp(join(tmpdir(), "dojo-jira-long-line-"));
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}${"x".repeat(100)}: 1`).join(", ");
    await writeFile(join(dir, "a.yaml"), `apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata: {name: a}\nspec: {${keys}}\n`);
    const run = await runCli(["lint", "a.yaml"], { cwd: dir });
    expect(run.status).toBe(1);
    const frame = run.stdout.split("\n").find((line) => line.startsWith("    > 4 | …") && line.includes("k19999x"));
    expect(frame).toBeDefined();
    expect(frame!.length).toBeLessThanOrEqual("    > 4 | ".length + 160);
  }, 30_000);
});

describe("thousands of documents, each with secrets of its own", () => {
  it("are masked in every message without one pattern of all secrets run over each message", async () => {
    // Found by an attacker: 3,000 instances (784 KB) ran for over a minute, 1,200 took 13 s.
    const dir = await mkdtemp(join(tmpdir(), "dojo-jira-many-secrets-"));
    const instance = (i: number) => `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: i${i}\nspec:\n  url: https://corp${i}.atlassian.net\n  username: svc\n  password: Pw${i}SecretValueX\n  webhookSecret: Wh${i}SecretValueY\n  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n`;
    await writeFile(join(dir, "a.yaml"), Array.from({ length: 3000 }, (_, i) => instance(i)).join("---\n"));
    const run = await runCli(["lint", "a.yaml"], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("literal-secret");
    expect(run.stdout).not.toMatch(/SecretValue/);
  }, 30_000);
});
