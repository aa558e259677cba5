import type { JiraInstance, LinkDocument } from "../../schema/config-types.js";
import type { ValidDocument } from "../rules/rule.js";
import type { Answer, JiraSession, SiteLogin } from "./jira.js";
import type { FieldFact, InstanceFacts, Lookup, ProjectFacts, TransitionFact } from "./model.js";
import { resolvePassword } from "./secrets.js";

const API = "/rest/api/2";
/** Issues whose transitions are read per project: one per distinct status, at most this many. */
const MAX_STATUSES = 5;

/** Asks Jira, once per distinct call, what the online rules need about each instance and its links. */
export async function gatherFacts(
  instances: ReadonlyArray<ValidDocument<JiraInstance>>,
  links: ReadonlyArray<ValidDocument<LinkDocument>>,
  session: JiraSession,
  env: NodeJS.ProcessEnv,
  /** Hosts (`host[:port]`) credentials may be sent to, given outside the linted tree. */
  allowedHosts: readonly string[],
): Promise<{ facts: InstanceFacts[]; secrets: string[] }> {
  const secrets: string[] = [];
  const facts = await Promise.all(
    instances.map(async (instance): Promise<InstanceFacts> => {
      const spec = instance.config.spec;
      const using = links.filter((l) => l.config.spec.instance === instance.config.metadata.name);
      const facts: InstanceFacts = { instance, links: using, projects: new Map() };
      // The tree comes with the pull request: a document of its own must not send a CI secret to a
      // host it names. Only hosts the person running lint lists get credentials.
      const host = hostOf(spec.url);
      if (host === undefined || !allowedHosts.includes(host)) {
        return { ...facts, unchecked: `Jira host ${host ?? spec.url} is not among the hosts credentials may be sent to (--jira-host, or DOJO_JIRA_ONLINE_HOSTS); nothing was sent` };
      }
      // Listing a host allows it over https: a pull request that writes http:// must not put the
      // credentials on the wire in clear. Loopback (a local Jira, a test) stays on the machine.
      if (!sentEncrypted(spec.url)) {
        return { ...facts, unchecked: `Jira at ${spec.url} is not https: credentials are sent over https only (loopback aside); nothing was sent` };
      }
      try {
        return await ask(spec, facts);
      } catch (error) {
        // An answer of the wrong shape is bad input from Jira, reported for this instance alone.
        return { ...facts, unchecked: `Jira at ${spec.url} answered in a form Jira does not (${(error as Error).message}); nothing more was checked` };
      }
    }),
  );
  return { facts, secrets };

  async function ask(spec: JiraInstance["spec"], facts: InstanceFacts): Promise<InstanceFacts> {
      const instance = facts.instance;
      const using = facts.links;
      const password = resolvePassword(spec.password, env);
      if ("missing" in password) return { ...facts, unchecked: password.missing };
      secrets.push(password.secret.reveal());
      const login: SiteLogin = { url: spec.url, username: spec.username, secret: password.secret, bearer: spec.authKind === "dataCenterPat" };
      const get = (path: string, query?: Record<string, string | number>) => session.get(login, `${API}${path}`, query);

      // serverInfo first: real Jira answers it without credentials, so "unreachable" and "refused" stay apart.
      const server = await get("/serverInfo");
      const myself = server.ok || server.status === 401 || server.status === 403 ? await get("/myself") : server;
      if (!myself.ok) {
        const refused = myself.status === 401 || myself.status === 403;
        const reason = refused
          ? `Jira at ${spec.url} refused the credentials of ${instance.config.metadata.name} (${myself.status}): check username ${spec.username} and the ${kindLabel(spec.authKind)} in ${password.source}`
          : `cannot ask Jira at ${spec.url} for ${instance.config.metadata.name}: ${explain(myself)}`;
        return { ...facts, failed: { reason, at: refused ? "password" : "url" } };
      }
      if (server.ok) facts.deployment = deployment(server.data);

      const mapping = Object.values(spec.severityMapping ?? {}).filter((n) => typeof n === "string");
      const [priorities, fields] = await Promise.all([
        mapping.length > 0 ? get("/priority").then((a) => lookup(a, priorityNames)) : undefined,
        spec.epicNameId > 0 ? get("/field").then((a) => lookup(a, fieldFacts)) : undefined,
      ]);
      if (priorities) facts.priorities = priorities;
      if (fields) facts.fields = fields;
      const keys = [...new Set(using.map((l) => l.config.spec.projectKey))];
      const projects = await Promise.all(keys.map((key) => project(key, get, facts.deployment?.cloud ?? false)));
      keys.forEach((key, i) => facts.projects.set(key, projects[i]!));
      return facts;
  }
}

