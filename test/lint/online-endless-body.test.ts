import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

// A Jira whose 200 answer is 256 MB of JSON whitespace (a stand-in for "never ends", capped so the
// test cannot eat the machine): lint reads at most 4 MB of any Jira answer (found by an attacker).
const LIMIT = 256 * 1024 * 1024;
let server: Server;
let url = "";
let served = 0;
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (served < LIMIT) {
        served += chunk.length;
        if (!res.write(chunk)) return;
      }
      res.end();
    };
    res.on("drain", pump);
    pump();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

it("lint --online reads a bounded amount of a Jira answer (DefectDojo's are cut at 32 MB)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "online-endless-"));
  await writeFile(join(dir, ".dojo-jira.yaml"), "rules:\n  insecure-url: off\n");
  await writeFile(join(dir, "jira.yaml"), `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: endless\nspec:\n  url: ${url}\n  username: svc@corp.example\n  password: { fromEnv: ENDLESS_TOKEN }\n  epicNameId: 0\n  transitions: { reopen: 11, close: 31 }\n`);
  await runCli(["lint", "--online", "jira.yaml", "--format", "json"], { cwd: dir, env: { ENDLESS_TOKEN: "EndlessTokenCanary-0123456789", DOJO_JIRA_ONLINE_HOSTS: new URL(url).host } });
  expect(Math.round(served / 1024 / 1024), "MB of one Jira answer read by lint --online").toBeLessThanOrEqual(64);
}, 120_000);
