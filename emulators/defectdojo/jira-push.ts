import { SEVERITIES, type Database, type Row } from "./models.js";

/**
 * What DefectDojo's Jira helper does when a finding is pushed (reference §5): the same calls, in the
 * same order, against whatever Jira the instance names. A failure is an outcome, never an API error:
 * DefectDojo turns it into an alert and still answers the finding's write with success (§9).
 */
export type PushOutcome =
  | { finding: number; outcome: "created"; key: string }
  | { finding: number; outcome: "updated"; key: string; transition?: "close" | "reopen" }
  | { finding: number; outcome: "skipped"; reason: string }
  | { finding: number; outcome: "failed"; reason: string };

const CLOSED_STATES = ["false_p", "out_of_scope", "duplicate", "is_mitigated", "risk_accepted"] as const;
const JIRA_TIMEOUT_MS = 10_000;

/** The link that governs a finding: its engagement's own, else its product's (§5.1). */
export function effectiveLink(db: Database, finding: Row): Row | undefined {
  const test = db.tests.get(finding.test as number);
  const engagement = test ? db.engagements.get(test.engagement as number) : undefined;
  const links = [...db.jira_projects.values()];
  return (engagement && links.find((l) => l.engagement === engagement.id)) ?? links.find((l) => l.product === finding.product);
}

const isClosed = (finding: Row) => !finding.active || CLOSED_STATES.some((state) => finding[state] === true);

/** Adds a row the way the emulator does, so ids stay in sequence. */
export type Insert = (table: "jira_issues", values: Record<string, unknown>) => Row;

export async function pushFinding(db: Database, insert: Insert, finding: Row, forced: boolean): Promise<PushOutcome> {
  const settings = db.system_settings.get(1)!;
  const skip = (reason: string): PushOutcome => ({ finding: finding.id, outcome: "skipped", reason });
  if (!settings.enable_jira) return skip("Jira is disabled");
  const link = effectiveLink(db, finding);
  if (!link) return skip("no Jira project for this finding's product or engagement");
  if (!link.enabled) return skip("the Jira project is disabled");
  const instance = link.jira_instance ? db.jira_instances.get(link.jira_instance as number) : undefined;
  if (!instance) return skip("the Jira project has no instance");
  const mapping = [...db.jira_issues.values()].find((m) => m.finding === finding.id);
  if (!forced && !link.push_all_issues && !(mapping && instance.finding_jira_sync)) return skip("not asked to push");
  const jira = new JiraCalls(String(instance.url), String(instance.username), String(instance.password));
  try {
    return mapping ? await update(db, jira, finding, instance, link, mapping) : await create(db, insert, jira, finding, instance, link);
  } catch (error) {
    return { finding: finding.id, outcome: "failed", reason: (error as Error).message };
  }
}

async function create(db: Database, insert: Insert, jira: JiraCalls, finding: Row, instance: Row, link: Row): Promise<PushOutcome> {
  const settings = db.system_settings.get(1)!;
  const refuse = (reason: string): PushOutcome => ({ finding: finding.id, outcome: "skipped", reason });
  if (!finding.active) return refuse("inactive findings are not pushed");
  if (!finding.verified && (settings.enforce_verified_status || settings.enforce_verified_status_jira)) return refuse("unverified findings are not pushed");
  const minimum = SEVERITIES.indexOf((settings.jira_minimum_severity as (typeof SEVERITIES)[number] | null) ?? "Info");
  if (SEVERITIES.indexOf(finding.severity as (typeof SEVERITIES)[number]) < minimum) return refuse(`severity below ${String(settings.jira_minimum_severity)}`);

  const projectKey = String(link.project_key);
  const issueType = String(instance.default_issue_type);
  const meta = await jira.createMetaFields(projectKey, issueType);
  const summary = summaryOf(finding);
  const fields: Record<string, unknown> = {
    project: { key: projectKey },
    issuetype: { name: issueType },
    summary,
    description: [String(finding.description), instance.finding_text ? String(instance.finding_text) : ""].filter(Boolean).join("\n\n"),
  };
  const components = componentsOf(link);
  if (components.length > 0) fields.components = components.map((name) => ({ name }));
  if (link.custom_fields && typeof link.custom_fields === "object") Object.assign(fields, link.custom_fields);
  if ("labels" in meta) fields.labels = labelsFor(db, finding, link);
  if ("priority" in meta) fields.priority = { name: String(instance[`${String(finding.severity).toLowerCase()}_mapping_severity`]) };
  const epicName = `customfield_${String(instance.epic_name_id)}`;
  if (Number(instance.epic_name_id) !== 0 && epicName in meta) fields[epicName] = summary;
  if (link.default_assignee) fields.assignee = { name: String(link.default_assignee) };
  const created = (await jira.call("POST", "/rest/api/2/issue", { fields })) as { id: string; key: string };
  const now = new Date().toISOString();
  insert("jira_issues", { jira_id: String(created.id), jira_key: created.key, jira_project: link.id, finding: finding.id, engagement: null, finding_group: null, jira_creation: now, jira_change: now });
  return { finding: finding.id, outcome: "created", key: created.key };
}