/** Whether credentials sent to the URL stay encrypted, or on this machine. */
function sentEncrypted(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === "https:" || hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** `host[:port]` of a URL, as `--jira-host` names it. */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

type Get = (path: string, query?: Record<string, string | number>) => Promise<Answer>;

async function project(key: string, get: Get, cloud: boolean): Promise<Lookup<ProjectFacts | null>> {
  const answer = await get(`/project/${encodeURIComponent(key)}`);
  if (!answer.ok) return answer.status === 404 ? { ok: true, value: null } : { ok: false, reason: explain(answer) };
  const data = answer.data as { issueTypes?: Array<{ name?: unknown }>; components?: Array<{ name?: unknown }> };
  return { ok: true, value: { key, issueTypes: names(data.issueTypes), components: names(data.components), transitions: await transitions(key, get, cloud) } };
}

/** Jira lists transitions per issue: read those offered from one issue in each of a few statuses. */
async function transitions(key: string, get: Get, cloud: boolean): Promise<ProjectFacts["transitions"]> {
  // Cloud retired /search for /search/jql; Data Center has only /search.
  const search = await get(cloud ? "/search/jql" : "/search", { jql: `project = "${key.replace(/["\\]/g, "\\$&")}" ORDER BY updated DESC`, maxResults: 50, fields: "status" });
  if (!search.ok) return { ok: false, reason: `the issue search, needed to read the workflow, failed: ${explain(search)}` };
  const found = (search.data as { issues?: unknown } | null)?.issues;
  const issues = (Array.isArray(found) ? found : []) as Array<{ key?: unknown; fields?: { status?: { name?: unknown } } } | null>;
  const byStatus = new Map<string, string>();
  for (const issue of issues) {
    const status = issue?.fields?.status?.name;
    if (typeof issue?.key === "string" && typeof status === "string" && !byStatus.has(status) && byStatus.size < MAX_STATUSES) byStatus.set(status, issue.key);
  }
  if (byStatus.size === 0) return { ok: false, reason: `project ${key} has no issue to read its workflow from` };
  const offered = new Map<string, TransitionFact>();
  for (const answer of await Promise.all([...byStatus.values()].map((issue) => get(`/issue/${encodeURIComponent(issue)}/transitions`)))) {
    if (!answer.ok) return { ok: false, reason: `reading an issue's transitions failed: ${explain(answer)}` };
    const listed = (answer.data as { transitions?: unknown } | null)?.transitions;
    for (const t of (Array.isArray(listed) ? listed : []) as Array<{ id?: unknown; name?: unknown; to?: { name?: unknown; statusCategory?: { name?: unknown } } }>) {
      if (typeof t.id !== "string" || offered.has(t.id)) continue;
      offered.set(t.id, { id: t.id, name: String(t.name ?? ""), to: String(t.to?.name ?? ""), category: String(t.to?.statusCategory?.name ?? "") });
    }
  }
  return { ok: true, value: { statuses: [...byStatus.keys()], offered: [...offered.values()] } };
}

function lookup<T>(answer: Answer, read: (data: unknown) => T): Lookup<T> {
  return answer.ok ? { ok: true, value: read(answer.data) } : { ok: false, reason: explain(answer) };
}

function explain(answer: Answer & { ok: false }): string {
  if (answer.status === 401 || answer.status === 403) return `Jira refused the call (${answer.status}); the account may lack a permission`;
  if (answer.status === 404) return "Jira does not serve this call (404)";
  if (answer.status !== undefined && answer.status >= 300 && answer.status < 400) return `Jira redirects (${answer.status}): use the URL it redirects to`;
  return answer.problem;
}

function names(list: unknown): string[] {
  return Array.isArray(list) ? list.map((x) => (x as { name?: unknown })?.name).filter((n): n is string => typeof n === "string") : [];
}

function priorityNames(data: unknown): string[] {
  return names(data);
}

function fieldFacts(data: unknown): FieldFact[] {
  if (!Array.isArray(data)) return [];
  return data.filter((f) => f && typeof f === "object").map((f: { id?: unknown; name?: unknown; clauseNames?: unknown; schema?: { customId?: unknown } }) => ({
    id: String(f.id ?? ""),
    name: String(f.name ?? ""),
    customId: typeof f.schema?.customId === "number" ? f.schema.customId : undefined,
    clauseNames: Array.isArray(f.clauseNames) ? f.clauseNames.filter((c): c is string => typeof c === "string") : [],
  }));
}

function deployment(data: unknown): InstanceFacts["deployment"] {
  const { deploymentType, version } = (data ?? {}) as { deploymentType?: unknown; version?: unknown };
  if (deploymentType === "Cloud") return { cloud: true, label: "Jira Cloud" };
  const v = typeof version === "string" && /^[\w.-]{1,40}$/.test(version) ? ` ${version}` : "";
  return { cloud: false, label: deploymentType === "DataCenter" ? `Jira Data Center${v}` : `Jira Server/Data Center${v}` };
}

function kindLabel(kind: JiraInstance["spec"]["authKind"]): string {
  return kind === "cloudApiToken" ? "API token" : kind === "dataCenterPat" ? "personal access token" : "password";
}
