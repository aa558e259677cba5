import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { AnswerTooLarge, MAX_ANSWER_BYTES } from "./bounded-body.js";

/** One HTTP exchange, answered: the status, a header, and the whole body as text. */
export interface Answer {
  status: number;
  header(name: string): string | undefined;
  text: string;
}

export interface Exchange {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Ends the exchange wherever it is (connecting, sending, reading), failing with the signal's reason. */
  signal: AbortSignal;
}

// Node's own HTTP client on keep-alive agents, not fetch: undici's fetch cost about 0.5 ms of CPU per
// request more (web streams for every body), which a provider process spends hundreds of times in a
// deployment, on the cores the engine needs for its checkpoints. Idle sockets do not keep a process alive.
const agents = { "http:": new HttpAgent({ keepAlive: true }), "https:": new HttpsAgent({ keepAlive: true }) };

/**
 * Sends one request and reads its answer, at most `limit` bytes of body: past that the connection is
 * dropped and the exchange fails with AnswerTooLarge, so a hostile or broken server cannot exhaust
 * memory. Redirects are answers like any other (never followed). A failure of the connection keeps
 * the socket error's `code`; the signal's end fails with its reason, as fetch does.
 */
export function exchange(url: URL, request: Exchange, limit = MAX_ANSWER_BYTES): Promise<Answer> {
  const { signal } = request;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<Answer>((resolve, reject) => {
    const fail = (error: unknown) => reject(signal.aborted ? signal.reason : error);
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const body = request.body === undefined ? undefined : Buffer.from(request.body, "utf8");
    const headers = body ? { ...request.headers, "Content-Length": String(body.length) } : request.headers;
    const outgoing = send(url, { method: request.method, headers, agent: agents[url.protocol as keyof typeof agents], signal }, (incoming) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          outgoing.destroy();
          reject(new AnswerTooLarge(limit));
          return;
        }
        chunks.push(chunk);
      });
      incoming.on("error", fail);
      incoming.on("close", () => {
        if (!incoming.complete) fail(Object.assign(new Error("the connection closed before the answer ended"), { code: "ECONNRESET" }));
      });
      incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, header: (name) => headerValue(incoming.headers, name), text: Buffer.concat(chunks).toString("utf8") }));
    });
    outgoing.on("error", fail);
    outgoing.end(body);
  });
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}
