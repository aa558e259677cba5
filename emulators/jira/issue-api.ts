import { parseJsonBody, type EmulatorRequest, type EmulatorResponse } from "../http.js";

/**
 * The part of Jira's REST API that DefectDojo's Jira helper uses when it pushes findings (reference
 * §5.2–5.8): create-metadata in both forms (Cloud and servers before 9: `issue/createmeta?expand=…`;
 * Data Center 9+: `createmeta/{project}/issuetypes[/{id}]`), create, read, update and assign issues,
 * transitions, comments, and adding issues to an epic. Validation follows what Jira answers with
 * 400s (`errors` by field), since that is what DefectDojo turns into alerts.
 */
export interface JiraStatusRef {
  name: string;
  category: "To Do" | "In Progress" | "Done";
}

export interface IssueRecord {
  key: string;
  project: string;
  status: JiraStatusRef;
  id?: string;
  issueType?: string;
  summary?: string;
  description?: string;
  labels?: string[];
  priority?: string;
  components?: string[];
  assignee?: string;
  epic?: string;
  /** Every other field sent (custom fields, environment, duedate), as sent. */
  other?: Record<string, unknown>;
  comments?: Array<{ id: string; body: string; author: string }>;
}

/** What a change tells the site's webhooks: Jira's `comment_created` and `jira:issue_updated`. */
export type IssueEvent = { event: "comment_created"; issue: IssueRecord; comment: { id: string; body: string; author: string } } | { event: "jira:issue_updated"; issue: IssueRecord };

export interface IssueSite {
  url: string;
  flavour: "cloud" | "datacenter";
  user: string;
  epicNameField: boolean;
  priorities: string[];
  projects: Map<string, { id: string; key: string; name: string; components: string[]; issueTypes: string[]; workflow: Array<{ id: string; name: string; to: JiraStatusRef }> }>;
  issues: Map<string, IssueRecord>;
  /** Called after every change an issue-route write made. */
  emit(event: IssueEvent): void;
}

const CATEGORY_KEYS = { "To Do": "new", "In Progress": "indeterminate", Done: "done" } as const;
const notFound = (what = "Issue does not exist or you do not have permission to see it."): EmulatorResponse => ({ status: 404, json: { errorMessages: [what], errors: {} } });
const invalid = (errors: Record<string, string>): EmulatorResponse => ({ status: 400, json: { errorMessages: [], errors } });

/** The fields a create screen offers for an issue type, as create-metadata describes them. */
function fieldMeta(site: IssueSite, project: string, issueType: string): Record<string, unknown> {
  const components = site.projects.get(project)?.components ?? [];
  const meta: Record<string, unknown> = {
    summary: { required: true, name: "Summary", key: "summary", schema: { type: "string", system: "summary" }, operations: ["set"] },
    issuetype: { required: true, name: "Issue Type", key: "issuetype", schema: { type: "issuetype", system: "issuetype" }, operations: [] },
    project: { required: true, name: "Project", key: "project", schema: { type: "project", system: "project" }, operations: ["set"] },
    description: { required: false, name: "Description", key: "description", schema: { type: "string", system: "description" }, operations: ["set"] },
    priority: { required: false, name: "Priority", key: "priority", schema: { type: "priority", system: "priority" }, operations: ["set"], allowedValues: site.priorities.map((name, i) => ({ id: String(i + 1), name })) },
    labels: { required: false, name: "Labels", key: "labels", schema: { type: "array", items: "string", system: "labels" }, operations: ["add", "set", "remove"] },
    components: { required: false, name: "Component/s", key: "components", schema: { type: "array", items: "component", system: "components" }, operations: ["add", "set", "remove"], allowedValues: components.map((name, i) => ({ id: String(i + 100), name })) },
    environment: { required: false, name: "Environment", key: "environment", schema: { type: "string", system: "environment" }, operations: ["set"] },
    duedate: { required: false, name: "Due Date", key: "duedate", schema: { type: "date", system: "duedate" }, operations: ["set"] },
    assignee: { required: false, name: "Assignee", key: "assignee", schema: { type: "user", system: "assignee" }, operations: ["set"] },
  };
  if (site.epicNameField && issueType === "Epic") meta.customfield_10011 = { required: true, name: "Epic Name", key: "customfield_10011", schema: { type: "string", custom: "com.pyxis.greenhopper.jira:gh-epic-label", customId: 10011 }, operations: ["set"] };
  return meta;
}

