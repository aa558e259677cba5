import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { lintPaths } from "../../lint/lint-paths.js";

describe("stdin is read up to the size limit, not whole", () => {
  it("an endless pipe gives one clear result and stops being read at the limit", async () => {
    let produced = 0;
    const chunk = Buffer.from("# filler line\n".repeat(4096));
    const endless = new Readable({
      read() {
        produced += chunk.byteLength;
        this.push(chunk);
      },
    });
    const report = await lintPaths(["-"], { cwd: process.cwd(), stdin: endless, maxFileBytes: 1024 * 1024 });
    expect(report.results.map((r) => [r.ruleId, r.message])).toEqual([["yaml-syntax", expect.stringMatching(/^stdin is at least 1\.\d+ MB, over the 1(\.0)? MB limit/)]]);
    // Read-ahead may fetch a few chunks past the limit, never the whole (endless) input.
    expect(produced).toBeLessThan(2 * 1024 * 1024);
  });

  it("stdin within the limit is linted as before", async () => {
    const report = await lintPaths(["-"], { cwd: process.cwd(), stdin: Readable.from([Buffer.from("apiVersion: defectdojo-jira/v1\nkind: Nope\n")]) });
    expect(report.results.some((r) => r.ruleId === "unknown-kind" || r.ruleId === "schema")).toBe(true);
  });
});
