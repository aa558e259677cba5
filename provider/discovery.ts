import { Version2Client } from "jira.js";
import type { Secret } from "./secret.js";

export interface JiraCredentials {
  url: string;
  username?: string;
  /** Password (Server/DC) or API token (Cloud), sent with Basic auth. */
  password?: Secret;
  /** Data Center personal access token, sent as Bearer. */
  pat?: Secret;
}

/** What DefectDojo's Express form discovers (reference §3.1), plus the priority names. */
export interface Discovered {
  deploymentType: string;
  epicNameId: number | undefined;
  transitions: { reopen: number | undefined; close: number | undefined };
  priorities: string[];
  problems: string[];
}

export class DiscoveryError extends Error {}

interface Transition {
  id?: unknown;
  name?: unknown;
  to?: { statusCategory?: { name?: string } };
}

/** Jira ids DefectDojo stores as integers: a positive whole number, or the digits of one. */
function numericId(value: unknown): number | undefined {
  const id = typeof value === "string" && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof id === "number" && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/**
 * Express discovery: from one issue key, the reopen transition (first to a "To Do" category),
 * the close transition (first to "Done"), the Epic Name field id and the priority names.
 * Problems that leave a value undiscovered are reported, not thrown, like DefectDojo's form does.
 */
export async function discover(credentials: JiraCredentials, issueKey: string): Promise<Discovered> {
  const client = jiraClient(credentials);
  const server = await call("reach Jira", () => client.serverInfo.getServerInfo());
  const problems: string[] = [];

  const { transitions = [] } = await call(`read the transitions of ${issueKey}`, () => client.issues.getTransitions({ issueIdOrKey: issueKey, expand: "transitions.fields" }));
  // Names and ids below come from Jira as it answered: the caller escapes them where it prints.
  const firstTo = (category: string) => {
    const transition = (transitions as Transition[]).find((t) => t.to?.statusCategory?.name === category);
    if (!transition) {
      problems.push(`no transition to a "${category}" status from ${issueKey}'s current status; pick an issue in another status, or find the ids by hand`);
      return undefined;
    }
    const id = numericId(transition.id);
    if (id === undefined) problems.push(`transition ${JSON.stringify(transition.name)} to "${category}" has id ${JSON.stringify(transition.id)}, not a positive whole number as DefectDojo needs`);
    return id;
  };
  const reopen = firstTo("To Do");
  const close = firstTo("Done");

  const fields = await call("read the field list", () => client.issueFields.getFields());
  const epic = fields.find((f) => f.clauseNames?.includes("Epic Name"));
  const epicNameId = numericId(epic?.schema?.customId);
  if (!epic) problems.push('no "Epic Name" field (team-managed projects and newer Jira Cloud sites have none): use epicNameId: 0');
  else if (epicNameId === undefined) problems.push(`the "Epic Name" field has custom id ${JSON.stringify(epic.schema?.customId)}, not a positive whole number as DefectDojo needs`);

  const priorities = (await call("read the priorities", () => client.issuePriorities.getPriorities())).map((p) => p.name ?? "").filter(Boolean);
  return { deploymentType: server.deploymentType ?? "unknown", epicNameId, transitions: { reopen, close }, priorities, problems };
}

function jiraClient(credentials: JiraCredentials): Version2Client {
  const host = credentials.url.replace(/\/+$/, "");
  if (credentials.pat) {
    return new Version2Client({ host, baseRequestConfig: { headers: { Authorization: `Bearer ${credentials.pat.reveal()}` } } });
  }
  if (!credentials.username || !credentials.password) throw new DiscoveryError("Jira credentials missing: set JIRA_USERNAME and JIRA_PASSWORD (or JIRA_API_TOKEN), or JIRA_PAT for a Data Center token");
  return new Version2Client({ host, authentication: { basic: { email: credentials.username, apiToken: credentials.password.reveal() } } });
}

/** One Jira call, with its failure turned into a sentence that says what to check. */
async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const status = (error as { status?: number; response?: { status?: number } }).status ?? (error as { response?: { status?: number } }).response?.status;
    const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    if (status === 401 || status === 403) throw new DiscoveryError(`could not ${what}: Jira refused the credentials (${status}); check the user name and the password, API token or PAT`);
    if (status === 404) throw new DiscoveryError(`could not ${what}: not found (404); check the issue key and that the user can see it`);
    if (status) throw new DiscoveryError(`could not ${what}: Jira answered ${status}`);
    throw new DiscoveryError(`could not ${what}: Jira is unreachable (${code ?? (error as Error).message})`);
  }
}
