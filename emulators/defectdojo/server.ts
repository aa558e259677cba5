import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { LoopbackEmulator, parseJsonBody, type EmulatorRequest, type EmulatorResponse } from "../http.js";
import { deserialize, PRO, serialize, validationError, type FieldErrors } from "./drf.js";
import { pushFinding, type PushOutcome } from "./jira-push.js";
import { MODELS, SYSTEM_SETTINGS_FIELDS, type Database, type FieldSpec, type ModelSpec, type Row, type TableName, type ViewsetTable } from "./models.js";

export interface DefectDojoEmulatorOptions {
  port?: number;
  /** API token accepted in `Authorization: Token …`; random when not given. */
  token?: string;
  /** DefectDojo's DD_JIRA_EXTRA_ISSUE_TYPES. */
  extraIssueTypes?: string[];
  /** JSON snapshot: loaded at start when present, written after every change. */
  stateFile?: string;
}

/** URL prefixes → tables; the aliases route to the same viewsets, as in DefectDojo (§2.2, §2.3). */
const ROUTES: Record<string, ViewsetTable> = {
  product_types: "product_types",
  products: "products",
  engagements: "engagements",
  test_types: "test_types",
  tests: "tests",
  findings: "findings",
  jira_instances: "jira_instances",
  jira_configurations: "jira_instances",
  jira_projects: "jira_projects",
  jira_product_configurations: "jira_projects",
  jira_finding_mappings: "jira_issues",
};

const TABLES: TableName[] = ["product_types", "products", "engagements", "test_types", "tests", "findings", "notes", "jira_instances", "jira_projects", "jira_issues", "system_settings"];
/** A few of the test types DefectDojo's fixtures install, so a test can be created on a fresh server. */
const FIXTURE_TEST_TYPES = ["Pen Test", "Manual Code Review", "Security Research"];
const SERVER_ERROR = { message: "Internal server error, check logs for details", pro: PRO };

function emptyDatabase(): Database {
  return Object.fromEntries(TABLES.map((t) => [t, new Map<number, Row>()])) as Database;
}

/** An in-memory DefectDojo 3.2 REST API (the Jira parts and what they reference), quirks included. */
export class DefectDojoEmulator extends LoopbackEmulator {
  readonly token: string;
  db: Database = emptyDatabase();
  private nextId: Record<TableName, number> = Object.fromEntries(TABLES.map((t) => [t, 1])) as Record<TableName, number>;

  constructor(private readonly options: DefectDojoEmulatorOptions = {}) {
    super(options.port);
    this.token = options.token ?? randomUUID().replace(/-/g, "").padEnd(40, "0").slice(0, 40);
    this.reset();
    if (options.stateFile) this.load(options.stateFile);
  }

  reset(): void {
    this.db = emptyDatabase();
    this.nextId = Object.fromEntries(TABLES.map((t) => [t, 1])) as Record<TableName, number>;
    const settings: Row = { id: 1 };
    for (const [name, spec] of Object.entries(SYSTEM_SETTINGS_FIELDS)) settings[name] = spec.default;
    settings.jira_webhook_secret = randomUUID(); // DefectDojo sets one on first boot
    this.db.system_settings.set(1, settings);
    this.nextId.system_settings = 2;
    for (const name of FIXTURE_TEST_TYPES) this.insert("test_types", { name, static_tool: false, dynamic_tool: false, active: true });
    this.log.length = 0;
    this.faults.configure({ rate: 0 });
  }

  insert(table: TableName, values: Record<string, unknown>): Row {
    const row: Row = { ...values, id: this.nextId[table]++ };
    this.db[table].set(row.id, row);
    return row;
  }

  // ---- request handling -------------------------------------------------------------------

