import { createHash } from "node:crypto";
import type { Version2Client } from "jira.js";
import { CliUsageError } from "../../cli/io.js";
import type { Secret } from "../../provider/secret.js";

/** One GET's outcome: the body, or what went wrong in words that hold no secret. */
export type Answer = { ok: true; data: unknown } | { ok: false; status?: number; problem: string };

export interface SiteLogin {
  url: string;
  username: string;
  secret: Secret;
  /** Data Center PATs go as Bearer; everything else as Basic, as DefectDojo sends them. */
  bearer: boolean;
}

type JiraModule = typeof import("jira.js");

/** No Jira answer lint reads is larger: a hostile or broken Jira cannot exhaust memory. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** jira.js is an optional peer dependency: only `--online` needs it, and only then is it loaded. */
export async function loadJira(): Promise<JiraModule> {
  try {
    return await import("jira.js");
  } catch {
    throw new CliUsageError("lint --online needs jira.js (an optional peer dependency): npm install jira.js");
  }
}

/**
 * The Jira calls of one `lint --online` run. Each distinct GET (site and login, path, query) is
 * made once: instances sharing a site and links sharing a project share the answers.
 */
export class JiraSession {
  private readonly clients = new Map<string, Version2Client>();
  private readonly answers = new Map<string, Promise<Answer>>();

  constructor(
    private readonly jira: JiraModule,
    private readonly timeoutMs: number,
  ) {}

  get(login: SiteLogin, path: string, query: Record<string, string | number> = {}): Promise<Answer> {
    const site = loginKey(login);
    const key = `${site} ${path}?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString()}`;
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.send(this.client(site, login), path, query);
      this.answers.set(key, answer);
    }
    return answer;
  }

  private client(site: string, login: SiteLogin): Version2Client {
    let client = this.clients.get(site);
    if (!client) {
      const host = login.url.replace(/\/+$/, "");
      // No retries, no redirects, and at most 4 MB of answer: a lint run should fail fast and say why.
      // (axios' own timeout only sees silence; the per-call signal below bounds a trickling answer too.)
      const baseRequestConfig = { timeout: this.timeoutMs, maxRedirects: 0, maxContentLength: MAX_ANSWER_BYTES, maxBodyLength: MAX_ANSWER_BYTES };
      client = login.bearer
        ? new this.jira.Version2Client({ host, baseRequestConfig: { ...baseRequestConfig, headers: { Authorization: `Bearer ${login.secret.reveal()}` } } })
        : new this.jira.Version2Client({ host, baseRequestConfig, authentication: { basic: { email: login.username, apiToken: login.secret.reveal() } } });
      this.clients.set(site, client);
    }
    return client;
  }

  private async send(client: Version2Client, path: string, query: Record<string, string | number>): Promise<Answer> {
    try {
      return { ok: true, data: await client.sendRequest<unknown>({ url: path, method: "GET", params: query, signal: AbortSignal.timeout(this.timeoutMs) }, undefined as never) };
    } catch (error) {
      return failure(error, this.timeoutMs);
    }
  }
}

/** Identifies a site and login without holding the secret itself. */
function loginKey(login: SiteLogin): string {
  const digest = createHash("sha256").update(login.secret.reveal()).digest("hex").slice(0, 16);
  return `${login.url.replace(/\/+$/, "")}|${login.bearer ? "bearer" : login.username}|${digest}`;
}

/** Only the status or the error code: jira.js errors carry the request, headers included. */
function failure(error: unknown, timeoutMs: number): Answer {
  const e = error as { status?: number; code?: string; response?: { status?: number }; cause?: { code?: string; status?: number } };
  const status = e.status ?? e.response?.status ?? e.cause?.status;
  if (typeof status === "number") return { ok: false, status, problem: `Jira answered ${status}` };
  const code = e.code ?? e.cause?.code;
  if (code === "ECONNABORTED" || code === "ETIMEDOUT" || code === "ERR_CANCELED") return { ok: false, problem: `no answer within ${timeoutMs / 1000} s` };
  if (/maxContentLength/.test(String((error as Error)?.message))) return { ok: false, problem: `the answer is larger than ${MAX_ANSWER_BYTES / (1024 * 1024)} MB` };
  return { ok: false, problem: `unreachable (${typeof code === "string" && /^[A-Z_]{2,40}$/.test(code) ? code : "network error"})` };
}
