import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { AnswerTooLarge, BoundedText, MAX_ANSWER_BYTES } from "./bounded-body.js";

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
  /**
   * Whether an answer of this status has a body worth reading (default: every one). One that has not
   * is answered at once with no text and its connection dropped: a redirect or a refusal is known by
   * its status, whatever its body, however large or slow.
   */
  readBody?: (status: number) => boolean;
}

// Node's own HTTP client on keep-alive agents, not fetch: undici's fetch cost about 0.5 ms of CPU per
// request more (web streams for every body), which a provider process spends hundreds of times in a
// deployment, on the cores the engine needs for its checkpoints. Idle sockets do not keep a process alive.
const agents = { "http:": new HttpAgent({ keepAlive: true }), "https:": new HttpsAgent({ keepAlive: true }) };

/**
 * Sends one request and reads its answer, at most `limit` bytes of body: past that the connection is
 * dropped and the exchange fails with AnswerTooLarge, so a hostile or broken server cannot exhaust
 * memory, however it chunks the body. Redirects are answers like any other (never followed); a
 * connection that ends without an answer (a `101 Switching Protocols`, a reset) fails. A failure of
 * the connection keeps the socket error's `code`; the signal's end fails with its reason, as fetch
 * does. Header values are trimmed as fetch trims them, so a token read from a file with its newline works.
 */
export function exchange(url: URL, request: Exchange, limit = MAX_ANSWER_BYTES): Promise<Answer> {
  const { signal } = request;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<Answer>((resolve, reject) => {
    const fail = (error: unknown) => reject(signal.aborted ? signal.reason : error);
    const closed = (what: string) => Object.assign(new Error(`the connection closed ${what}`), { code: "ECONNRESET" });
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const body = request.body === undefined ? undefined : Buffer.from(request.body, "utf8");
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "")]));
    if (body) headers["Content-Length"] = String(body.length);
    let answered = false;
    const outgoing = send(url, { method: request.method, headers, agent: agents[url.protocol as keyof typeof agents], signal }, (incoming) => {
      answered = true;
      const status = incoming.statusCode ?? 0;
      const header = (name: string) => headerValue(incoming.headers, name);
      // No body by definition, whatever a broken server sends after it (fetch ignores it too).
      if (status === 204 || status === 304) {
        incoming.resume();
        resolve({ status, header, text: "" });
        return;
      }
      if (request.readBody && !request.readBody(status)) {
        resolve({ status, header, text: "" });
        outgoing.destroy();
        return;
      }
      const text = new BoundedText(limit);
      incoming.on("data", (chunk: Buffer) => {
        if (text.add(chunk)) return;
        outgoing.destroy();
        reject(new AnswerTooLarge(limit));
      });
      incoming.on("error", fail);
      incoming.on("close", () => {
        if (!incoming.complete) fail(closed("before the answer ended"));
      });
      incoming.on("end", () => resolve({ status, header, text: text.toString() }));
    });
    outgoing.on("error", fail);
    // Without an answer: Node ends a request whose answer switches protocols by closing it, with no error.
    outgoing.on("close", () => {
      if (!answered) fail(closed("without an answer"));
    });
    outgoing.end(body);
  });
}

/** Why an exchange failed, in a word: the socket error's code (ECONNREFUSED), else the error's message (the deadline's "The operation was aborted due to timeout"). */
export function failureOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : error instanceof Error ? error.message : String(error);
}

/** A deadline as its messages give it: "30 s", "0.3 s". */
export function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

/** Whether an exchange ended at its deadline (AbortSignal.timeout's reason). */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === "TimeoutError";
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}