  protected async handle(request: EmulatorRequest): Promise<EmulatorResponse> {
    const path = request.url.pathname;
    if (path.startsWith("/_emulator/")) return this.control(request);
    const webhook = /^\/(?:jira\/)?webhook(?:\/(.*))?$/.exec(path);
    if (webhook) return this.jiraWebhook(request, webhook[1] ?? "");
    const match = /^\/api\/v2\/([a-z_]+)(?:\/([^/]+))?(?:\/([a-z_]+))?(\/?)$/.exec(path);
    if (!match) return { status: 404, json: { detail: "Not found." } };
    const [, resource, id, action, slash] = match;
    // Django's CommonMiddleware appends the slash on the way out of a 404, before any view (so before
    // authentication) and, with DEBUG off as in production, for every method: a POST gets 301 too (§9).
    if (slash !== "/") {
      if (resource !== "system_settings" && !ROUTES[resource!]) return { status: 404, json: { detail: "Not found." } };
      return { status: 301, text: "", headers: { Location: `${path}/${request.url.search}` } };
    }
    const auth = this.authenticate(request);
    if (auth) return auth;
    const response = resource === "system_settings" ? this.systemSettings(request, id) : await this.viewset(request, resource!, id, action);
    if (["POST", "PUT", "PATCH", "DELETE"].includes(request.method) && response.status < 300) this.persist();
    return response;
  }

  /**
   * Session auth runs first in DefectDojo, so a missing or bad token is 403, never 401 (§2.1). A
   * scheme other than `Token` (`Bearer …`) is no credential at all to open-source DefectDojo (§9).
   */
  private authenticate(request: EmulatorRequest): EmulatorResponse | undefined {
    const header = request.headers.authorization;
    const [scheme, key] = (header ?? "").split(/\s+/, 2);
    if (scheme?.toLowerCase() !== "token") return { status: 403, json: { detail: "Authentication credentials were not provided." } };
    if (key !== this.token) return { status: 403, json: { detail: "Invalid token." } };
    return undefined;
  }

  private async viewset(request: EmulatorRequest, resource: string, id: string | undefined, action: string | undefined): Promise<EmulatorResponse> {
    const table = ROUTES[resource];
    if (!table) return { status: 404, json: { detail: "Not found." } };
    const model = MODELS[table];
    const method = request.method;
    if (id === undefined) {
      if (method === "GET") return this.list(model, request.url);
      if (method === "POST") return this.afterWrite(model, request, this.write(model, request, undefined, "create"));
      if (method === "OPTIONS") return options(model.modelName, "POST", model.fields);
      return notAllowed(method);
    }
    // DRF answers OPTIONS without looking the object up (its 404 is swallowed), on actions too.
    if (method === "OPTIONS") return options(model.modelName, action === undefined ? "PUT" : undefined, model.fields);
    if (!/^\d+$/.test(id)) return { status: 404, json: { detail: "Not found.", message: "", pro: PRO } };
    const row = this.db[table].get(Number(id));
    if (!row) return { status: 404, json: { detail: `No ${model.modelName} matches the given query.` } };
    if (action === "delete_preview") return method === "GET" ? this.page(this.deletePreview(table, row), request.url) : notAllowed(method);
    if (action === "notes" && table === "findings") return this.findingNotes(request, row);
    if (action !== undefined) return { status: 404, json: { detail: "Not found." } };
    if (method === "GET") return { status: 200, json: this.withPrefetch(model, this.present(model, row), request.url, [row]) };
    if (method === "PUT") return this.afterWrite(model, request, this.write(model, request, row, "update"));
    if (method === "PATCH") return this.afterWrite(model, request, this.write(model, request, row, "partial"));
    if (method === "DELETE") return this.destroy(table, row);
    return notAllowed(method);
  }

  private list(model: ModelSpec, url: URL): EmulatorResponse {
    let rows = [...this.db[model.table].values()];
    const errors: FieldErrors = {};
    for (const [param, filter] of Object.entries(model.filters)) {
      const raw = url.searchParams.get(param);
      if (raw === null || raw === "") continue;
      switch (filter.kind) {
        case "exact":
          rows = rows.filter((r) => String(r[filter.field] ?? "") === raw);
          break;
        case "icontains":
          rows = rows.filter((r) => String(r[filter.field] ?? "").toLowerCase().includes(raw.toLowerCase()));
          break;
        case "iexact":
          rows = rows.filter((r) => String(r[filter.field] ?? "").toLowerCase() === raw.toLowerCase());
          break;
        case "bool":
          if (raw === "true" || raw === "false") rows = rows.filter((r) => r[filter.field] === (raw === "true"));
          break; // other values are ignored, as django-filter does
        case "int":
          if (!/^-?\d+$/.test(raw)) errors[param] = [{ message: "Enter a number.", code: "invalid" }];
          else rows = rows.filter((r) => r[filter.field] === Number(raw));
          break;
        case "id_list": {
          const ids = raw.split(",").map((s) => s.trim());
          if (ids.some((s) => !/^\d+$/.test(s))) errors[param] = [{ message: "Enter a number.", code: "invalid" }];
          else rows = rows.filter((r) => ids.includes(String(r.id)));
          break;
        }
        case "fk": {
          const target = model.fields[filter.field]?.fk ?? (filter.field === "prod_type" ? "product_types" : undefined);
          if (!/^\d+$/.test(raw) || !target || !this.db[target].has(Number(raw))) {
            errors[param] = [{ message: "Select a valid choice. That choice is not one of the available choices.", code: "invalid_choice" }];
          } else rows = rows.filter((r) => r[filter.field] === Number(raw));
          break;
        }
      }
    }
    if (Object.keys(errors).length > 0) return validationError(errors);
    const response = this.page(rows.map((r) => this.present(model, r)), url);
    return model.prefetch ? { ...response, json: this.withPrefetch(model, response.json as Record<string, unknown>, url, rows) } : response;
  }

