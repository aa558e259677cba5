import { cp, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { LocalStack } from "../../provider/local-stack.js";
import { intercept } from "../helpers/dojo-fixture.js";
import { ROOT } from "../helpers/run-cli.js";

// "No stack traces for bad input", through the real pulumi CLI: Pulumi's dynamic-provider host prints
// `${e}: ${e.stack}` for errors of check, diff, read and delete, so every error leaving the provider
// (a DefectDojoError, a PaginationError, the fail-closed "cannot count" answer) must carry no stack.
const JIRA_TOKEN = "jira-token-errors-9a0c";
let dojo: DefectDojoEmulator;
let stack: LocalStack;
let work: string;
let release: (() => void) | undefined;

const frames = (output: string) => output.split("\n").filter((line) => /^\s+at .+(\.js|\.ts|node:)/.test(line));

beforeAll(async () => {
  const bin = await LocalStack.installCli(ROOT);
  dojo = await startDefectDojoEmulator();
  dojo.seed({ products: [{ name: "Payments API" }, { name: "Web Frontend" }, { name: "Identity Service" }] });
  work = await mkdtemp(join(ROOT, ".demo-errors-"));
  const configDir = join(work, "config");
  await cp(join(ROOT, "examples/basic"), configDir, { recursive: true });
  stack = new LocalStack(ROOT, work, LocalStack.uniqueName("errors"), bin);
  await stack.init({ "defectdojo:url": dojo.url, "defectdojo-jira:configDir": configDir }, { "defectdojo:apiToken": dojo.token, corpJiraToken: JIRA_TOKEN });
  const first = await stack.up();
  if (first.code !== 0) throw new Error(`first up failed:\n${first.output}`);
}, 30 * 60_000);

afterAll(async () => {
  release?.();
  if (stack) {
    await stack.run(["destroy", "--yes"]);
    await stack.remove();
  }
  await dojo?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("a failed delete is a message, not a Node.js stack trace", () => {
  it("a broken DefectDojo whose delete_preview answers 404 (the fail-closed refusal)", async () => {
    release = intercept(dojo, (request) => (request.url.pathname.endsWith("/delete_preview/") ? { status: 404, json: { detail: "Not found." } } : undefined));
    const run = await stack.run(["destroy", "--yes"]);
    release();
    release = undefined;
    expect(run.code).not.toBe(0);
    expect(run.output).toContain("cannot count the Jira issues");
    expect(dojo.db.jira_projects.size).toBe(3);
    expect(frames(run.output), "stack frames printed by pulumi destroy").toEqual([]);
  }, 10 * 60_000);

});
