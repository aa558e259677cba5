import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DefectDojoClient } from "../../provider/client/defectdojo-client.js";
import { JiraWebhooks } from "../../provider/jira-webhooks.js";
import { Secret } from "../../provider/secret.js";

// DefectDojo and Jira answers can be wrong, slow or endless: every read is bounded in size and time.
let endless: Server;
let url: string;
let served = 0;

beforeAll(async () => {
  endless = createServer((req, res) => {
    if (req.url?.includes("silent")) return; // never answers
    res.writeHead(200, { "Content-Type": "application/json" });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const pump = () => {
      while (served < 200 * 1024 * 1024 && res.write(chunk)) served += chunk.length;
      if (served >= 200 * 1024 * 1024) res.end();
    };
    res.on("drain", pump);
    res.on("close", () => res.off("drain", pump));
    pump();
  });
  await new Promise<void>((resolve) => endless.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(endless.address() as AddressInfo).port}`;
});
afterAll(() => endless?.close());

describe("a server whose answer never ends", () => {
  it("the DefectDojo client stops reading at 32 MB and says so in one line", async () => {
    const client = new DefectDojoClient({ url, token: new Secret("t".repeat(40)), maxAttempts: 1 });
    const before = process.memoryUsage().rss;
    const error = await client.getInstance(1).catch((e: Error) => e);
    expect(String(error)).toMatch(/larger than 32 MB/);
    expect(served).toBeLessThan(200 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  });

  it("the Jira webhook client stops at 4 MB", async () => {
    const jira = new JiraWebhooks({ url, username: "u", password: new Secret("p"), bearer: false });
    await expect(jira.list()).rejects.toThrow(/larger than 4 MB/);
  });

  it("a server that never answers costs one deadline, not forever", async () => {
    const client = new DefectDojoClient({ url: `${url}/silent`, token: new Secret("t".repeat(40)), deadlineMs: 300, maxAttempts: 2 });
    const started = Date.now();
    await expect(client.getInstance(1)).rejects.toThrow(/failed after retries/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
