import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { dojoApi, intercept } from "../helpers/dojo-fixture.js";
import { runCli } from "../helpers/run-cli.js";

// `dojo-jira doctor` against the real emulator, green first, then one planted difference at a time.
let dojo: DefectDojoEmulator;
const TOKEN = "d0c7043d0c7043d0c7043d0c7043d0c7043d0c70";

async function doctor(args: string[] = [], env: Record<string, string | undefined> = {}) {
  // The built CLI as a user runs it; the emulator (and any interception) lives in this process.
  const { status, stdout, stderr } = await runCli(["doctor", ...args], { env: { DEFECTDOJO_URL: dojo.url, DEFECTDOJO_API_TOKEN: TOKEN, ...env } });
  // Whatever happened, neither the token nor the webhook secret is printed.
  const secret = String(dojo.db.system_settings.get(1)!.jira_webhook_secret);
  expect(stdout + stderr).not.toContain(TOKEN);
  expect(stdout + stderr).not.toContain(secret);
  return { status, stdout, stderr };
}

const line = (stdout: string, id: string) => stdout.split("\n").find((l) => l.slice(2).startsWith(`${id}:`));

beforeAll(async () => {
  dojo = await startDefectDojoEmulator({ token: TOKEN });
});
afterAll(() => dojo.close());
beforeEach(() => dojo.reset());

describe("dojo-jira doctor on the emulator", () => {
  it("reports every check green on a fresh emulator, with notes only for what it cannot know, and writes nothing", async () => {
    const run = await doctor();
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`DefectDojo at ${dojo.url}`);
    expect(lines.at(-1)).toBe("no problems");
    for (const id of ["token", "jira_instances", "jira_projects", "delete_preview", "jira_finding_mappings", "transition_fields", "system_settings", "superuser"]) {
      expect(line(run.stdout, id), id).toMatch(/^✔ /);
    }
    expect(line(run.stdout, "version")).toMatch(/^• version: not discoverable/);
    expect(line(run.stdout, "jira_enabled")).toBe("• jira_enabled: Jira is off in System Settings (webhook off): DefectDojo pushes nothing until a JiraSettings document turns it on");
    expect(dojo.log.every((r) => r.method === "GET" || r.method === "OPTIONS")).toBe(true);
  });

  it("reads delete_preview and the mapping fields from real rows when there are some, and sees Jira on", async () => {
    const api = dojoApi(dojo);
    const { products } = (await (await fetch(`${dojo.url}/_emulator/seed`, { method: "POST", body: JSON.stringify({ products: [{ name: "Payments API" }] }) })).json()) as { products: Record<string, number> };
    const link = await api<{ id: number }>("POST", "jira_projects/", { project_key: "PAY", product: products["Payments API"] });
    await fetch(`${dojo.url}/_emulator/jira-issues`, { method: "POST", body: JSON.stringify({ jira_project: link.id, count: 2 }) });
    await api("PATCH", "system_settings/1/", { enable_jira: true, enable_jira_web_hook: true });
    dojo.log.length = 0;
    const run = await doctor();
    expect(run.status).toBe(0);
    expect(line(run.stdout, "delete_preview")).toBe(`✔ delete_preview: answers on jira_projects (read for link ${link.id})`);
    expect(line(run.stdout, "jira_finding_mappings")).toMatch(/^✔ .*\(read from a row\)$/);
    expect(line(run.stdout, "jira_enabled")).toBe("✔ jira_enabled: Jira is on in System Settings (webhook on)");
    expect(dojo.log.every((r) => r.method === "GET" || r.method === "OPTIONS")).toBe(true);
  });

  it("--format json: the same checks as data", async () => {
    const run = await doctor(["--format", "json"]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { defectdojo: string; problems: number; checks: Array<{ id: string; status: string; message: string }> };
    expect(report.defectdojo).toBe(dojo.url);
    expect(report.problems).toBe(0);
    expect(report.checks.map((c) => c.id)).toEqual(["version", "token", "jira_instances", "jira_projects", "delete_preview", "jira_finding_mappings", "transition_fields", "system_settings", "superuser", "jira_enabled"]);
    expect(report.checks.find((c) => c.id === "superuser")!.status).toBe("ok");
  });
});

