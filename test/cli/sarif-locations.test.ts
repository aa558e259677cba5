import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

// Code scanning places a result by resolving its artifact URI against %SRCROOT%: each location in
// dojo-jira's SARIF must resolve to the very file linted, for relative and absolute operands alike.
const require = createRequire(import.meta.url);
const BAD_LINK = "apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: payments\nspec:\n  product: Payments API\n  instance: nowhere\n  projectKey: PAY\n";
let work: string;

beforeAll(async () => {
  work = await realpath(await mkdtemp(join(tmpdir(), "dojo-jira-sarif-")));
  await mkdir(join(work, "repo", "config"), { recursive: true });
  await mkdir(join(work, "shared"));
  await writeFile(join(work, "repo", "config", "links.yaml"), BAD_LINK);
  await writeFile(join(work, "shared", "more links.yaml"), BAD_LINK.replace("payments", "billing").replace("Payments API", "Billing"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe("SARIF locations", () => {
  it("a relative and an absolute operand: valid SARIF 2.1.0, every location resolves to its file", async () => {
    const cwd = join(work, "repo");
    const run = await runCli(["lint", "config", join(work, "shared"), "--format", "sarif"], { cwd });
    expect(run.status, run.stderr).toBe(1);
    const log = JSON.parse(run.stdout) as { runs: Array<{ originalUriBaseIds: Record<string, { uri: string }>; results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }> }> }> };
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json") as object);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const run0 = log.runs[0]!;
    expect(run0.originalUriBaseIds["%SRCROOT%"]!.uri).toBe(`${pathToFileURL(cwd).href}/`);
    const resolved = new Set(
      run0.results.map(({ locations: [location] }) => {
        const { uri, uriBaseId } = location!.physicalLocation.artifactLocation;
        return uriBaseId ? new URL(uri, run0.originalUriBaseIds[uriBaseId]!.uri).href : new URL(uri).href;
      }),
    );
    expect(resolved).toEqual(new Set([pathToFileURL(join(cwd, "config", "links.yaml")).href, pathToFileURL(join(work, "shared", "more links.yaml")).href]));
    const locations = run0.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
    expect(locations).toContainEqual({ uri: "config/links.yaml", uriBaseId: "%SRCROOT%" });
    expect(locations).toContainEqual({ uri: pathToFileURL(join(work, "shared", "more links.yaml")).href });
  });
});
