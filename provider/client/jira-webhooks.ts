import { AnswerTooLarge } from "./bounded-body.js";
import { exchange, failureOf, isTimeout, seconds, type Answer } from "./exchange.js";
import { revealSecrets, Secret } from "../secret.js";

/** One webhook of Jira's admin API (`/rest/webhooks/1.0/webhook`). Its `url` holds DefectDojo's secret. */
export interface JiraWebhookRecord {
  id: number;
  /** Jira's own URL of the webhook, from its base URL, whatever host name it was asked by. */
  self: string;
  name: string;
  url: Secret;
  events: string[];
  jql: string | undefined;
  enabled: boolean;
}

export interface JiraSite {
  url: string;
  username: string;
  password: Secret;
  /** A Data Center PAT is sent as Bearer; everything else as Basic. */
  bearer: boolean;
}

const JQL_FILTER = "issue-related-events-section";
export const DEFECTDOJO_EVENTS = ["comment_created", "jira:issue_updated"];

/**
 * Jira's webhook admin API, which jira.js does not cover. Errors name the call and the status,
 * never the webhook URL (it carries the secret).
 */
export class JiraWebhooks {
  constructor(
    private readonly site: JiraSite,
    /** How long one call may take, answer read to its end. */
    private readonly deadlineMs = 30_000,
  ) {}

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const call = `Jira ${method} webhook${path}`;
    const auth = this.site.bearer ? `Bearer ${this.site.password.reveal()}` : `Basic ${Buffer.from(`${this.site.username}:${this.site.password.reveal()}`).toString("base64")}`;
    let answer: Answer;
    try {
      // Never follows a redirect (exchange answers it): it would re-send the body, whose URL carries
      // DefectDojo's webhook secret, wherever Jira points.
      answer = await exchange(new URL(`${this.site.url.replace(/\/+$/, "")}/rest/webhooks/1.0/webhook${path}`), {
        method,
        headers: { Authorization: auth, Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
        body: body ? JSON.stringify(body, revealSecrets) : undefined,
        signal: AbortSignal.timeout(this.deadlineMs),
        // Only a success's body means anything: a redirect, a refusal or an absence is its status.
        readBody: (status) => status >= 200 && status < 300,
      }, 4 * 1024 * 1024);
    } catch (error) {
      if (error instanceof AnswerTooLarge) throw new Error(`${call}: ${error.message}`);
      throw new Error(`${call}: ${isTimeout(error) ? `Jira gave no whole answer within ${seconds(this.deadlineMs)}` : `Jira is unreachable (${failureOf(error)})`}`);
    }
    const { status, text } = answer;
    if (status >= 300 && status < 400) throw new Error(`${call}: answered a redirect (${status}); not followed, since the request carries DefectDojo's webhook secret. Point the JiraInstance url at Jira's final address`);
    if (status === 404) return undefined;
    if (status === 401 || status === 403) throw new Error(`${call}: ${status}; the JiraInstance's credentials must belong to a Jira administrator to manage webhooks`);
    if (status < 200 || status >= 300) throw new Error(`${call}: ${status}`);
    if (status === 204) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`${call}: answered ${status} with a body that is not JSON`);
    }
  }

  async list(): Promise<JiraWebhookRecord[]> {
    const found = await this.call("GET", "");
    if (found !== undefined && !Array.isArray(found)) throw new Error("Jira GET webhook: answered something other than a list of webhooks");
    return (found ?? []).map((w) => this.record(w, "GET webhook"));
  }

  async get(id: number): Promise<JiraWebhookRecord | undefined> {
    const found = await this.call("GET", `/${id}`);
    return found ? this.record(found, `GET webhook/${id}`) : undefined;
  }

  async save(hook: Omit<JiraWebhookRecord, "id" | "self">, id?: number): Promise<JiraWebhookRecord> {
    const body = { name: hook.name, url: hook.url, events: hook.events, filters: hook.jql ? { [JQL_FILTER]: hook.jql } : {}, excludeBody: false, enabled: hook.enabled };
    const [method, path] = id === undefined ? ["POST", ""] : ["PUT", `/${id}`];
    return this.record(await this.call(method, path, body), `${method} webhook${path}`);
  }

  async delete(id: number): Promise<void> {
    await this.call("DELETE", `/${id}`);
  }

  /** A webhook as Jira answered it (`call` names the request, for a message when it is not one). */
  private record(raw: unknown, call: string): JiraWebhookRecord {
    const w = raw as { self: string; name: string; url: string; events?: string[]; filters?: Record<string, string>; enabled?: boolean };
    if (!w || typeof w !== "object" || typeof w.self !== "string" || typeof w.name !== "string" || typeof w.url !== "string") throw new Error(`Jira ${call}: answered ${w === undefined ? "no webhook" : "a webhook without its self, name and url"}`);
    return { id: Number(w.self.split("/").pop()), self: w.self, name: w.name, url: new Secret(w.url), events: w.events ?? [], jql: w.filters?.[JQL_FILTER] || undefined, enabled: w.enabled ?? true };
  }
}
