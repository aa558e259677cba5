import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

// A DefectDojo (or a proxy in front of it) that echoes the Authorization it received in fields
// doctor quotes from successful answers (the OpenAPI info.version, delete_preview's first row):
// every doctor message is scrubbed of the token (found by an attacker).
const TOKEN = "DoctorTokenCanary-0123456789abcdef";
let server: Server;
let url = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    const echoed = (req.headers.authorization ?? "").replace(/^Token /, "");
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const json = (status: number, body: unknown) => res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    if (path === "/api/v2/oa3/schema/") return json(200, { info: { version: `2.50.0 (${echoed})` } });
    if (path === "/api/v2/jira_projects/") return json(200, { count: 1, next: null, previous: null, results: [{ id: 7, close_transition_fields: null, reopen_transition_fields: null }] });
    if (path === "/api/v2/jira_projects/7/delete_preview/") return json(200, { count: 1, next: null, previous: null, results: [{ model: echoed, id: 7, name: "x" }] });
    return json(404, { detail: "Not found." });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

for (const format of ["text", "json"]) {
  it(`doctor --format ${format} never prints the DefectDojo token, even when DefectDojo echoes it`, async () => {
    const run = await runCli(["doctor", "--format", format], { env: { DEFECTDOJO_URL: url, DEFECTDOJO_API_TOKEN: TOKEN } });
    const output = run.stdout + run.stderr;
    expect(run.stdout).toContain("version");
    const count = output.split("TokenCanary").length - 1;
    expect(count, "times the token appears in doctor's output").toBe(0);
  });
}