const issueTypeId = (types: string[], name: string) => String(types.indexOf(name) + 1);

/** GET `issue/createmeta?projectKeys=…&issuetypeNames=…&expand=projects.issuetypes.fields` (Cloud, Jira before 9). */
export function createMeta(site: IssueSite, url: URL): EmulatorResponse {
  const keys = (url.searchParams.get("projectKeys") ?? "").split(",").filter(Boolean);
  const names = (url.searchParams.get("issuetypeNames") ?? "").split(",").filter(Boolean);
  const withFields = (url.searchParams.get("expand") ?? "").includes("projects.issuetypes.fields");
  const projects = [...site.projects.values()].filter((p) => keys.length === 0 || keys.includes(p.key));
  return {
    status: 200,
    json: {
      expand: "projects",
      projects: projects.map((p) => ({
        id: p.id,
        key: p.key,
        name: p.name,
        issuetypes: p.issueTypes
          .filter((t) => names.length === 0 || names.includes(t))
          .map((t) => ({ id: issueTypeId(p.issueTypes, t), name: t, subtask: false, ...(withFields ? { fields: fieldMeta(site, p.key, t) } : {}) })),
      })),
    },
  };
}

/** GET `issue/createmeta/{project}/issuetypes/{id}` (Data Center 9+): the fields, paged. */
export function createMetaFields(site: IssueSite, projectKey: string, typeId: string): EmulatorResponse {
  const project = site.projects.get(projectKey);
  const type = project?.issueTypes[Number(typeId) - 1];
  if (!project || !type) return notFound("Issue type not found for this project");
  const values = Object.entries(fieldMeta(site, projectKey, type)).map(([fieldId, meta]) => ({ fieldId, ...(meta as object) }));
  return { status: 200, json: { maxResults: 50, startAt: 0, total: values.length, isLast: true, values } };
}

export function showIssue(site: IssueSite, issue: IssueRecord): Record<string, unknown> {
  const project = site.projects.get(issue.project);
  return {
    id: issue.id ?? issue.key,
    key: issue.key,
    self: `${site.url}/rest/api/2/issue/${issue.id ?? issue.key}`,
    fields: {
      ...issue.other,
      summary: issue.summary ?? issue.key,
      description: issue.description ?? null,
      labels: issue.labels ?? [],
      priority: issue.priority ? { name: issue.priority, id: String(site.priorities.indexOf(issue.priority) + 1) } : null,
      components: (issue.components ?? []).map((name) => ({ name })),
      assignee: issue.assignee ? { name: issue.assignee } : null,
      issuetype: { name: issue.issueType ?? "Bug", id: project ? issueTypeId(project.issueTypes, issue.issueType ?? "Bug") : "1" },
      project: { key: issue.project, id: project?.id },
      status: { name: issue.status.name, statusCategory: { key: CATEGORY_KEYS[issue.status.category], name: issue.status.category } },
      comment: { comments: issue.comments ?? [], total: issue.comments?.length ?? 0, maxResults: 50, startAt: 0 },
    },
  };
}

/** DefectDojo finds the issue of a comment by this URL's third-from-last segment (its id). */
export function commentSelf(site: IssueSite, issue: IssueRecord, commentId: string): string {
  return `${site.url}/rest/api/2/issue/${issue.id ?? issue.key}/comment/${commentId}`;
}

export function findIssue(site: IssueSite, idOrKey: string): IssueRecord | undefined {
  return site.issues.get(idOrKey) ?? [...site.issues.values()].find((i) => i.id === idOrKey);
}

