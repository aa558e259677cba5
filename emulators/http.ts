import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One logged request: never headers or bodies, so never a secret. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  fault?: string;
  /** Top-level keys of a JSON write body: which fields a PATCH touched, never their values. */
  fields?: string[];
}

export interface EmulatorRequest {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  /** Raw body text ("" when none). */
  body: string;
}

export interface EmulatorResponse {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export type FaultKind = "500" | "502" | "503" | "429" | "reset" | "slow" | "html" | "badjson";
export const FAULT_KINDS: readonly FaultKind[] = ["500", "502", "503", "429", "reset", "slow", "html", "badjson"];

export interface FaultSettings {
  rate: number;
  kinds: FaultKind[];
  seed: number;
  /** Seconds sent in Retry-After with 429s. */
  retryAfter: number;
  /** Extra latency for "slow" faults, and for every call when `latencyMs` is set. */
  slowMs: number;
  latencyMs: number;
}

export const NO_FAULTS: FaultSettings = { rate: 0, kinds: [...FAULT_KINDS], seed: 1, retryAfter: 1, slowMs: 300, latencyMs: 0 };

/** Deterministic PRNG (mulberry32), so a fault run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  settings: FaultSettings = { ...NO_FAULTS };
  private random = seededRandom(1);

  configure(input: unknown): FaultSettings {
    const body = (input ?? {}) as Partial<Record<keyof FaultSettings, unknown>>;
    const rate = Number(body.rate ?? 0);
    if (!(rate >= 0 && rate <= 1)) throw new Error("rate must be between 0 and 1");
    const kinds = (Array.isArray(body.kinds) ? body.kinds : FAULT_KINDS).map(String);
    const unknown = kinds.filter((k) => !FAULT_KINDS.includes(k as FaultKind));
    if (unknown.length > 0) throw new Error(`unknown fault kinds: ${unknown.join(", ")} (known: ${FAULT_KINDS.join(", ")})`);
    const numberOr = (value: unknown, fallback: number) => (value === undefined ? fallback : Number(value));
    this.settings = {
      rate,
      kinds: kinds as FaultKind[],
      seed: numberOr(body.seed, 1),
      retryAfter: numberOr(body.retryAfter, 1),
      slowMs: numberOr(body.slowMs, 300),
      latencyMs: numberOr(body.latencyMs, 0),
    };
    this.random = seededRandom(this.settings.seed);
    return this.settings;
  }

  /** The fault for this call, if any. */
  draw(): FaultKind | undefined {
    if (this.settings.rate <= 0 || this.settings.kinds.length === 0) return undefined;
    if (this.random() >= this.settings.rate) return undefined;
    return this.settings.kinds[Math.floor(this.random() * this.settings.kinds.length)];
  }
}

export type Handler = (request: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server with fault injection and a request log. `apply` decides whether a
 * faulted request is processed first (outcome unknown to the client) or refused outright.
 */
export async function serve(options: {
  port?: number;
  handle: Handler;
  faults: FaultInjector;
  log: LoggedRequest[];
  isControl: (path: string) => boolean;
}): Promise<RunningServer> {
  const server = createServer((req, res) => void respond(req, res, options));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** The path as the request log keeps it: DefectDojo's webhook URL carries the webhook secret, which the log never holds. */
function loggedPath(path: string): string {
  return path.replace(/^(\/(?:jira\/)?webhook\/)[^/]+/, "$1[secret]");
}

async function respond(
  req: IncomingMessage,
  res: ServerResponse,
  options: { handle: Handler; faults: FaultInjector; log: LoggedRequest[]; isControl: (path: string) => boolean },
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      res.writeHead(413).end();
      return;
    }
    chunks.push(chunk as Buffer);
  }
  const request: EmulatorRequest = { method: req.method ?? "GET", url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
  const control = options.isControl(url.pathname);
  const fault = control ? undefined : options.faults.draw();
  const entry: LoggedRequest = { method: request.method, path: loggedPath(url.pathname), query: Object.fromEntries(url.searchParams), status: 0, ...(fault ? { fault } : {}) };
  const fields = request.method === "GET" ? undefined : bodyKeys(request.body);
  if (fields) entry.fields = fields;
  if (!control) options.log.push(entry);
  const { latencyMs, slowMs, retryAfter } = options.faults.settings;
  if (!control && (latencyMs > 0 || fault === "slow")) await sleep(latencyMs + (fault === "slow" ? slowMs : 0));

  // Refused before processing: the server state does not change.
  if (fault === "500" || fault === "502" || fault === "503" || fault === "html") {
    entry.status = fault === "html" ? 502 : Number(fault);
    if (fault === "html") return send(res, { status: 502, text: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>", contentType: "text/html" });
    return send(res, { status: entry.status, json: { message: "Internal server error, check logs for details" } });
  }
  if (fault === "429") {
    entry.status = 429;
    return send(res, { status: 429, json: { detail: `Request was throttled. Expected available in ${retryAfter} seconds.` }, headers: { "Retry-After": String(retryAfter) } });
  }
  let response: EmulatorResponse;
  try {
    response = await options.handle(request);
  } catch (error) {
    response = { status: 500, json: { message: "Internal server error, check logs for details", detail: (error as Error).message } };
  }
  // Processed, then the answer is lost or mangled: the client cannot know what happened.
  if (fault === "reset") {
    entry.status = 0;
    req.socket.destroy();
    return;
  }
  entry.status = response.status;
  if (fault === "badjson") return send(res, { ...response, json: undefined, text: '{"results": [{"id": 1,', contentType: "application/json" });
  send(res, response);
}

function send(res: ServerResponse, response: EmulatorResponse): void {
  const body = response.json !== undefined ? JSON.stringify(response.json) : (response.text ?? "");
  const type = response.contentType ?? (response.json !== undefined ? "application/json" : "text/plain; charset=utf-8");
  res.writeHead(response.status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body), ...response.headers });
  res.end(response.status === 204 ? undefined : body);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function parseJsonBody(body: string): { ok: true; value: unknown } | { ok: false } {
  if (body.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}

function bodyKeys(body: string): string[] | undefined {
  const parsed = parseJsonBody(body);
  return parsed.ok && parsed.value && typeof parsed.value === "object" && !Array.isArray(parsed.value) && body.trim() !== "" ? Object.keys(parsed.value).sort() : undefined;
}

/** What both emulators share: a loopback server with a request log, fault injection and `/_emulator/` control calls. */
export abstract class LoopbackEmulator {
  readonly log: LoggedRequest[] = [];
  readonly faults = new FaultInjector();
  private running?: RunningServer;

  constructor(private readonly port?: number) {}

  get url(): string {
    if (!this.running) throw new Error("emulator not started");
    return this.running.url;
  }

  async start(): Promise<this> {
    this.running = await serve({ port: this.port, handle: (r) => this.handle(r), faults: this.faults, log: this.log, isControl: (p) => p.startsWith("/_emulator/") });
    return this;
  }

  close(): Promise<void> {
    return this.running?.close() ?? Promise.resolve();
  }

  protected abstract handle(request: EmulatorRequest): EmulatorResponse | Promise<EmulatorResponse>;
}