  private page(items: unknown[], url: URL): EmulatorResponse {
    const limit = Math.max(1, Number(url.searchParams.get("limit") ?? 25) || 25);
    const offset = Math.max(0, Number(url.searchParams.get("offset") ?? 0) || 0);
    const link = (o: number) => {
      const next = new URL(url.href.replace(/^http:\/\/127\.0\.0\.1/, this.url));
      next.searchParams.set("limit", String(limit));
      if (o > 0) next.searchParams.set("offset", String(o));
      else next.searchParams.delete("offset");
      return next.href;
    };
    return {
      status: 200,
      json: {
        count: items.length,
        next: offset + limit < items.length ? link(offset + limit) : null,
        previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
        results: items.slice(offset, offset + limit),
      },
    };
  }

  /** `?prefetch=a,b` embeds related objects by id; Jira instances come without their password (§2.1). */
  private withPrefetch(model: ModelSpec, body: Record<string, unknown>, url: URL, rows: Row[]): Record<string, unknown> {
    if (!model.prefetch) return body;
    const prefetch: Record<string, Record<string, unknown>> = {};
    for (const field of (url.searchParams.get("prefetch") ?? "").split(",").filter(Boolean)) {
      const target = model.fields[field]?.fk;
      if (!target || target === "findings") continue;
      const related: Record<string, unknown> = {};
      for (const row of rows) {
        const id = row[field] as number | null;
        const other = id ? this.db[target].get(id) : undefined;
        if (other) related[String(id)] = this.present(MODELS[target as keyof typeof MODELS], other);
      }
      prefetch[field] = related;
    }
    return { ...body, prefetch };
  }

  private write(model: ModelSpec, request: EmulatorRequest, existing: Row | undefined, mode: "create" | "update" | "partial"): EmulatorResponse {
    const parsed = parseJsonBody(request.body);
    if (!parsed.ok) return { status: 400, json: { message: "JSON request content is malformed" } };
    const body = (parsed.value && typeof parsed.value === "object" && !Array.isArray(parsed.value) ? parsed.value : {}) as Record<string, unknown>;
    // Permission classes look the parent up before the serializer runs: a missing one is a 404 (§2.3).
    if (model.table === "jira_projects" || model.table === "jira_issues") {
      for (const [field, table, name] of [["product", "products", "Product"], ["engagement", "engagements", "Engagement"], ["finding", "findings", "Finding"]] as const) {
        const id = body[field];
        if (mode === "create" && id !== undefined && id !== null && model.fields[field] && !this.db[table].has(Number(id))) {
          return { status: 404, json: { detail: `No ${name} matches the given query.` } };
        }
      }
    }
    const result = deserialize(model.fields, body, mode, this.db, model.table === "jira_instances" ? { default_issue_type: this.options.extraIssueTypes ?? [] } : {});
    if ("errors" in result) return validationError(result.errors);
    const merged = { ...(existing ?? {}), ...result.values } as Record<string, unknown>;
    const errors = this.objectRules(model, merged, mode === "partial" ? merged : result.values, existing);
    if (errors) return validationError(errors);
    if (existing) {
      Object.assign(existing, result.values);
      return { status: 200, json: this.present(model, existing) };
    }
    // A finding's product is reached through its test's engagement; kept on the row for the Jira lookups.
    if (model.table === "findings") merged.product = this.db.engagements.get(this.db.tests.get(merged.test as number)?.engagement as number)?.product ?? null;
    const row = this.insert(model.table, merged);
    return { status: 201, json: this.present(model, row) };
  }

