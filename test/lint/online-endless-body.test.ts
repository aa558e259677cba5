import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEndlessServer } from "../helpers/endless-server.js";
import { runCli } from "../helpers/run-cli.js";

// A Jira whose 200 answer is 256 MB of JSON whitespace (a stand-in for "never ends", capped so the
// test cannot eat the machine): lint reads at most 4 MB of any Jira answer (found by an attacker).
const LIMIT = 256 * 1024 * 1024;
let endless: Awaited<ReturnType<typeof startEndlessServer>>;
let url = "";
beforeAll(async () => {
  endless = await startEndlessServer(LIMIT);
  url = endless.url;
});
afterAll(() => endless?.close());

it("lint --online reads a bounded amount of a Jira answer (DefectDojo's are cut at 32 MB)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "online-endless-"));
  await writeFile(join(dir, ".dojo-jira.yaml"), "rules:\n  insecure-url: off\n");
  await writeFile(join(dir, "jira.yaml"), `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: endless\nspec:\n  url: ${url}\n  username: svc@corp.example\n  password: { fromEnv: ENDLESS_TOKEN }\n  epicNameId: 0\n  transitions: { reopen: 11, close: 31 }\n`);
  await runCli(["lint", "--online", "jira.yaml", "--format", "json"], { cwd: dir, env: { ENDLESS_TOKEN: "EndlessTokenCanary-0123456789", DOJO_JIRA_ONLINE_HOSTS: new URL(url).host } });
  expect(Math.round(endless.served() / 1024 / 1024), "MB of one Jira answer read by lint --online").toBeLessThanOrEqual(64);
}, 120_000);
