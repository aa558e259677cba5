import { randomUUID } from "node:crypto";
import { LoopbackEmulator, parseJsonBody, type EmulatorRequest, type EmulatorResponse } from "../http.js";
import { commentSelf, createMeta, createMetaFields, issueApi, searchIssues, showIssue, type IssueEvent, type IssueRecord } from "./issue-api.js";

export type JiraFlavour = "cloud" | "datacenter";

export interface JiraStatus {
  name: string;
  category: "To Do" | "In Progress" | "Done";
}

export interface JiraTransition {
  id: string;
  name: string;
  to: JiraStatus;
}

export interface JiraEmulatorOptions {
  port?: number;
  flavour?: JiraFlavour;
  user?: string;
  /** Password (Data Center) or API token (Cloud). */
  password?: string;
  /** Data Center personal access token, sent as `Authorization: Bearer …`. */
  pat?: string;
  /** Whether the site has the classic "Epic Name" custom field (new Cloud / team-managed sites do not). */
  epicNameField?: boolean;
  /** People besides the service account (developers who comment on issues), with Basic passwords. */
  people?: JiraPerson[];
}

export interface JiraPerson {
  name: string;
  password: string;
  displayName?: string;
}

/** One webhook call the site made, for tests: never its URL, which carries DefectDojo's secret. */
export interface WebhookDelivery {
  webhook: number;
  event: IssueEvent["event"];
  issue: string;
  /** The receiver's HTTP status, or the network error's code. */
  status: number | string;
  /** The receiver's answer, cut to 300 characters (DefectDojo's receiver answers in plain text). */
  answer: string;
}

const CATEGORY_KEYS = { "To Do": "new", "In Progress": "indeterminate", Done: "done" } as const;
const DEFAULT_PRIORITIES = ["Highest", "High", "Medium", "Low", "Lowest"];
const DEFAULT_WORKFLOW: JiraTransition[] = [
  { id: "11", name: "Reopen", to: { name: "To Do", category: "To Do" } },
  { id: "21", name: "Start Progress", to: { name: "In Progress", category: "In Progress" } },
  { id: "31", name: "Done", to: { name: "Done", category: "Done" } },
];

interface Project {
  id: string;
  key: string;
  name: string;
  components: string[];
  issueTypes: string[];
  workflow: JiraTransition[];
}

interface Webhook {
  id: number;
  name: string;
  url: string;
  events: string[];
  filters: Record<string, string>;
  excludeBody: boolean;
  enabled: boolean;
}