  /** Each push to Jira a finding write caused, for tests: DefectDojo reports these as alerts, not API errors. */
  readonly jiraPushes: PushOutcome[] = [];

  /**
   * A finding written with `push_to_jira` (or under a push-all link) is pushed before the answer, as the
   * finding API does so that errors surface (§5.1); the answer is the write's, whatever the push did (§9).
   */
  private async afterWrite(model: ModelSpec, request: EmulatorRequest, response: EmulatorResponse): Promise<EmulatorResponse> {
    if (model.table !== "findings" || response.status >= 300) return response;
    const row = this.db.findings.get((response.json as { id: number }).id)!;
    delete row.push_to_jira; // a request flag, not a stored field
    const parsed = parseJsonBody(request.body);
    const forced = parsed.ok && (parsed.value as { push_to_jira?: unknown } | null)?.push_to_jira === true;
    this.jiraPushes.push(await pushFinding(this.db, (table, values) => this.insert(table, values), row, forced));
    return response;
  }

  /** `findings/{id}/notes/`: GET lists them as FindingToNotes, POST adds one (and pushes it as a comment with push_notes, §5.6). */
  private async findingNotes(request: EmulatorRequest, finding: Row): Promise<EmulatorResponse> {
    if (request.method === "GET") return { status: 200, json: { finding_id: finding.id, notes: [...this.db.notes.values()].filter((n) => n.finding === finding.id).map(showNote) } };
    if (request.method !== "POST") return notAllowed(request.method);
    const parsed = parseJsonBody(request.body);
    const body = (parsed.ok && parsed.value && typeof parsed.value === "object" ? parsed.value : {}) as { entry?: unknown; private?: unknown };
    if (typeof body.entry !== "string" || body.entry.trim() === "") return validationError({ entry: [{ message: "This field is required.", code: "required" }] });
    const note = this.insert("notes", { finding: finding.id, entry: body.entry, author: "admin", date: new Date().toISOString(), private: body.private === true });
    return { status: 201, json: showNote(note) };
  }

  /** A row as the serializer answers it, computed read-only fields included. */
  private present(model: ModelSpec, row: Row): Record<string, unknown> {
    return serialize(model.computed ? { ...row, ...model.computed(row, this.db) } : row, model.fields);
  }

  /** Serializer-level rules: uniqueness and exactly-one-of targets (PATCH checks stored values too). */
  private objectRules(model: ModelSpec, merged: Record<string, unknown>, checked: Record<string, unknown>, existing: Row | undefined): FieldErrors | undefined {
    const errors: FieldErrors = {};
    for (const [name, spec] of Object.entries(model.fields)) {
      if (!spec.unique || merged[name] === null || merged[name] === undefined) continue;
      const clash = [...this.db[model.table].values()].some((r) => r.id !== existing?.id && r[name] === merged[name]);
      if (clash) errors[name] = [{ message: `${model.verboseName} with this ${name.replace(/_/g, " ")} already exists.`, code: "unique" }];
    }
    if (Object.keys(errors).length > 0) return errors;
    if (model.table === "jira_projects" && Boolean(checked.product) === Boolean(checked.engagement)) {
      return { non_field_errors: [{ message: "Either engagement or product has to be set.", code: "invalid" }] };
    }
    if (model.table === "jira_issues" && ["engagement", "finding", "finding_group"].filter((f) => checked[f]).length !== 1) {
      return { non_field_errors: [{ message: "Either engagement or finding or finding_group has to be set.", code: "invalid" }] };
    }
    if (model.table === "engagements" && typeof merged.target_start === "string" && typeof merged.target_end === "string" && merged.target_start > merged.target_end) {
      return { non_field_errors: [{ message: "Your target start date exceeds your target end date", code: "invalid" }] };
    }
    return undefined;
  }

  /** What a delete would cascade to, leaving out what would block it (PROTECT), as DefectDojo does (§2.8). */
  private deletePreview(table: TableName, row: Row): Array<{ model: string; id: number | null; name: string }> {
    return this.cascade(table, row).map(({ table: t, row: r }) => ({ model: modelName(t), id: r.id, name: displayOf(t, r, this.db) }));
  }

