import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

// A Jira that answers 200 at once, then drips its body one byte every 300 ms, forever: axios' own
// timeout only sees silence, so each call also carries a deadline signal (found by an attacker).
let server: Server;
const open: ServerResponse[] = [];
let url = "";
beforeAll(async () => {
  server = createServer((_req, res) => {
    open.push(res);
    res.writeHead(200, { "Content-Type": "application/json" });
    res.write("[");
    const timer = setInterval(() => res.write(" "), 300);
    res.on("close", () => clearInterval(timer));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of open) res.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

it("lint --online answers within its 10 s per-call bound against a slow-drip Jira", async () => {
  const dir = await mkdtemp(join(tmpdir(), "online-drip-"));
  await writeFile(join(dir, ".dojo-jira.yaml"), "rules:\n  insecure-url: off\n");
  await writeFile(join(dir, "jira.yaml"), `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: drip\nspec:\n  url: ${url}\n  username: svc@corp.example\n  password: { fromEnv: DRIP_TOKEN }\n  epicNameId: 0\n  transitions: { reopen: 11, close: 31 }\n`);
  const started = Date.now();
  const run = runCli(["lint", "--online", "jira.yaml", "--format", "json"], { cwd: dir, env: { DRIP_TOKEN: "DripTokenCanary-0123456789", DOJO_JIRA_ONLINE_HOSTS: new URL(url).host } });
  // Every call is bounded at 10 s, and at most two calls (serverInfo, myself) run in sequence here.
  const outcome = await Promise.race([run.then((r) => r.status), new Promise((r) => setTimeout(() => r("still running"), 40_000))]);
  expect(outcome, `after ${Date.now() - started} ms`).not.toBe("still running");
}, 60_000);
