import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { intercept } from "../helpers/dojo-fixture.js";
import { ROOT, runCli, type CliRun } from "../helpers/run-cli.js";

// A DefectDojo that cannot be read whole must decide nothing: export writes no file, drift reports
// no drift and no "no drift", and both exit 2 (drift's 1 means "drift found", a scheduled check
// must not take a broken server for either answer).
let dojo: DefectDojoEmulator;
let work: string;
let productPages = 0;

beforeAll(async () => {
  dojo = await startDefectDojoEmulator();
  dojo.seed({ products: [{ name: "Payments API" }] });
  work = await mkdtemp(join(tmpdir(), "dojo-jira-unreadable-"));
});
afterAll(async () => {
  await dojo.close();
  await rm(work, { recursive: true, force: true });
});

function expectOneLineFailure(run: CliRun, command: string, reason: RegExp): void {
  expect(run.status, run.stderr).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.stderr.split("\n")).toEqual([expect.stringMatching(new RegExp(`^dojo-jira ${command}: `)), ""]);
  expect(run.stderr).toMatch(reason);
}

describe("export and drift against a DefectDojo that cannot be read", () => {
  it("a server that always offers a next page: one line, exit 2, nothing written", async () => {
    // Every products page is the first one again, with a `next` link and a count it never reaches.
    const stop = intercept(dojo, async (request, next) => {
      if (request.method !== "GET" || request.url.pathname !== "/api/v2/products/") return undefined;
      productPages++;
      request.url.searchParams.delete("offset");
      const page = (await next(request)).json as { count: number; next: string | null };
      return { status: 200, json: { ...page, count: page.count + 10_000, next: `${dojo.url}${request.url.pathname}?limit=250&offset=250` } };
    });
    try {
      const env = { DEFECTDOJO_URL: dojo.url, DEFECTDOJO_API_TOKEN: dojo.token };
      const out = join(work, "endless");
      expectOneLineFailure(await runCli(["export", "--out", out], { env }), "export", /next page/);
      await expect(stat(out)).rejects.toThrow(/ENOENT/);
      expectOneLineFailure(await runCli(["drift", join(ROOT, "examples/basic")], { env }), "drift", /next page/);
      expect(productPages).toBeLessThan(200);
    } finally {
      stop();
    }
  });

  it("a token DefectDojo refuses: the same", async () => {
    const env = { DEFECTDOJO_URL: dojo.url, DEFECTDOJO_API_TOKEN: "not-the-token" };
    const out = join(work, "refused");
    expectOneLineFailure(await runCli(["export", "--out", out], { env }), "export", /403/);
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
    expectOneLineFailure(await runCli(["drift", join(ROOT, "examples/basic")], { env }), "drift", /403/);
  });
});