/** Applies `fields` (and the `update` verbs Jira clients send for labels) to an issue; returns field errors. */
function apply(site: IssueSite, issue: IssueRecord, fields: Record<string, unknown>, update: Record<string, unknown> = {}): Record<string, string> {
  const errors: Record<string, string> = {};
  const project = site.projects.get(issue.project)!;
  for (const [field, value] of Object.entries(fields)) {
    if (field === "project" || field === "issuetype") continue;
    if (field === "summary") issue.summary = String(value);
    else if (field === "description") issue.description = value === null ? undefined : String(value);
    else if (field === "labels") {
      if (!Array.isArray(value) || value.some((l) => typeof l !== "string" || /\s/.test(l))) errors.labels = "Labels cannot contain spaces.";
      else issue.labels = value as string[];
    } else if (field === "priority") {
      const name = (value as { name?: string; id?: string } | null)?.name ?? site.priorities[Number((value as { id?: string })?.id) - 1];
      if (!name || !site.priorities.includes(name)) errors.priority = `Priority name '${String(name)}' is not valid`;
      else issue.priority = name;
    } else if (field === "components") {
      const names = Array.isArray(value) ? value.map((c) => String((c as { name?: string }).name)) : [];
      const unknown = names.find((n) => !project.components.includes(n));
      if (unknown !== undefined) errors.components = `Component name '${unknown}' is not valid`;
      else issue.components = names;
    } else if (field === "assignee") issue.assignee = (value as { name?: string; accountId?: string } | null)?.name ?? (value as { accountId?: string } | null)?.accountId;
    else issue.other = { ...issue.other, [field]: value };
  }
  for (const op of Array.isArray(update.labels) ? (update.labels as Array<{ add?: string; remove?: string }>) : []) {
    if (op.add !== undefined) issue.labels = [...new Set([...(issue.labels ?? []), op.add])];
    if (op.remove !== undefined) issue.labels = (issue.labels ?? []).filter((l) => l !== op.remove);
  }
  return errors;
}

/**
 * GET issue search: `/search/jql` on Cloud (the old `/search` is gone there), `/search` on Data Center.
 * Only `project = KEY` queries, which is what `lint --online` asks to find a project's workflow.
 */
export function searchIssues(site: IssueSite, path: string, url: URL): EmulatorResponse | undefined {
  if (path !== (site.flavour === "cloud" ? "/search/jql" : "/search")) return undefined;
  const key = /project\s*=\s*"?([A-Z][A-Z0-9_]*)"?/.exec(url.searchParams.get("jql") ?? "")?.[1];
  const issues = [...site.issues.values()].filter((i) => i.project === key).map((i) => showIssue(site, i));
  return { status: 200, json: { issues, total: issues.length, startAt: 0, maxResults: 50, isLast: true } };
}

