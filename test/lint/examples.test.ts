import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { lintPaths } from "../../lint/lint-paths.js";
import { RULES } from "../../lint/rules/index.js";
import { ROOT } from "../helpers/run-cli.js";

describe("examples", () => {
  it("examples/basic lints clean: one instance, three product links", async () => {
    const report = await lintPaths(["examples/basic"], { cwd: ROOT });
    expect(report.results).toEqual([]);
    expect(report.valid.map((v) => v.config.kind).sort()).toEqual(["JiraInstance", "ProductJiraLink", "ProductJiraLink", "ProductJiraLink"]);
  });

  it("examples/multi lints clean: two instances and an engagement link", async () => {
    const report = await lintPaths(["examples/multi"], { cwd: ROOT });
    expect(report.results).toEqual([]);
    const kinds = report.valid.map((v) => v.config.kind);
    expect(kinds.filter((k) => k === "JiraInstance")).toHaveLength(2);
    expect(kinds).toContain("EngagementJiraLink");
  });

  it("examples/broken makes every rule fire at least once", async () => {
    const report = await lintPaths(["examples/broken"], { cwd: ROOT });
    const fired = new Set(report.results.map((r) => r.ruleId));
    expect([...RULES.map((r) => r.id)].filter((id) => !fired.has(id))).toEqual([]);
  });

  it("the two documents of DESIGN.md §3 are valid exactly as written", async () => {
    const source = await readFile(`${ROOT}test/fixtures/design-section-3.yaml`, "utf8");
    // The fixture is a copy of the design's block; keep them in step where the design is at hand.
    const design = await readFile(`${ROOT}../shared/DESIGN.md`, "utf8").catch(() => undefined);
    if (design) expect(/```yaml\n([\s\S]*?)```/.exec(design.slice(design.indexOf("## 3.")))?.[1]).toBe(source);
    const report = await lintPaths(["-"], { cwd: ROOT, stdin: Readable.from([source]) });
    expect(report.results.filter((r) => r.ruleId === "schema" || r.severity === "error")).toEqual([]);
    expect(report.valid).toHaveLength(2);
  });
});
