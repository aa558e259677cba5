import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliBounded } from "./all-formats.js";

/** Just under the 8 MB file limit: the worst a file that is accepted can hold. */
const HUGE = 2_000_000;

describe("a huge file is refused in bounded time and memory", () => {
  it.each([
    ["empty documents", "---\n"],
    ["document-end markers", "...\n"],
  ])("%s, under a CI-sized heap", async (_name, unit) => {
    const cwd = await mkdtemp(join(tmpdir(), "dojo-jira-documents-"));
    await writeFile(join(cwd, "many.yaml"), unit.repeat(Math.floor((HUGE * 4) / unit.length)));
    const started = Date.now();
    const run = await runCliBounded(["lint", "many.yaml", "--format", "json"], { cwd, nodeArgs: ["--max-old-space-size=256"], timeoutMs: 60_000 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.stderr).not.toMatch(/heap out of memory/);
    expect(run.status).toBe(1);
    const results = (JSON.parse(run.stdout) as { results: Array<{ ruleId: string; message: string; range: { start: { line: number } } }> }).results;
    expect(results.filter((r) => /more than/.test(r.message))).toEqual([
      expect.objectContaining({ ruleId: "yaml-syntax", message: "more than 10000 documents in one file; the rest is not checked", range: expect.objectContaining({ start: expect.objectContaining({ line: 10_001 }) }) }),
    ]);
  }, 90_000);

  it.each([
    ["a block sequence", "- a\n".repeat(HUGE)],
    ["a flow sequence", `[${"a,".repeat(HUGE * 2 - 1)}a]`],
  ])("one document holding %s of two million items is refused as a whole, under a CI-sized heap", async (_name, text) => {
    const cwd = await mkdtemp(join(tmpdir(), "dojo-jira-nodes-"));
    await writeFile(join(cwd, "big.yaml"), text);
    const started = Date.now();
    const run = await runCliBounded(["lint", "big.yaml", "--format", "json"], { cwd, nodeArgs: ["--max-old-space-size=256"], timeoutMs: 60_000 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.stderr).not.toMatch(/heap out of memory/);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).results).toEqual([expect.objectContaining({ ruleId: "yaml-syntax", message: "more than 100000 YAML nodes in one file; not checked" })]);
  }, 90_000);

  it("four million comment lines cost no more than an empty file", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "dojo-jira-documents-"));
    await writeFile(join(cwd, "many.yaml"), "#\n".repeat(HUGE * 2));
    const run = await runCliBounded(["lint", "many.yaml", "--format", "json"], { cwd, nodeArgs: ["--max-old-space-size=256"], timeoutMs: 60_000 });
    expect(run.stderr).not.toMatch(/heap out of memory/);
    expect(JSON.parse(run.stdout).results.map((r: { ruleId: string }) => r.ruleId)).toEqual(["empty-file"]);
  }, 90_000);
});