describe("dojo-jira doctor names each planted difference", () => {
  it("a token whose user is not a superuser (system_settings answers 403)", async () => {
    const undo = intercept(dojo, (request) =>
      request.url.pathname.startsWith("/api/v2/system_settings/") ? { status: 403, json: { detail: "You do not have permission to perform this action." } } : undefined,
    );
    try {
      const run = await doctor();
      expect(run.status).toBe(1);
      expect(line(run.stdout, "superuser")).toBe("✖ superuser: system_settings answers 403 to this token: its user is not a superuser, and pulumi up needs one");
      expect(line(run.stdout, "jira_instances")).toMatch(/^✔ /);
      expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("1 problem");
    } finally {
      undo();
    }
  });

  it("a token that may read system_settings but not change them (OPTIONS offers no PUT)", async () => {
    const undo = intercept(dojo, (request) =>
      request.method === "OPTIONS" && request.url.pathname === "/api/v2/system_settings/1/" ? { status: 200, json: { name: "System Settings", renders: [], parses: [] } } : undefined,
    );
    try {
      const run = await doctor();
      expect(run.status).toBe(1);
      expect(line(run.stdout, "superuser")).toMatch(/^✖ superuser: the token reads system_settings but OPTIONS offers no PUT/);
    } finally {
      undo();
    }
  });

  it("a missing jira_instances route whose older alias still answers", async () => {
    const undo = intercept(dojo, (request) => (request.url.pathname.startsWith("/api/v2/jira_instances/") ? { status: 404, json: { detail: "Not found." } } : undefined));
    try {
      const run = await doctor();
      expect(run.status).toBe(1);
      expect(line(run.stdout, "jira_instances")).toBe("✖ jira_instances: missing; only the older alias jira_configurations answers, and dojo-jira uses jira_instances");
    } finally {
      undo();
    }
  });

  it("a missing delete_preview, and links without the 3.1.100 transition fields", async () => {
    const undo = intercept(dojo, async (request, next) => {
      if (request.url.pathname.endsWith("/delete_preview/")) return { status: 404, json: { detail: "Not found." } };
      if (request.method === "OPTIONS" && request.url.pathname === "/api/v2/jira_projects/") {
        const answer = await next(request);
        const post = (answer.json as { actions: { POST: Record<string, unknown> } }).actions.POST;
        delete post.close_transition_fields;
        delete post.reopen_transition_fields;
        return answer;
      }
      return undefined;
    });
    try {
      const run = await doctor(["--format", "json"]);
      expect(run.status).toBe(1);
      const report = JSON.parse(run.stdout) as { problems: number; checks: Array<{ id: string; status: string; message: string }> };
      expect(report.problems).toBe(2);
      expect(report.checks.find((c) => c.id === "delete_preview")).toMatchObject({ status: "problem", message: expect.stringContaining("answered 404") });
      expect(report.checks.find((c) => c.id === "transition_fields")).toMatchObject({ status: "problem", message: expect.stringContaining("lacks close_transition_fields, reopen_transition_fields") });
    } finally {
      undo();
    }
  });

  it("a token DefectDojo refuses: one line, exit 1, the token not echoed", async () => {
    const run = await doctor([], { DEFECTDOJO_API_TOKEN: "not-the-token-0123456789" });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("✖ token: DefectDojo refuses the token");
    expect(run.stdout).not.toContain("not-the-token-0123456789");
  });

  it("server text is escaped: a hostile version cannot reach the terminal raw", async () => {
    const undo = intercept(dojo, (request) => (request.url.pathname === "/api/v2/oa3/schema/" ? { status: 200, json: { info: { version: "3.2.0\u001b[2J\u202e" } } } : undefined));
    try {
      const run = await doctor();
      expect(line(run.stdout, "version")).toBe("✔ version: DefectDojo 3.2.0\\u{1b}[2J\\u{202e}");
    } finally {
      undo();
    }
  });
});

describe("dojo-jira doctor: usage and an unreachable DefectDojo exit 2", () => {
  it("without a URL or token, with an unknown format, or against a closed port", async () => {
    expect((await doctor([], { DEFECTDOJO_API_TOKEN: undefined })).status).toBe(2);
    const format = await doctor(["--format", "xml"]);
    expect(format.status).toBe(2);
    expect(format.stderr).toContain('unknown format "xml" (accepted: text, json)');
    const closed = await doctor(["--defectdojo-url", "http://127.0.0.1:9"]);
    expect(closed.status).toBe(2);
    expect(closed.stderr).toMatch(/^dojo-jira doctor: DefectDojo is unreachable: .*connection failed/);
    expect(closed.stdout).toBe("");
  });
});