/** Status first, then the other fields (§5.4); a finding's priority and custom fields are not re-sent. */
async function update(db: Database, jira: JiraCalls, finding: Row, instance: Row, link: Row, mapping: Row): Promise<PushOutcome> {
  const issuePath = `/rest/api/2/issue/${String(mapping.jira_id)}`;
  const issue = (await jira.call("GET", issuePath)) as { fields: { status: { statusCategory: { key: string } }; labels?: string[]; components?: unknown[] } };
  const done = issue.fields.status.statusCategory.key === "done";
  let transition: "close" | "reopen" | undefined;
  if (isClosed(finding) && !done) transition = "close";
  else if (!isClosed(finding) && done) transition = "reopen";
  if (transition) {
    const id = instance[transition === "close" ? "close_status_key" : "open_status_key"];
    const extra = link[transition === "close" ? "close_transition_fields" : "reopen_transition_fields"];
    await jira.call("POST", `${issuePath}/transitions`, { transition: { id: String(id) }, ...(extra ? { fields: extra } : {}) });
  }
  const fields: Record<string, unknown> = {
    summary: summaryOf(finding),
    description: String(finding.description),
    labels: [...new Set([...labelsFor(db, finding, link), ...(issue.fields.labels ?? [])])],
  };
  const components = componentsOf(link);
  if (components.length > 0 && (issue.fields.components ?? []).length === 0) fields.components = components.map((name) => ({ name }));
  await jira.call("PUT", issuePath, { fields });
  mapping.jira_change = new Date().toISOString();
  return { finding: finding.id, outcome: "updated", key: String(mapping.jira_key), ...(transition ? { transition } : {}) };
}

/** The finding's title without line breaks, cut to Jira's 255 characters (§5.2). */
const summaryOf = (finding: Row) => String(finding.title).replace(/[\r\n]/g, "").slice(0, 255);

/** The link's `component`, split on commas (§5.2). */
const componentsOf = (link: Row) => String(link.component ?? "").split(",").map((c) => c.trim()).filter(Boolean);

/** System labels and project labels, each followed by the product's name as a label (§5.2). */
function labelsFor(db: Database, finding: Row, link: Row): string[] {
  const product = String(db.products.get(finding.product as number)?.name ?? "").replace(/ /g, "_");
  const labels: string[] = [];
  for (const source of [db.system_settings.get(1)!.jira_labels, link.jira_labels]) {
    const words = String(source ?? "").split(/\s+/).filter(Boolean);
    if (words.length > 0) labels.push(...words, product);
  }
  return [...new Set(labels)];
}

/** The `jira` library's calls, with the instance's Basic credentials. */
class JiraCalls {
  constructor(
    private readonly base: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.base.replace(/\/+$/, "")}${path}`, {
      method,
      headers: { Authorization: `Basic ${Buffer.from(`${this.username}:${this.password}`).toString("base64")}`, Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(JIRA_TIMEOUT_MS),
      redirect: "manual",
    });
    const text = await response.text();
    // The jira library raises JIRAError with the status and Jira's messages; DefectDojo logs that text.
    if (!response.ok) throw new Error(`JIRAError: HTTP ${response.status} ${method} ${path}: ${text.slice(0, 300)}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  }

  /** Which fields the create screen offers, in the form the deployment calls for (§5.3). */
  async createMetaFields(projectKey: string, issueType: string): Promise<Record<string, unknown>> {
    const info = (await this.call("GET", "/rest/api/2/serverInfo")) as { deploymentType?: string; versionNumbers?: number[] };
    const key = encodeURIComponent(projectKey);
    if (info.deploymentType === "Cloud" || (info.versionNumbers?.[0] ?? 0) < 9) {
      const query = `projectKeys=${key}&issuetypeNames=${encodeURIComponent(issueType)}&expand=projects.issuetypes.fields`;
      const meta = (await this.call("GET", `/rest/api/2/issue/createmeta?${query}`)) as { projects?: Array<{ issuetypes?: Array<{ fields?: Record<string, unknown> }> }> };
      const project = meta.projects?.[0];
      if (!project) throw new Error("Project misconfigured or no permissions in Jira ?");
      const type = project.issuetypes?.[0];
      if (!type) throw new Error("Misconfigured default issue type ?");
      return type.fields ?? {};
    }
    const types = (await this.call("GET", `/rest/api/2/issue/createmeta/${key}/issuetypes`)) as { values?: Array<{ id: string; name: string }> };
    const type = types.values?.find((t) => t.name === issueType);
    if (!type) throw new Error("Misconfigured default issue type ?");
    const fields = (await this.call("GET", `/rest/api/2/issue/createmeta/${key}/issuetypes/${type.id}`)) as { values?: Array<{ fieldId: string }> };
    return Object.fromEntries((fields.values ?? []).map((f) => [f.fieldId, f]));
  }
}