/** Every write DefectDojo's helper makes on issues, and the full issue read. Undefined: not an issue route. */
/** `actor` is the authenticated user: the author of a comment. */
export function issueApi(site: IssueSite, request: EmulatorRequest, path: string, nextId: () => number, actor: string): EmulatorResponse | undefined {
  const method = request.method;
  const body = () => {
    const parsed = parseJsonBody(request.body);
    return parsed.ok && parsed.value && typeof parsed.value === "object" ? (parsed.value as Record<string, unknown>) : undefined;
  };
  if (path === "/issue" && method === "POST") {
    const input = body();
    const fields = (input?.fields ?? {}) as Record<string, unknown>;
    const projectRef = fields.project as { key?: string; id?: string } | undefined;
    const project = [...site.projects.values()].find((p) => p.key === projectRef?.key || p.id === projectRef?.id);
    if (!project) return invalid({ project: "project is required" });
    const typeRef = fields.issuetype as { name?: string; id?: string } | undefined;
    const issueType = typeRef?.name ?? project.issueTypes[Number(typeRef?.id) - 1];
    if (!issueType || !project.issueTypes.includes(issueType)) return invalid({ issuetype: "valid issue type is required" });
    if (typeof fields.summary !== "string" || fields.summary.trim() === "") return invalid({ summary: "You must specify a summary of the issue." });
    if (site.epicNameField && issueType === "Epic" && typeof fields.customfield_10011 !== "string") return invalid({ customfield_10011: "Epic Name is required." });
    const n = [...site.issues.values()].filter((i) => i.project === project.key).length + 1;
    const id = String(nextId());
    const issue: IssueRecord = { id, key: `${project.key}-${n}`, project: project.key, issueType, status: project.workflow.find((t) => t.to.category === "To Do")?.to ?? { name: "To Do", category: "To Do" } };
    const errors = apply(site, issue, fields);
    if (Object.keys(errors).length > 0) return invalid(errors);
    site.issues.set(issue.key, issue);
    return { status: 201, json: { id, key: issue.key, self: `${site.url}/rest/api/2/issue/${id}` } };
  }
  const match = /^\/issue\/([^/]+)(\/comment|\/transitions|\/assignee)?$/.exec(path);
  if (match && match[1] !== "createmeta") {
    const issue = findIssue(site, decodeURIComponent(match[1]!));
    if (!issue) return notFound();
    const sub = match[2];
    if (!sub && method === "GET") return { status: 200, json: showIssue(site, issue) };
    if (!sub && method === "PUT") {
      const input = body() ?? {};
      const errors = apply(site, issue, (input.fields ?? {}) as Record<string, unknown>, (input.update ?? {}) as Record<string, unknown>);
      if (Object.keys(errors).length > 0) return invalid(errors);
      site.emit({ event: "jira:issue_updated", issue });
      return { status: 204 };
    }
    if (sub === "/assignee" && method === "PUT") {
      apply(site, issue, { assignee: body() ?? null });
      return { status: 204 };
    }
    if (sub === "/comment") {
      if (method === "GET") return { status: 200, json: { comments: issue.comments ?? [], total: issue.comments?.length ?? 0, maxResults: 50, startAt: 0 } };
      if (method === "POST") {
        const text = body()?.body;
        if (typeof text !== "string" || text === "") return invalid({ comment: "Comment body can not be empty!" });
        const comment = { id: String(nextId()), body: text, author: actor };
        issue.comments = [...(issue.comments ?? []), comment];
        site.emit({ event: "comment_created", issue, comment });
        return { status: 201, json: { ...comment, self: commentSelf(site, issue, comment.id), author: { name: actor } } };
      }
    }
    if (sub === "/transitions" && method === "POST") {
      const input = body() ?? {};
      const id = String((input.transition as { id?: unknown } | undefined)?.id ?? "");
      const transition = site.projects.get(issue.project)!.workflow.find((t) => t.id === id);
      if (!transition) return { status: 400, json: { errorMessages: [`Transition id '${id}' is not valid for this issue.`], errors: {} } };
      const errors = apply(site, issue, (input.fields ?? {}) as Record<string, unknown>);
      if (Object.keys(errors).length > 0) return invalid(errors);
      issue.status = transition.to;
      site.emit({ event: "jira:issue_updated", issue });
      return { status: 204 };
    }
    return undefined;
  }
  const epic = /^\/rest\/agile\/1\.0\/epic\/([^/]+)\/issue$/.exec(path);
  if (epic && method === "POST") {
    const target = findIssue(site, decodeURIComponent(epic[1]!));
    if (!target || target.issueType !== "Epic") return notFound("The epic does not exist");
    const keys = Array.isArray(body()?.issues) ? (body()!.issues as unknown[]).map(String) : [];
    const members = keys.map((k) => findIssue(site, k));
    if (members.some((m) => !m)) return invalid({ issues: "Some issues do not exist" });
    for (const member of members) member!.epic = target.key;
    return { status: 204 };
  }
  return undefined;
}
