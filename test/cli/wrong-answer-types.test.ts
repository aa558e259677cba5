import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

// Answers of the wrong type (JSON null, a number where a list goes) are hostile input, reported as
// results for that instance or server, never main's "internal error" (found by an attacker).
let server: Server;
let url = "";
let mode = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const json = (body: string) => res.writeHead(200, { "Content-Type": "application/json" }).end(body);
    if (path === "/rest/api/2/serverInfo") return json('{"deploymentType":"Cloud"}');
    if (path === "/rest/api/2/myself") return json("{}");
    if (path === "/rest/api/2/field") return json(mode === "field" ? "[null]" : "[]");
    if (path === "/rest/api/2/project/PAY") return json(mode === "project" ? "null" : '{"issueTypes":[{"name":"Bug"}]}');
    if (path.startsWith("/rest/api/2/search")) return json(mode === "search" ? '{"issues":5}' : '{"issues":[{"key":"PAY-1","fields":{"status":{"name":"A"}}}]}');
    if (path.startsWith("/rest/api/2/issue/")) return json(mode === "transitions" ? "null" : '{"transitions":[]}');
    if (path === "/api/v2/jira_projects/") return json("null");
    return res.writeHead(404, { "Content-Type": "application/json" }).end("{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

for (const which of ["field", "project", "search", "transitions"]) {
  it(`lint --online: a Jira answering ${which} with the wrong type is a result, not an internal error`, async () => {
    mode = which;
    const dir = await mkdtemp(join(tmpdir(), "wrong-types-"));
    await writeFile(join(dir, ".dojo-jira.yaml"), "rules:\n  insecure-url: off\n");
    await writeFile(join(dir, "j.yaml"), `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: p\nspec:\n  url: ${url}\n  username: u@x.example\n  password: { fromEnv: P_TOKEN }\n  authKind: cloudApiToken\n  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n---\napiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: l\nspec:\n  product: P\n  instance: p\n  projectKey: PAY\n`);
    const run = await runCli(["lint", "--online", "j.yaml", "--format", "json"], { cwd: dir, env: { P_TOKEN: "TypesTokenCanary-0123", DOJO_JIRA_ONLINE_HOSTS: new URL(url).host } });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 1, stderr: "" });
  });
}

it("doctor: a DefectDojo answering a list with JSON null is a finding, not an internal error", async () => {
  const run = await runCli(["doctor"], { env: { DEFECTDOJO_URL: url, DEFECTDOJO_API_TOKEN: "TypesDojoCanary-0123" } });
  expect(run.stderr).not.toContain("internal error");
});
