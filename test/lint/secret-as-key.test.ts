import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

// No secret in lint output: under a secret field even a mapping key is secret. `password: {Hunter2}`
// is a one-key flow mapping in YAML, and an extra key may sit beside a reference.
const CANARY_A = "CanaryFlowKeyPw7731";
const CANARY_B = "CanaryExtraKeyPw4412";
const CANARY_C = "CanaryBlockKeyPw9055";
const doc = (name: string, password: string) =>
  `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: ${name}\nspec:\n  url: https://jira.example.com\n  username: svc\n  password: ${password}\n  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n`;

describe("lint masks a literal password written as a YAML key under a secret field", () => {
  it.each([
    ["password: {<secret>}", `{${CANARY_A}}`, CANARY_A],
    ["password: { fromEnv: X, <secret>: 1 }", `{ fromEnv: JIRA_TOKEN, ${CANARY_B}: 1 }`, CANARY_B],
    ["password:\\n    <secret>:", `\n    ${CANARY_C}:`, CANARY_C],
  ])("%s is not printed (stylish)", async (_label, value, canary) => {
    const dir = await mkdtemp(join(tmpdir(), "lint-secret-key-"));
    await writeFile(join(dir, "instance.yaml"), doc("corp-jira", value));
    const run = await runCli(["lint", dir, "--format", "stylish"]);
    expect(run.status).toBe(1);
    const printed = run.stdout + run.stderr;
    expect(printed.includes(canary), "the canary password reached the stylish output").toBe(false);
  });
});