  private cascade(table: TableName, row: Row): Array<{ table: TableName; row: Row }> {
    const out = [{ table, row }];
    const children = (child: TableName, field: string) => [...this.db[child].values()].filter((r) => r[field] === row.id);
    if (table === "product_types") for (const p of children("products", "prod_type")) out.push(...this.cascade("products", p));
    if (table === "products") {
      for (const e of children("engagements", "product")) out.push(...this.cascade("engagements", e));
      for (const p of children("jira_projects", "product")) out.push(...this.cascade("jira_projects", p));
      for (const f of children("findings", "product")) out.push(...this.cascade("findings", f));
    }
    if (table === "engagements") {
      for (const t of children("tests", "engagement")) out.push(...this.cascade("tests", t));
      for (const p of children("jira_projects", "engagement")) out.push(...this.cascade("jira_projects", p));
      for (const i of children("jira_issues", "engagement")) out.push({ table: "jira_issues", row: i });
    }
    if (table === "jira_projects") for (const i of children("jira_issues", "jira_project")) out.push({ table: "jira_issues", row: i });
    if (table === "tests") for (const f of children("findings", "test")) out.push(...this.cascade("findings", f));
    if (table === "findings") for (const i of children("jira_issues", "finding")) out.push({ table: "jira_issues", row: i });
    const seen = new Set<string>();
    return out.filter(({ table: t, row: r }) => !seen.has(`${t}:${r.id}`) && Boolean(seen.add(`${t}:${r.id}`)));
  }

  private destroy(table: TableName, row: Row): EmulatorResponse {
    // JIRA_Project.jira_instance is PROTECT, and DefectDojo maps ProtectedError to a bare 500 (§0.1 #3).
    const doomed = this.cascade(table, row);
    const protectedBy = doomed.some(({ table: t, row: r }) => t === "jira_instances" && [...this.db.jira_projects.values()].some((p) => p.jira_instance === r.id && !doomed.some((d) => d.table === "jira_projects" && d.row.id === p.id)));
    if (protectedBy) {
      const settings = this.db.system_settings.get(1)!;
      const message = settings.api_expose_error_details
        ? "Cannot delete some instances of model 'JIRA_Instance' because they are referenced through protected foreign keys: 'JIRA_Project.jira_instance'."
        : SERVER_ERROR.message;
      return { status: 500, json: { message, pro: PRO } };
    }
    for (const { table: t, row: r } of doomed) this.db[t].delete(r.id);
    return { status: 204 };
  }

  private systemSettings(request: EmulatorRequest, id: string | undefined): EmulatorResponse {
    const fields = SYSTEM_SETTINGS_FIELDS;
    if (id === undefined) {
      if (request.method === "GET") return this.page([...this.db.system_settings.values()].map((r) => serialize(r, fields)), request.url);
      if (request.method === "OPTIONS") return options("System Settings", undefined, fields);
      return notAllowed(request.method);
    }
    // The emulator's token is a superuser's, so DRF's metadata offers PUT (its permission check passed).
    if (request.method === "OPTIONS") return options("System Settings", "PUT", fields);
    const row = this.db.system_settings.get(Number(id));
    if (request.method === "GET" || request.method === "DELETE" || request.method === "POST") return notAllowed(request.method);
    if (!row) return { status: 404, json: { detail: "No System_Settings matches the given query." } };
    if (request.method !== "PUT" && request.method !== "PATCH") return notAllowed(request.method);
    const parsed = parseJsonBody(request.body);
    if (!parsed.ok) return { status: 400, json: { message: "JSON request content is malformed" } };
    // Nearly every field has a default, so PUT with a partial body works (§2.5).
    const result = deserialize(fields, parsed.value as Record<string, unknown>, "partial", this.db);
    if ("errors" in result) return validationError(result.errors);
    Object.assign(row, result.values);
    return { status: 200, json: serialize(row, fields) };
  }

  /** Jira events that reached processing, for tests: `Success!` ones and processing errors alike. */
  readonly webhookEvents: Array<{ event: string; issueId: string; linked: boolean }> = [];

