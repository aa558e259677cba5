import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DefectDojoHttp } from "../../provider/client/http.js";
import { Secret } from "../../provider/secret.js";

// The DefectDojo client's transport (provider/client/exchange.ts, node:http) against raw sockets that
// answer as broken or hostile servers do: each answer here once hung, exhausted memory, leaked a
// secret or was refused where fetch had coped.
let server: Server | undefined;
afterEach(() => server?.close());

/** A server that answers every request with what `answer` writes on the raw socket; `seen` gets each request's text. */
async function rawServer(answer: (socket: Socket, request: string) => void): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  server = createServer((socket) => {
    let text = "";
    socket.on("error", () => {});
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/content-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
      if (text.length < end + 4 + length) return;
      seen.push(text);
      answer(socket, text);
      text = "";
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, seen };
}

const client = (url: string, token = "t".repeat(40)) => new DefectDojoHttp({ url, token: new Secret(token), deadlineMs: 20_000, maxAttempts: 2, backoffMs: 10 });

describe("the DefectDojo client's transport against broken and hostile answers", () => {
  it("an answer that switches protocols (101) fails at once instead of waiting forever", async () => {
    const { url } = await rawServer((socket) => socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"));
    const started = Date.now();
    await expect(client(url).request("GET", "jira_instances/1/")).rejects.toThrow(/failed after retries: connection failed \(ECONNRESET\)/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("a body sent one byte per chunk is read within bounded memory", async () => {
    const size = 512 * 1024;
    const json = Buffer.from(JSON.stringify("a".repeat(size - 2)));
    const chunked = Buffer.alloc(json.length * 6 + 5);
    let at = 0;
    for (const byte of json) {
      at += chunked.write("1\r\n", at, "latin1");
      chunked[at++] = byte;
      at += chunked.write("\r\n", at, "latin1");
    }
    at += chunked.write("0\r\n\r\n", at, "latin1");
    const { url } = await rawServer((socket) => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
      socket.write(chunked.subarray(0, at));
    });
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const answer = await client(url).request<string>("GET", "big/").finally(() => clearInterval(sampler));
    expect(answer).toHaveLength(size - 2);
    // A Buffer per one-byte chunk held about 200 bytes of heap per byte: 100 MB here.
    expect(peak - base).toBeLessThan(40 * 1024 * 1024);
  });

  it("a token read from a file with its newline is sent trimmed, as fetch sent it", async () => {
    const { url, seen } = await rawServer((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"));
    await expect(client(url, `${"t".repeat(40)}\n`).request("GET", "jira_instances/")).resolves.toEqual({});
    expect(seen[0]).toContain(`Authorization: Token ${"t".repeat(40)}\r\n`);
  });

  it("a 204 carrying a body anyway is an empty answer, not a failure", async () => {
    const { url } = await rawServer((socket) => socket.end("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello"));
    await expect(client(url).request("DELETE", "jira_projects/1/", { attempts: 1 })).resolves.toBeUndefined();
  });

  it("a secret the server echoes escaped in JSON (a quote, a backslash) or percent-encoded is not printed", async () => {
    const password = 'pa"ss\\word-S3cret';
    const { url } = await rawServer((socket, request) => {
      const body = request.slice(request.indexOf("\r\n\r\n") + 4);
      const echo = JSON.stringify({ password: [`not valid: ${body}`], url: [`see /x?p=${encodeURIComponent(password)}`] });
      socket.write(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(echo)}\r\n\r\n${echo}`);
    });
    const error = await client(url).request("POST", "jira_instances/", { body: { password: new Secret(password) } }).catch((e: Error & { fieldErrors?: unknown }) => e);
    expect(String(error)).toMatch(/400/);
    expect(`${String(error)} ${JSON.stringify((error as { fieldErrors?: unknown }).fieldErrors)}`).not.toMatch(/S3cret/);
  });
});
