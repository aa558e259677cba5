import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DefectDojoClient } from "../../provider/client/defectdojo-client.js";
import { JiraWebhooks } from "../../provider/client/jira-webhooks.js";
import { Secret } from "../../provider/secret.js";
import { startEndlessServer } from "../helpers/endless-server.js";

// DefectDojo and Jira answers can be wrong, slow or endless: every read is bounded in size and time.
const LIMIT = 200 * 1024 * 1024;
let endless: Awaited<ReturnType<typeof startEndlessServer>>;
let url: string;

beforeAll(async () => {
  endless = await startEndlessServer(LIMIT);
  url = endless.url;
});
afterAll(() => endless?.close());

describe("a server whose answer never ends", () => {
  it("the DefectDojo client stops reading at 32 MB and says so in one line", async () => {
    const client = new DefectDojoClient({ url, token: new Secret("t".repeat(40)), maxAttempts: 1 });
    const before = process.memoryUsage().rss;
    const error = await client.getInstance(1).catch((e: Error) => e);
    expect(String(error)).toMatch(/larger than 32 MB/);
    expect(endless.served()).toBeLessThan(LIMIT);
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  });

  it("the Jira webhook client stops at 4 MB", async () => {
    const jira = new JiraWebhooks({ url, username: "u", password: new Secret("p"), bearer: false });
    await expect(jira.list()).rejects.toThrow(/larger than 4 MB/);
  });

  it("a Jira that is not there: one line with the socket's code", async () => {
    const gone = new JiraWebhooks({ url: "http://127.0.0.1:1", username: "u", password: new Secret("p"), bearer: false });
    await expect(gone.list()).rejects.toThrow(/^Jira GET webhook: Jira is unreachable \(ECONNREFUSED\)$/);
  });

  it("a server that never answers costs one deadline, not forever", async () => {
    const client = new DefectDojoClient({ url: `${url}/silent`, token: new Secret("t".repeat(40)), deadlineMs: 300, maxAttempts: 2 });
    const started = Date.now();
    await expect(client.getInstance(1)).rejects.toThrow(/failed after retries/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