  /**
   * DefectDojo's receiver (reference §4): every rejection is HTTP 200 with a plain-text reason, in
   * this order; only non-POST gets 405. `{secret}` must match [\w-]+ with no trailing slash,
   * anything else under the prefix counts as "no secret".
   */
  private jiraWebhook(request: EmulatorRequest, rest: string): EmulatorResponse {
    if (request.method !== "POST") return { status: 405, text: "" };
    const settings = this.db.system_settings.get(1)!;
    const reason = (text: string): EmulatorResponse => ({ status: 200, text });
    if (!settings.enable_jira) return reason("Ignoring incoming webhook as JIRA is disabled.");
    if (!settings.enable_jira_web_hook) return reason("Ignoring incoming webhook as JIRA Webhook is disabled.");
    const secret = /^[\w-]+$/.test(rest) ? rest : "";
    if (!settings.disable_jira_webhook_secret) {
      if (!settings.jira_webhook_secret) return reason("Ignoring incoming webhook as JIRA Webhook secret is empty in Defect Dojo system settings.");
      if (secret !== settings.jira_webhook_secret) return reason("Invalid or no secret provided to JIRA Webhook");
    }
    if (!(request.headers["content-type"] ?? "").startsWith("application/json")) return reason("only application/json supported");
    const parsed = parseJsonBody(request.body);
    if (!parsed.ok) return reason("Failed to parse JSON: Expecting value: line 1 column 1 (char 0)");
    const body = (parsed.value ?? {}) as JiraWebhookBody;
    const event = String(body.webhookEvent);
    if (event !== "jira:issue_updated" && event !== "comment_created") return reason(`Unrecognized JIRA webhook event received: ${event}`);
    const processingError = (error: string) => reason(`Original Exception: ${error}\njira webhook body parsed:\n${pythonJsonDump(parsed.value)}`);
    // Python's KeyError texts, as the real receiver answers a body without the keys it reads (§9).
    if (event === "jira:issue_updated" && (typeof body.issue !== "object" || body.issue === null)) return processingError("'issue'");
    if (event === "jira:issue_updated" && body.issue?.id === undefined) return processingError("'id'");
    const issueId = event === "comment_created" ? String(body.comment?.self?.split("/").slice(-3)[0] ?? "") : String(body.issue?.id ?? "");
    const linked = [...this.db.jira_issues.values()].some((i) => i.jira_id === issueId);
    this.webhookEvents.push({ event, issueId, linked });
    // DefectDojo catches the lookup's DoesNotExist only in its generic handler, which appends the body (§4.2 row 8, §9).
    if (!linked) return processingError("JIRA_Issue matching query does not exist.");
    const mapping = [...this.db.jira_issues.values()].find((i) => i.jira_id === issueId)!;
    const finding = mapping.finding ? this.db.findings.get(mapping.finding as number) : undefined;
    if (!finding) return reason(event === "comment_created" ? "Comment for engagement ignored" : "Update for engagement ignored");
    if (event === "jira:issue_updated") this.applyJiraStatus(finding, mapping, body.issue?.fields);
    if (body.comment) {
      const skipped = this.addJiraComment(finding, body.comment);
      if (skipped) return reason(skipped);
    }
    mapping.jira_change = new Date().toISOString();
    this.persist();
    return reason("Success!");
  }

  /** §4.3: a done issue mitigates its finding (or marks it false positive by resolution); an open one reactivates it. */
  private applyJiraStatus(finding: Row, mapping: Row, fields: JiraIssueFields | undefined): void {
    const done = fields?.status?.statusCategory?.key === "done";
    const resolution = typeof fields?.resolution === "object" && fields.resolution !== null ? fields.resolution.name : undefined;
    const link = this.db.jira_projects.get(mapping.jira_project as number);
    const instance = link?.jira_instance ? this.db.jira_instances.get(link.jira_instance as number) : undefined;
    const falsePositive = String(instance?.false_positive_mapping_resolution ?? "").split(",").map((r) => r.trim()).filter(Boolean);
    if (done && resolution !== undefined && falsePositive.includes(resolution)) Object.assign(finding, { false_p: true, active: false, verified: false });
    else if (done && !finding.is_mitigated) Object.assign(finding, { active: false, is_mitigated: true, mitigated: fields?.updated ?? new Date().toISOString() });
    else if (!done && !finding.active) Object.assign(finding, { active: true, is_mitigated: false, false_p: false, mitigated: null });
  }

