import { readFile, readdir, mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { lintPaths } from "../../lint/lint-paths.js";
import { lintOnline } from "../../lint/online/run.js";
import { EMPTY_REPO_CONFIG } from "../../lint/repo-config.js";
import { ROOT } from "../helpers/run-cli.js";

const INSTANCE = (url: string, password: string) =>
  `apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: slow-jira\nspec:\n  url: ${url}\n  username: svc@corp.example\n  password: ${password}\n  epicNameId: 0\n  transitions: { reopen: 11, close: 31 }\n`;

let hanging: Server;
const sockets: Socket[] = [];
let port = 0;

beforeAll(async () => {
  // Accepts connections and never answers: the worst a Jira behind a broken proxy does.
  hanging = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
  port = (hanging.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => hanging.close(resolve));
});

async function online(yaml: string, env: NodeJS.ProcessEnv, timeoutMs = 500) {
  const dir = await mkdtemp(join(tmpdir(), "dojo-jira-online-bounds-"));
  await writeFile(join(dir, "jira.yaml"), yaml);
  const report = await lintPaths(["jira.yaml"], { cwd: dir });
  const allowedHosts = [...yaml.matchAll(/url: (\S+)/g)].map((m) => new URL(m[1]!).host);
  return (await lintOnline(report, { config: EMPTY_REPO_CONFIG, env, timeoutMs, allowedHosts })).filter((r) => r.ruleId.startsWith("online-"));
}

describe("lint --online: bounded, and quiet about what it cannot do", () => {
  it("a Jira that never answers is one result per instance, within the timeout", async () => {
    const started = Date.now();
    const results = await online(INSTANCE(`http://127.0.0.1:${port}`, "{ fromEnv: SLOW_TOKEN }"), { SLOW_TOKEN: "SlowTokenCanary-0123456789" });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(results.map((r) => [r.ruleId, r.range.start.line, r.message])).toEqual([["online-credentials", 6, expect.stringContaining("no answer within 0.5 s")]]);
    expect(JSON.stringify(results)).not.toContain("SlowTokenCanary");
  });

  it("an unset fromEnv variable is an info result naming the variable, and Jira is not asked", async () => {
    const results = await online(INSTANCE(`http://127.0.0.1:${port}`, "{ fromEnv: NOT_SET_TOKEN }"), {});
    expect(results.map((r) => [r.ruleId, r.severity, r.message])).toEqual([["online-unchecked", "info", "cannot check slow-jira online: environment variable NOT_SET_TOKEN is not set"]]);
    expect(sockets.length).toBe(1);
  });

  it("without jira.js installed, --online is one clear line", async () => {
    vi.resetModules();
    vi.doMock("jira.js", () => {
      throw new Error("Cannot find package 'jira.js'");
    });
    const { loadJira } = await import("../../lint/online/jira.js");
    await expect(loadJira()).rejects.toThrow("lint --online needs jira.js (an optional peer dependency): npm install jira.js");
    vi.doUnmock("jira.js");
  });

  it("offline lint loads no online machinery: the rule files import neither jira.js nor the Jira calls", async () => {
    const dir = join(ROOT, "lint/online/rules");
    const files = [join(ROOT, "lint/online/model.ts"), ...(await readdir(dir)).map((f) => join(dir, f))];
    for (const file of files) expect(await readFile(file, "utf8"), file).not.toMatch(/from "(?:jira\.js|\.\.?\/(?:\.\.\/)?(?:jira|gather|run|secrets)\.js)"/);
    const cli = await readFile(join(ROOT, "lint/cli.ts"), "utf8");
    expect(cli).not.toMatch(/^import .*online\/run/m);
    expect(cli).toContain('await import("./online/run.js")');
  });
});
