import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/run-cli.js";

/**
 * Golden CLI scenarios, Spectral style: each test/scenarios/*.scenario file holds a document,
 * a command, the expected exit status and the exact expected stdout (and stderr, when given).
 * `UPDATE_SCENARIOS=1 npx vitest run test/lint/cli-scenarios.test.ts` rewrites the expectations.
 */
const DIR = join(ROOT, "test/scenarios");
const SECTION = /^====(\w+)====\n/m;

function parseScenario(text: string): Record<string, string> {
  const parts = text.split(SECTION);
  const sections: Record<string, string> = {};
  for (let i = 1; i < parts.length; i += 2) sections[parts[i]!] = parts[i + 1] ?? "";
  return sections;
}

function renderScenario(sections: Record<string, string>): string {
  return Object.entries(sections).map(([name, body]) => `====${name}====\n${body}`).join("");
}

const files = (await readdir(DIR)).filter((f) => f.endsWith(".scenario")).sort();

describe("CLI scenarios", () => {
  it.each(files)("%s", async (name) => {
    const path = join(DIR, name);
    const sections = parseScenario(await readFile(path, "utf8"));
    const cwd = await mkdtemp(join(tmpdir(), "dojo-jira-scenario-"));
    if (sections.document !== undefined) await writeFile(join(cwd, "document.yaml"), sections.document);
    if (sections.config !== undefined) await writeFile(join(cwd, ".dojo-jira.yaml"), sections.config);
    const args = sections.command!.trim().split(/\s+/).map((a) => a.replace("{document}", "document.yaml"));
    const run = await runCli(args, { cwd, stdin: sections.stdin });
    if (process.env.UPDATE_SCENARIOS) {
      await writeFile(path, renderScenario({ ...sections, status: `${run.status}\n`, stdout: run.stdout, ...(run.stderr || sections.stderr !== undefined ? { stderr: run.stderr } : {}) }));
      return;
    }
    expect(run.stdout).toBe(sections.stdout ?? "");
    if (sections.stderr !== undefined) expect(run.stderr).toBe(sections.stderr);
    expect(run.status).toBe(Number(sections.status));
  });
});