/** A Jira REST emulator (Cloud or Data Center flavour) with what DefectDojo and discovery need. */
export class JiraEmulator extends LoopbackEmulator {
  readonly flavour: JiraFlavour;
  readonly user: string;
  readonly password: string;
  readonly pat: string;
  epicNameField: boolean;
  priorities = [...DEFAULT_PRIORITIES];
  projects = new Map<string, Project>();
  issues = new Map<string, IssueRecord>();
  private nextIssueId = 10_000;
  webhooks = new Map<number, Webhook>();
  private nextWebhook = 1;
  readonly deliveries: WebhookDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: JiraEmulatorOptions = {}) {
    super(options.port);
    this.flavour = options.flavour ?? "cloud";
    this.user = options.user ?? (this.flavour === "cloud" ? "svc-defectdojo@corp.example" : "svc-defectdojo");
    this.password = options.password ?? randomUUID();
    this.pat = options.pat ?? randomUUID();
    this.epicNameField = options.epicNameField ?? this.flavour === "datacenter";
    this.reset();
  }

  reset(): void {
    this.projects.clear();
    this.issues.clear();
    this.webhooks.clear();
    this.deliveries.length = 0;
    this.log.length = 0;
    this.epicNameField = this.options.epicNameField ?? this.flavour === "datacenter";
    this.priorities = [...DEFAULT_PRIORITIES];
    this.seed({ projects: [{ key: "SEC", name: "Security", components: ["backend", "frontend"] }], issues: [{ key: "SEC-1", project: "SEC", status: "To Do" }] });
  }

  /** Adds projects (with optional workflow), issues and priority names. */
  seed(input: {
    projects?: Array<{ key: string; name?: string; components?: string[]; issueTypes?: string[]; workflow?: JiraTransition[] }>;
    issues?: Array<{ key: string; project: string; status?: string }>;
    priorities?: string[];
    epicNameField?: boolean;
  }): void {
    for (const p of input.projects ?? []) {
      this.projects.set(p.key, {
        id: String(10_000 + this.projects.size),
        key: p.key,
        name: p.name ?? p.key,
        components: p.components ?? [],
        issueTypes: p.issueTypes ?? ["Bug", "Task", "Story", "Epic", "Security"],
        workflow: p.workflow ?? DEFAULT_WORKFLOW,
      });
    }
    for (const i of input.issues ?? []) {
      const project = this.projects.get(i.project);
      if (!project) throw new Error(`issue ${i.key}: no project ${i.project}`);
      const status = project.workflow.find((t) => t.to.name === (i.status ?? "To Do"))?.to ?? { name: i.status ?? "To Do", category: "To Do" };
      this.issues.set(i.key, { key: i.key, project: i.project, status });
    }
    if (input.priorities) this.priorities = input.priorities;
    if (input.epicNameField !== undefined) this.epicNameField = input.epicNameField;
  }

  protected handle(request: EmulatorRequest): EmulatorResponse {
    const path = request.url.pathname;
    if (path.startsWith("/_emulator/")) return this.control(request);
    const actor = this.authenticate(request);
    if (typeof actor !== "string") return actor;
    const api = /^\/rest\/api\/(?:2|3|latest)(\/.*)$/.exec(path)?.[1];
    if (api !== undefined) {
      const metaFields = /^\/issue\/createmeta\/([^/]+)\/issuetypes\/([^/]+)$/.exec(api);
      if (request.method === "GET" && api === "/issue/createmeta") return createMeta(this, request.url);
      if (request.method === "GET" && metaFields) return createMetaFields(this, decodeURIComponent(metaFields[1]!), decodeURIComponent(metaFields[2]!));
      const found = request.method === "GET" ? searchIssues(this, api, request.url) : undefined;
      if (found) return found;
      const answer = issueApi(this, request, api, () => this.nextIssueId++, actor);
      if (answer) return answer;
      if (request.method === "GET") return this.api(api, request.url);
    }
    if (path.startsWith("/rest/agile/1.0/")) {
      const answer = issueApi(this, request, path, () => this.nextIssueId++, actor);
      if (answer) return answer;
    }
    const hook = /^\/rest\/webhooks\/1\.0\/webhook(?:\/(\d+))?\/?$/.exec(path);
    if (hook) return this.webhookApi(request, hook[1] === undefined ? undefined : Number(hook[1]));
    return { status: 404, json: { errorMessages: ["The requested resource could not be found."], errors: {} } };
  }

  /** The user a request acts as, or the 401 Jira answers. */
  private authenticate(request: EmulatorRequest): string | EmulatorResponse {
    const header = request.headers.authorization ?? "";
    if (header.startsWith("Basic ")) {
      const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      const [name, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
      if (name === this.user && password === this.password) return name;
      if ((this.options.people ?? []).some((p) => p.name === name && p.password === password)) return name;
    } else if (header.startsWith("Bearer ") && this.flavour === "datacenter" && header.slice(7) === this.pat) {
      return this.user;
    }
    const message = this.flavour === "cloud" ? "Client must be authenticated to access this resource." : "You are not authenticated. Authentication required to perform this operation.";
    return { status: 401, json: { errorMessages: [message], errors: {} }, headers: { "WWW-Authenticate": 'Basic realm="protected-area"' } };
  }

  private api(path: string, url: URL): EmulatorResponse {
    if (path === "/serverInfo") {
      const cloud = this.flavour === "cloud";
      return {
        status: 200,
        json: {
          baseUrl: this.url,
          version: cloud ? "1001.0.0-SNAPSHOT" : "9.12.4",
          versionNumbers: cloud ? [1001, 0, 0] : [9, 12, 4],
          deploymentType: cloud ? "Cloud" : "Server",
          buildNumber: cloud ? 100280 : 9120004,
          serverTitle: "Emulated Jira",
        },
      };
    }
    if (path === "/myself") return { status: 200, json: { name: this.user, emailAddress: this.user.includes("@") ? this.user : `${this.user}@corp.example`, displayName: "DefectDojo service", active: true } };
    if (path === "/field") return { status: 200, json: this.fields() };
    if (path === "/priority") return { status: 200, json: this.priorities.map((name, i) => ({ id: String(i + 1), name, self: `${this.url}/rest/api/2/priority/${i + 1}` })) };
    const transitions = /^\/issue\/([^/]+)\/transitions$/.exec(path);
    if (transitions) {
      const issue = this.issues.get(decodeURIComponent(transitions[1]!));
      if (!issue) return { status: 404, json: { errorMessages: ["Issue does not exist or you do not have permission to see it."], errors: {} } };
      const project = this.projects.get(issue.project)!;
      const expandFields = (url.searchParams.get("expand") ?? "").includes("transitions.fields");
      return {
        status: 200,
        json: {
          expand: "transitions",
          transitions: project.workflow.map((t) => ({
            id: t.id,
            name: t.name,
            to: { name: t.to.name, statusCategory: { key: CATEGORY_KEYS[t.to.category], name: t.to.category } },
            ...(expandFields ? { fields: {} } : {}),
          })),
        },
      };
    }
    const issue = /^\/issue\/([^/]+)$/.exec(path);
    if (issue) {
      const found = this.issues.get(decodeURIComponent(issue[1]!));
      if (!found) return { status: 404, json: { errorMessages: ["Issue does not exist or you do not have permission to see it."], errors: {} } };
      return { status: 200, json: { key: found.key, fields: { status: { name: found.status.name, statusCategory: { key: CATEGORY_KEYS[found.status.category], name: found.status.category } }, project: { key: found.project } } } };
    }
    const project = /^\/project\/([^/]+)(\/components|\/statuses)?$/.exec(path);
    if (project) {
      const found = this.projects.get(decodeURIComponent(project[1]!));
      if (!found) return { status: 404, json: { errorMessages: [`No project could be found with key '${project[1]}'.`], errors: {} } };
      const components = found.components.map((name, i) => ({ id: String(i + 100), name }));
      if (project[2] === "/components") return { status: 200, json: components };
      const issueTypes = found.issueTypes.map((name, i) => ({ id: String(i + 1), name, subtask: false }));
      if (project[2] === "/statuses") return { status: 200, json: issueTypes.map((t) => ({ ...t, statuses: found.workflow.map((w) => ({ name: w.to.name })) })) };
      return { status: 200, json: { id: found.id, key: found.key, name: found.name, components, issueTypes } };
    }
    const createmeta = /^\/issue\/createmeta\/([^/]+)\/issuetypes$/.exec(path);
    if (createmeta) {
      const found = this.projects.get(decodeURIComponent(createmeta[1]!));
      if (!found) return { status: 404, json: { errorMessages: ["Project not found"], errors: {} } };
      const values = found.issueTypes.map((name, i) => ({ id: String(i + 1), name, subtask: false }));
      return { status: 200, json: { maxResults: 50, startAt: 0, total: values.length, isLast: true, values, issueTypes: values } };
    }
    return { status: 404, json: { errorMessages: ["The requested resource could not be found."], errors: {} } };
  }

  /**
   * Jira calls every enabled webhook whose JQL filter matches, after answering the request that made
   * the change. Only `project = KEY` and `project in (…)` filters are understood; any other JQL matches.
   */
  emit(change: IssueEvent): void {
    const issue = showIssue(this, change.issue);
    const person = (name: string) => ({ name, displayName: this.options.people?.find((p) => p.name === name)?.displayName ?? name, emailAddress: name.includes("@") ? name : `${name}@corp.example` });
    const now = new Date().toISOString();
    (issue.fields as Record<string, unknown>).updated = now;
    const body =
      change.event === "comment_created"
        ? { timestamp: Date.now(), webhookEvent: change.event, issue, comment: { self: commentSelf(this, change.issue, change.comment.id), id: change.comment.id, body: change.comment.body, author: person(change.comment.author), updateAuthor: person(change.comment.author), created: now, updated: now } }
        : { timestamp: Date.now(), webhookEvent: change.event, issue_event_type_name: "issue_generic", issue };
    for (const hook of this.webhooks.values()) {
      if (!hook.enabled || !hook.events.includes(change.event) || !jqlMatches(hook.filters["issue-related-events-section"], change.issue.project)) continue;
      const delivery = this.deliver(hook, body, change).finally(() => this.inFlight.delete(delivery));
      this.inFlight.add(delivery);
    }
  }

  private async deliver(hook: Webhook, body: unknown, change: IssueEvent): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve)); // after the answer to the change, as Jira does
    const record = (status: number | string, answer: string) => this.deliveries.push({ webhook: hook.id, event: change.event, issue: change.issue.key, status, answer: answer.slice(0, 300) });
    try {
      const response = await fetch(hook.url, { method: "POST", headers: { "Content-Type": "application/json", "User-Agent": "Atlassian Webhook HTTP Client" }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000), redirect: "manual" });
      record(response.status, await response.text());
    } catch (error) {
      record((error as { cause?: { code?: string } }).cause?.code ?? "network error", "");
    }
  }

  /** Resolves when every webhook call made so far has been answered. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private fields(): unknown[] {
    const fields: unknown[] = [
      { id: "summary", name: "Summary", custom: false, clauseNames: ["summary"], schema: { type: "string", system: "summary" } },
      { id: "priority", name: "Priority", custom: false, clauseNames: ["priority"], schema: { type: "priority", system: "priority" } },
      { id: "labels", name: "Labels", custom: false, clauseNames: ["labels"], schema: { type: "array", items: "string", system: "labels" } },
      { id: "customfield_10014", name: "Epic Link", custom: true, clauseNames: ["cf[10014]", "Epic Link"], schema: { type: "any", custom: "com.pyxis.greenhopper.jira:gh-epic-link", customId: 10014 } },
    ];
    if (this.epicNameField) {
      fields.push({ id: "customfield_10011", name: "Epic Name", custom: true, clauseNames: ["cf[10011]", "Epic Name"], schema: { type: "string", custom: "com.pyxis.greenhopper.jira:gh-epic-label", customId: 10011 } });
    }
    return fields;
  }

  private webhookApi(request: EmulatorRequest, id: number | undefined): EmulatorResponse {
    const show = (w: Webhook) => ({ self: `${this.url}/rest/webhooks/1.0/webhook/${w.id}`, name: w.name, url: w.url, events: w.events, filters: w.filters, excludeBody: w.excludeBody, enabled: w.enabled });
    if (id === undefined) {
      if (request.method === "GET") return { status: 200, json: [...this.webhooks.values()].map(show) };
      if (request.method !== "POST") return { status: 405, json: { errorMessages: ["Method not allowed"] } };
    }
    const existing = id === undefined ? undefined : this.webhooks.get(id);
    if (id !== undefined && !existing) return { status: 404, json: { errorMessages: ["Webhook not found"] } };
    if (request.method === "GET") return { status: 200, json: show(existing!) };
    if (request.method === "DELETE") {
      this.webhooks.delete(id!);
      return { status: 204 };
    }
    const parsed = parseJsonBody(request.body);
    if (!parsed.ok) return { status: 400, json: { errorMessages: ["Unexpected character in JSON body"] } };
    const body = parsed.value as Partial<Webhook>;
    if (typeof body.name !== "string" || typeof body.url !== "string" || !/^https?:\/\//.test(body.url)) {
      return { status: 400, json: { errorMessages: ["A webhook needs a name and an http(s) url."] } };
    }
    const hook: Webhook = {
      id: existing?.id ?? this.nextWebhook++,
      name: body.name,
      url: body.url,
      events: Array.isArray(body.events) ? body.events.map(String) : [],
      filters: (body.filters as Record<string, string>) ?? {},
      excludeBody: Boolean(body.excludeBody),
      enabled: body.enabled ?? true,
    };
    this.webhooks.set(hook.id, hook);
    return { status: existing ? 200 : 201, json: show(hook) };
  }

  private control(request: EmulatorRequest): EmulatorResponse {
    const path = request.url.pathname;
    const parsed = parseJsonBody(request.body);
    if (!parsed.ok) return { status: 400, json: { error: "body is not JSON" } };
    try {
      if (path === "/_emulator/reset" && request.method === "POST") {
        this.reset();
        return { status: 200, json: { ok: true } };
      }
      if (path === "/_emulator/seed" && request.method === "POST") {
        this.seed(parsed.value as Parameters<JiraEmulator["seed"]>[0]);
        return { status: 201, json: { projects: [...this.projects.keys()], issues: [...this.issues.keys()] } };
      }
      if (path === "/_emulator/faults") return { status: 200, json: request.method === "POST" ? this.faults.configure(parsed.value) : this.faults.settings };
      if (path === "/_emulator/requests" && request.method === "GET") return { status: 200, json: this.log };
      return { status: 404, json: { error: `no control endpoint ${request.method} ${path}` } };
    } catch (error) {
      return { status: 400, json: { error: (error as Error).message } };
    }
  }
}

function jqlMatches(jql: string | undefined, project: string): boolean {
  const match = /^\s*project\s*(?:=\s*"?([A-Z][A-Z0-9_]*)"?|in\s*\(([^)]*)\))\s*$/i.exec(jql ?? "");
  if (!match) return true;
  const keys = match[1] ? [match[1]] : match[2]!.split(",").map((k) => k.trim().replace(/^"|"$/g, ""));
  return keys.includes(project);
}

export async function startJiraEmulator(options: JiraEmulatorOptions = {}): Promise<JiraEmulator> {
  return new JiraEmulator(options).start();
}
