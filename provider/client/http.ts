import { setTimeout as sleep } from "node:timers/promises";
import { redact, revealSecrets, Secret } from "../secret.js";
import { AnswerTooLarge } from "./bounded-body.js";
import { exchange, failureOf, isTimeout, seconds, type Answer } from "./exchange.js";
import { adviceFor, DefectDojoError, UnknownOutcomeError } from "./errors.js";

export interface HttpOptions {
  /** Base URL of DefectDojo, e.g. https://dojo.corp.example (no /api/v2). */
  url: string;
  token: Secret;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Overall time for one operation, retries included (default 60 s). */
  deadlineMs?: number;
  /** Attempts per operation (default 6). */
  maxAttempts?: number;
  /** First backoff step (default 200 ms); jittered and doubled per attempt. */
  backoffMs?: number;
  /** One line per HTTP exchange: method, path, status, duration. Never bodies or headers. */
  log?: (line: string) => void;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Attempts for this call (default: the client's maxAttempts); 1 sends it exactly once. */
  attempts?: number;
}

const DEADLINE_MS = 60_000;

/** Whether a call may be sent again when its outcome is unknown: not a POST, whose outcome may be a new object. */
const isIdempotent = (method: string) => method !== "POST";

/** Transport-level failure of one attempt, before classification. */
class AttemptFailed extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly outcomeUnknown = true,
  ) {
    super(message);
  }
}

/**
 * DefectDojo over HTTP: keep-alive (exchange.ts), bounded concurrency, an
 * overall deadline, and retries with jittered backoff for idempotent calls. A POST is never
 * retried blindly: an unknown outcome surfaces as UnknownOutcomeError for the caller to resolve
 * by a natural-key lookup (see DefectDojoClient.createOnce).
 */
export class DefectDojoHttp {
  private readonly base: string;
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly secrets = new Set<string>();

  constructor(private readonly options: HttpOptions) {
    this.base = `${options.url.replace(/\/+$/, "")}/api/v2/`;
    this.secrets.add(options.token.reveal());
  }

  /** Every value that must never appear in an error or log line. */
  remember(secret: Secret): void {
    this.secrets.add(secret.reveal());
  }

  /** Every Secret a request body carries (a rotated password, the webhook secret) is scrubbed from what the answer echoes. */
  private rememberSecretsIn(body: unknown): void {
    if (!body || typeof body !== "object") return;
    for (const value of Object.values(body)) if (value instanceof Secret) this.remember(value);
  }

  /** One operation's whole time, retries included. */
  get deadlineMs(): number {
    return this.options.deadlineMs ?? DEADLINE_MS;
  }

  scrub(text: string): string {
    return redact(text, this.secrets);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const deadline = Date.now() + this.deadlineMs;
    const maxAttempts = options.attempts ?? this.options.maxAttempts ?? 6;
    this.rememberSecretsIn(options.body);
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        return await this.attempt<T>(method, path, options, deadline);
      } catch (error) {
        if (!(error instanceof AttemptFailed)) throw error;
        lastError = error;
        if (!isIdempotent(method) && error.outcomeUnknown) throw new UnknownOutcomeError(`${method} ${path}: ${error.message}`);
        const wait = error.retryAfterMs ?? this.backoff(attempt);
        if (attempt === maxAttempts || Date.now() + wait > deadline) break;
        await sleep(wait);
      }
    }
    throw new DefectDojoError(this.scrub(`${method} ${path} failed after retries: ${lastError?.message ?? "unknown error"}`), 0);
  }

  backoff(attempt: number): number {
    const base = (this.options.backoffMs ?? 200) * 2 ** (attempt - 1);
    return Math.min(10_000, base / 2 + Math.random() * base);
  }

  private async attempt<T>(method: string, path: string, options: RequestOptions, deadline: number): Promise<T> {
    const url = new URL(path.replace(/^\//, ""), this.base);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    await this.acquire();
    const started = Date.now();
    let answer: Answer;
    try {
      answer = await exchange(url, {
        method,
        headers: {
          Authorization: `Token ${this.options.token.reveal()}`,
          Accept: "application/json",
          ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        body: options.body !== undefined ? JSON.stringify(options.body, revealSecrets) : undefined,
        signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
      });
    } catch (error) {
      if (error instanceof AnswerTooLarge) throw new AttemptFailed(error.message, undefined, true);
      throw new AttemptFailed(isTimeout(error) ? `no whole answer within the call's deadline (${seconds(this.deadlineMs)}${isIdempotent(method) ? ", retries included" : ""})` : `connection failed (${failureOf(error)})`);
    } finally {
      this.release();
    }
    const { status, text } = answer;
    this.options.log?.(this.scrub(`${method} ${url.pathname}${url.search} -> ${status} (${Date.now() - started} ms)`));
    if (status === 429) {
      const seconds = Number(answer.header("retry-after"));
      throw new AttemptFailed("rate limited (429)", Number.isFinite(seconds) ? Math.min(seconds, 30) * 1000 : undefined, false);
    }
    const isJson = (answer.header("content-type") ?? "").includes("json");
    let body: unknown;
    if (text !== "") {
      try {
        body = isJson ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
    }
    if (status >= 200 && status < 300) {
      if (status === 204 || text === "") return undefined as T;
      if (body === undefined) throw new AttemptFailed(`answered ${status} with ${isJson ? "malformed JSON" : "a non-JSON body"}`);
      return body as T;
    }
    if (status >= 500) throw new AttemptFailed(`server error ${status}${isJson ? "" : " (HTML error page)"}`, undefined, true);
    throw this.error(method, url.pathname, status, body, isJson);
  }

  private error(method: string, path: string, status: number, body: unknown, isJson: boolean): DefectDojoError {
    const record = body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const fieldErrors: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(record)) {
      if (key === "message" || key === "pro" || key === "detail") continue;
      if (Array.isArray(value)) fieldErrors[key] = value.map((m) => this.scrub(String(m)));
    }
    const detail = typeof record.detail === "string" ? record.detail : undefined;
    const fields = Object.entries(fieldErrors).map(([f, m]) => `${f}: ${m.join(" ")}`).join("; ");
    const what = fields || detail || (typeof record.message === "string" ? record.message : isJson ? "" : "non-JSON error page");
    const advice = adviceFor(status);
    const message = `${method} ${path} -> ${status}${what ? `: ${what}` : ""}${advice ? ` (${advice})` : ""}`;
    return new DefectDojoError(this.scrub(message), status, fieldErrors, typeof record.message === "string" ? this.scrub(record.message) : undefined);
  }

  private async acquire(): Promise<void> {
    if (this.active < (this.options.concurrency ?? 4)) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}