  /** §4.4: a note on the finding, unless the comment comes from a configured Jira user (loop prevention) or was just added. */
  private addJiraComment(finding: Row, comment: NonNullable<JiraWebhookBody["comment"]>): string | undefined {
    const commenter = comment.updateAuthor?.name ?? comment.updateAuthor?.emailAddress ?? "";
    const configured = [...this.db.jira_instances.values()].some((i) => String(i.username).toLowerCase() === commenter.toLowerCase());
    if (configured) return `skipping incoming JIRA comment as the user id ${commenter} is one of the configured JIRA users`;
    const entry = `(${comment.updateAuthor?.displayName ?? commenter} (${commenter})): ${String(comment.body ?? "")}`;
    const recent = Date.now() - 30_000;
    const duplicate = [...this.db.notes.values()].some((n) => n.finding === finding.id && n.entry === entry && Date.parse(String(n.date)) > recent);
    if (!duplicate) this.insert("notes", { finding: finding.id, entry, author: "JIRA", date: new Date().toISOString(), private: false });
    return undefined;
  }

  // ---- control API ----------------------------------------------------------------------------

  private control(request: EmulatorRequest): EmulatorResponse {
    const path = request.url.pathname;
    const parsed = parseJsonBody(request.body);
    if (!parsed.ok) return { status: 400, json: { error: "body is not JSON" } };
    const body = (parsed.value ?? {}) as Record<string, unknown>;
    try {
      if (path === "/_emulator/reset" && request.method === "POST") {
        this.reset();
        this.persist();
        return { status: 200, json: { ok: true } };
      }
      if (path === "/_emulator/seed" && request.method === "POST") {
        const result = this.seed(body);
        this.persist();
        return { status: 201, json: result };
      }
      if (path === "/_emulator/jira-issues" && request.method === "POST") {
        const result = this.seedJiraIssues(Number(body.jira_project), Number(body.count ?? 1));
        this.persist();
        return { status: 201, json: result };
      }
      if (path === "/_emulator/faults") {
        if (request.method === "POST") return { status: 200, json: this.faults.configure(body) };
        if (request.method === "GET") return { status: 200, json: this.faults.settings };
      }
      if (path === "/_emulator/requests") {
        if (request.method === "GET") return { status: 200, json: this.log };
        if (request.method === "DELETE") {
          this.log.length = 0;
          return { status: 204 };
        }
      }
      return { status: 404, json: { error: `no control endpoint ${request.method} ${path}` } };
    } catch (error) {
      return { status: 400, json: { error: (error as Error).message } };
    }
  }

  /** Creates products (and their product type) and engagements by name; returns their ids. */
  seed(input: Record<string, unknown>): { products: Record<string, number>; engagements: Record<string, number> } {
    const products: Record<string, number> = {};
    const engagements: Record<string, number> = {};
    const list = (v: unknown) => (Array.isArray(v) ? (v as Array<Record<string, unknown>>) : []);
    let type = [...this.db.product_types.values()][0];
    for (const p of list(input.products)) {
      const name = String(p.name ?? "");
      if (!name) throw new Error("each product needs a name");
      type ??= this.insert("product_types", { name: "Emulated", description: null });
      const existing = [...this.db.products.values()].find((r) => r.name === name);
      products[name] = (existing ?? this.insert("products", { name, description: String(p.description ?? name), prod_type: type.id })).id;
    }
    for (const e of list(input.engagements)) {
      const productName = String(e.product ?? "");
      const product = [...this.db.products.values()].find((r) => r.name === productName);
      if (!product) throw new Error(`engagement "${String(e.name)}": no product named "${productName}"`);
      const row = this.insert("engagements", { name: String(e.name ?? ""), product: product.id, target_start: "2026-01-01", target_end: "2026-12-31", status: "In Progress" });
      engagements[`${productName}/${String(e.name)}`] = row.id;
    }
    return { products, engagements };
  }

