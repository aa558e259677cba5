import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "../helpers/run-cli.js";

// Every input within the size limits gets an answer in bounded time: one plain scalar "a+a+a+…"
// (a single YAML node) once made the URL-userinfo pattern backtrack quadratically (160 KB: 14 s).
const runFor = (args: string[], ms: number) =>
  new Promise<{ status: number | null; timedOut: boolean }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: "ignore", timeout: ms, killSignal: "SIGKILL" });
    child.on("close", (status, signal) => resolve({ status, timedOut: signal === "SIGKILL" }));
  });

describe("lint: one long scalar within the size limit", () => {
  it("a scalar just under the 8 MB limit is answered within 15 s", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lint-long-scalar-"));
    const file = join(dir, "x.yaml");
    await writeFile(file, `apiVersion: defectdojo-jira/v1\nkind: Bogus\nmetadata:\n  name: x\nspec:\n  note: ${"a+".repeat(3_900_000)}\n`);
    const run = await runFor(["lint", file, "--format", "json"], 15_000);
    expect(run.timedOut, "lint was still running after 15 s and was killed").toBe(false);
    expect(run.status).toBe(1);
  }, 60_000);
});