  /** N findings with their finding-to-Jira-issue mappings under one link, as pushes would leave them. */
  seedJiraIssues(jiraProject: number, count: number): { created: number; ids: number[] } {
    const project = this.db.jira_projects.get(jiraProject);
    if (!project) throw new Error(`no jira_project ${jiraProject}`);
    if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new Error("count must be 1..100000");
    const product = project.product ?? this.db.engagements.get(project.engagement as number)?.product ?? null;
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const finding = this.insert("findings", { title: `Emulated finding ${i + 1}`, product });
      const n = this.db.jira_issues.size + 1;
      const now = new Date().toISOString();
      ids.push(this.insert("jira_issues", { jira_id: String(10_000 + finding.id), jira_key: `${String(project.project_key || "ISSUE")}-${n}`, jira_creation: now, jira_change: now, jira_project: project.id, finding: finding.id, engagement: null, finding_group: null }).id);
    }
    return { created: count, ids };
  }

  // ---- snapshot -------------------------------------------------------------------------------

  private persist(): void {
    if (!this.options.stateFile) return;
    const snapshot = { nextId: this.nextId, tables: Object.fromEntries(TABLES.map((t) => [t, [...this.db[t].values()]])) };
    writeFileSync(this.options.stateFile, JSON.stringify(snapshot));
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return; // first run: nothing saved yet
    }
    const snapshot = JSON.parse(text) as { nextId: Record<TableName, number>; tables: Record<TableName, Row[]> };
    this.nextId = { ...this.nextId, ...snapshot.nextId };
    for (const t of TABLES) this.db[t] = new Map((snapshot.tables[t] ?? []).map((r) => [r.id, r]));
  }
}

/**
 * DRF's SimpleMetadata answer to OPTIONS: `actions` describes the serializer's fields for the write
 * method the caller may use (POST on a list, PUT on a detail), and is left out otherwise (§2.1).
 */
function options(name: string, method: "POST" | "PUT" | undefined, fields: Record<string, FieldSpec>): EmulatorResponse {
  const body: Record<string, unknown> = { name, description: "", renders: ["application/json", "text/html"], parses: ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"] };
  if (method) {
    const described: Record<string, unknown> = { id: { type: "integer", required: false, read_only: true } };
    for (const [field, spec] of Object.entries(fields)) {
      described[field] = {
        type: DRF_TYPES[spec.type],
        required: Boolean(spec.required),
        read_only: Boolean(spec.readOnly),
        ...(spec.maxLength !== undefined ? { max_length: spec.maxLength } : {}),
        ...(spec.choices ? { choices: spec.choices.map((c) => ({ value: c, display_name: c })) } : {}),
      };
    }
    body.actions = { [method]: described };
  }
  return { status: 200, json: body };
}

const DRF_TYPES: Record<FieldSpec["type"], string> = { string: "string", url: "url", int: "integer", bool: "boolean", json: "json", fk: "field", choice: "choice", date: "date", datetime: "datetime" };

/** Python's `json.dumps(value, indent=4)`: ASCII only, like `ensure_ascii` (§4.2 row 8). */
function pythonJsonDump(value: unknown): string {
  return JSON.stringify(value, null, 4).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

interface JiraIssueFields {
  status?: { statusCategory?: { key?: string } };
  resolution?: { name?: string } | string | null;
  updated?: string;
}

/** The parts of a Jira webhook body DefectDojo's receiver reads. */
interface JiraWebhookBody {
  webhookEvent?: string;
  issue?: { id?: string; fields?: JiraIssueFields };
  comment?: { self?: string; body?: string; updateAuthor?: { name?: string; emailAddress?: string; displayName?: string } };
}

function showNote(note: Row): Record<string, unknown> {
  return { id: note.id, author: { username: note.author }, editor: null, history: [], entry: note.entry, date: note.date, private: note.private, edited: false, edit_time: null, note_type: null };
}

function notAllowed(method: string): EmulatorResponse {
  return { status: 405, json: { detail: `Method "${method}" not allowed.` } };
}

function modelName(table: TableName): string {
  if (table === "notes") return "Notes";
  if (table === "system_settings") return "System_Settings";
  return MODELS[table].modelName;
}

function displayOf(table: TableName, row: Row, db: Database): string {
  if (table === "notes") return String(row.entry);
  if (table === "system_settings") return "System settings";
  return MODELS[table].display(row, db);
}

export async function startDefectDojoEmulator(options: DefectDojoEmulatorOptions = {}): Promise<DefectDojoEmulator> {
  return new DefectDojoEmulator(options).start();
}
