/**
 * The DefectDojo 3.2 tables the emulator serves, described as data: field types, API
 * requiredness, defaults, lengths and filters exactly as the reference (§1, §2) gives them.
 */
export type FieldType = "string" | "url" | "int" | "bool" | "json" | "fk" | "choice" | "date" | "datetime";

export interface FieldSpec {
  type: FieldType;
  /** Required on POST and PUT. */
  required?: boolean;
  nullable?: boolean;
  /** `""` allowed. */
  blank?: boolean;
  maxLength?: number;
  default?: unknown;
  writeOnly?: boolean;
  readOnly?: boolean;
  /** Target table of a foreign key. */
  fk?: TableName;
  choices?: readonly string[];
  unique?: boolean;
}

export type TableName = "product_types" | "products" | "engagements" | "test_types" | "tests" | "findings" | "notes" | "jira_instances" | "jira_projects" | "jira_issues" | "system_settings";

export type FilterKind = "exact" | "int" | "fk" | "bool" | "icontains" | "iexact" | "id_list";

export interface ModelSpec {
  table: TableName;
  /** Django model class name, used in 404s and delete previews. */
  modelName: string;
  /** Django's generated verbose name, leaking into uniqueness errors ("jir a_ project"). */
  verboseName: string;
  fields: Record<string, FieldSpec>;
  filters: Record<string, { field: string; kind: FilterKind }>;
  /** Adds the top-level "prefetch" key to list and retrieve responses. */
  prefetch?: boolean;
  display(row: Row, db: Database): string;
  /** Read-only values the serializer computes on every answer (a mapping's `url`). */
  computed?(row: Row, db: Database): Record<string, unknown>;
}

export type Row = Record<string, unknown> & { id: number };
export type Database = Record<TableName, Map<number, Row>>;

const string = (maxLength: number, extra: Partial<FieldSpec> = {}): FieldSpec => ({ type: "string", maxLength, ...extra });
const optionalText = (maxLength?: number): FieldSpec => ({ type: "string", nullable: true, blank: true, default: null, ...(maxLength ? { maxLength } : {}) });
const bool = (value: boolean): FieldSpec => ({ type: "bool", default: value });

export const DEFAULT_ISSUE_TYPES = ["Task", "Story", "Epic", "Spike", "Bug", "Security"] as const;

/** The severities DefectDojo orders (Info=0 … Critical=4), as `jira_minimum_severity` compares them (§5.1). */
export const SEVERITIES = ["Info", "Low", "Medium", "High", "Critical"] as const;

/** Tables served by a generic viewset; notes are reached only through `findings/{id}/notes/`. */
export type ViewsetTable = Exclude<TableName, "notes" | "system_settings">;

export const MODELS: Record<ViewsetTable, ModelSpec> = {
  product_types: {
    table: "product_types",
    modelName: "Product_Type",
    verboseName: "product type",
    fields: { name: string(255, { required: true, unique: true }), description: optionalText(4000) },
    filters: { id: { field: "id", kind: "int" }, name: { field: "name", kind: "exact" } },
    display: (row) => String(row.name),
  },
  products: {
    table: "products",
    modelName: "Product",
    verboseName: "product",
    fields: {
      name: string(255, { required: true, unique: true }),
      description: string(4000, { required: true }),
      prod_type: { type: "fk", fk: "product_types", required: true },
    },
    filters: {
      id: { field: "id", kind: "id_list" },
      name: { field: "name", kind: "icontains" },
      name_exact: { field: "name", kind: "iexact" },
      prod_type: { field: "prod_type", kind: "fk" },
    },
    prefetch: true,
    display: (row) => String(row.name),
  },
  engagements: {
    table: "engagements",
    modelName: "Engagement",
    verboseName: "engagement",
    fields: {
      name: { type: "string", maxLength: 300, nullable: true, blank: true, default: null },
      product: { type: "fk", fk: "products", required: true },
      target_start: { type: "date", required: true },
      target_end: { type: "date", required: true },
      status: { type: "string", maxLength: 2000, default: "Not Started" },
    },
    filters: { id: { field: "id", kind: "int" }, product: { field: "product", kind: "fk" }, name: { field: "name", kind: "exact" } },
    display: (row) => String(row.name ?? `Engagement ${row.id}`),
  },
  // The finding side, as much of it as a push to Jira reads (FindingCreate and TestCreate in the OpenAPI schema).
  test_types: {
    table: "test_types",
    modelName: "Test_Type",
    verboseName: "test type",
    fields: { name: string(200, { required: true, unique: true }), static_tool: bool(false), dynamic_tool: bool(false), active: bool(true) },
    filters: { id: { field: "id", kind: "int" }, name: { field: "name", kind: "exact" } },
    display: (row) => String(row.name),
  },
  tests: {
    table: "tests",
    modelName: "Test",
    verboseName: "test",
    fields: {
      engagement: { type: "fk", fk: "engagements", required: true },
      test_type: { type: "fk", fk: "test_types", required: true },
      title: optionalText(255),
      target_start: { type: "datetime", required: true },
      target_end: { type: "datetime", required: true },
    },
    filters: { id: { field: "id", kind: "int" }, engagement: { field: "engagement", kind: "fk" } },
    display: (row, db) => String(row.title ?? db.test_types.get(row.test_type as number)?.name ?? `Test ${row.id}`),
  },
  findings: {
    table: "findings",
    modelName: "Finding",
    verboseName: "finding",
    fields: {
      test: { type: "fk", fk: "tests", required: true },
      found_by: { type: "json", required: true },
      title: string(511, { required: true }),
      severity: { type: "choice", choices: SEVERITIES, required: true },
      numerical_severity: string(4, { required: true }),
      description: { type: "string", required: true },
      active: { type: "bool", required: true },
      verified: { type: "bool", required: true },
      false_p: bool(false),
      duplicate: bool(false),
      out_of_scope: bool(false),
      risk_accepted: bool(false),
      is_mitigated: bool(false),
      mitigated: { type: "datetime", nullable: true, default: null },
      push_to_jira: { type: "bool", default: false, writeOnly: true },
    },
    filters: { id: { field: "id", kind: "int" }, test: { field: "test", kind: "fk" }, active: { field: "active", kind: "bool" }, title: { field: "title", kind: "icontains" } },
    display: (row) => String(row.title),
  },
  jira_instances: {
    table: "jira_instances",
    modelName: "JIRA_Instance",
    verboseName: "jir a_ instance",
    fields: {
      configuration_name: string(2000, { default: "" }),
      url: { type: "url", maxLength: 2000, required: true },
      username: string(2000, { required: true }),
      password: string(2000, { required: true, writeOnly: true }),
      default_issue_type: { type: "choice", choices: DEFAULT_ISSUE_TYPES, default: "Bug" },
      issue_template_dir: optionalText(255),
      epic_name_id: { type: "int", required: true },
      open_status_key: { type: "int", required: true },
      close_status_key: { type: "int", required: true },
      info_mapping_severity: string(200, { required: true }),
      low_mapping_severity: string(200, { required: true }),
      medium_mapping_severity: string(200, { required: true }),
      high_mapping_severity: string(200, { required: true }),
      critical_mapping_severity: string(200, { required: true }),
      finding_text: optionalText(),
      accepted_mapping_resolution: optionalText(300),
      false_positive_mapping_resolution: optionalText(300),
      global_jira_sla_notification: bool(true),
      finding_jira_sync: bool(false),
    },
    filters: { id: { field: "id", kind: "int" }, url: { field: "url", kind: "exact" } },
    display: (row) => `${String(row.configuration_name)} | ${String(row.url)} | ${String(row.username)}`,
  },
  jira_projects: {
    table: "jira_projects",
    modelName: "JIRA_Project",
    verboseName: "jir a_ project",
    fields: {
      project_key: string(200, { blank: true, default: "" }),
      issue_template_dir: optionalText(255),
      component: string(200, { blank: true, default: "" }),
      custom_fields: { type: "json", nullable: true, default: null },
      close_transition_fields: { type: "json", nullable: true, default: null },
      reopen_transition_fields: { type: "json", nullable: true, default: null },
      default_assignee: optionalText(200),
      jira_labels: optionalText(200),
      add_vulnerability_id_to_jira_label: bool(false),
      push_all_issues: bool(false),
      enable_engagement_epic_mapping: bool(false),
      epic_issue_type_name: string(64, { blank: true, default: "Epic" }),
      push_notes: bool(false),
      product_jira_sla_notification: bool(false),
      risk_acceptance_expiration_notification: bool(false),
      enabled: bool(true),
      jira_instance: { type: "fk", fk: "jira_instances", nullable: true, default: null },
      product: { type: "fk", fk: "products", nullable: true, default: null },
      engagement: { type: "fk", fk: "engagements", nullable: true, default: null, unique: true },
    },
    filters: {
      id: { field: "id", kind: "int" },
      jira_instance: { field: "jira_instance", kind: "fk" },
      product: { field: "product", kind: "fk" },
      engagement: { field: "engagement", kind: "fk" },
      enabled: { field: "enabled", kind: "bool" },
      component: { field: "component", kind: "exact" },
      project_key: { field: "project_key", kind: "exact" },
      push_all_issues: { field: "push_all_issues", kind: "bool" },
      enable_engagement_epic_mapping: { field: "enable_engagement_epic_mapping", kind: "bool" },
      push_notes: { field: "push_notes", kind: "bool" },
    },
    prefetch: true,
    display: (row, db) => {
      const instance = row.jira_instance ? db.jira_instances.get(row.jira_instance as number) : undefined;
      return `${String(row.project_key)}${instance ? ` | ${String(instance.url)}` : ""}`;
    },
  },
  jira_issues: {
    table: "jira_issues",
    modelName: "JIRA_Issue",
    verboseName: "jir a_ issue",
    fields: {
      url: { type: "url", readOnly: true, nullable: true },
      jira_id: string(200, { required: true }),
      jira_key: string(200, { required: true }),
      jira_creation: { type: "datetime", nullable: true, default: null },
      jira_change: { type: "datetime", nullable: true, default: null },
      jira_project: { type: "fk", fk: "jira_projects", nullable: true, default: null },
      finding: { type: "fk", fk: "findings", nullable: true, default: null, unique: true },
      engagement: { type: "fk", fk: "engagements", nullable: true, default: null, unique: true },
      finding_group: { type: "fk", fk: "findings", nullable: true, default: null, unique: true },
    },
    filters: {
      id: { field: "id", kind: "int" },
      jira_id: { field: "jira_id", kind: "exact" },
      jira_key: { field: "jira_key", kind: "exact" },
      finding: { field: "finding", kind: "fk" },
      engagement: { field: "engagement", kind: "fk" },
      finding_group: { field: "finding_group", kind: "fk" },
    },
    prefetch: true,
    // JIRA_Issue.__str__ as the real delete_preview shows it (reference §9).
    display: (row, db) => {
      const finding = row.finding ? db.findings.get(row.finding as number) : undefined;
      const productName = (id: unknown) => String(db.products.get(id as number)?.name ?? "");
      if (finding) return `${productName(finding.product)} | Finding: ${String(finding.title)}, ID: ${finding.id} | Jira Key: ${String(row.jira_key)}`;
      return String(row.jira_key); // epic and group rows: their form was not observed
    },
    // `<instance url>/browse/<key>`, null while Jira is off or when no instance can be resolved (§1.3, §9).
    computed: (row, db) => {
      if (!db.system_settings.get(1)?.enable_jira) return { url: null };
      const instance = jiraProjectOf(row, db)?.jira_instance;
      const url = instance ? db.jira_instances.get(instance as number)?.url : undefined;
      return { url: url === undefined ? null : `${String(url)}/browse/${String(row.jira_key)}` };
    },
  },
};

export const SYSTEM_SETTINGS_FIELDS: Record<string, FieldSpec> = {
  enable_jira: bool(false),
  enable_jira_web_hook: bool(false),
  disable_jira_webhook_secret: bool(false),
  jira_webhook_secret: { type: "string", maxLength: 64, nullable: true, blank: false, default: null },
  jira_minimum_severity: { type: "choice", choices: ["Critical", "High", "Medium", "Low", "Info"], nullable: true, blank: true, default: "Low" },
  jira_labels: optionalText(200),
  add_vulnerability_id_to_jira_label: bool(false),
  enforce_verified_status: bool(true),
  enforce_verified_status_jira: bool(true),
  enable_finding_sla: bool(true),
  enable_notify_sla_jira_only: bool(false),
  enable_notify_sla_exponential_backoff: bool(false),
  risk_acceptance_form_default_days: { type: "int", nullable: true, default: 180 },
  api_expose_error_details: bool(false),
};

/** The link a mapping belongs to: its own `jira_project`, else the one its finding or engagement inherits. */
function jiraProjectOf(mapping: Row, db: Database): Row | undefined {
  if (mapping.jira_project) return db.jira_projects.get(mapping.jira_project as number);
  const links = [...db.jira_projects.values()];
  const engagement = mapping.engagement ? db.engagements.get(mapping.engagement as number) : undefined;
  if (engagement) return links.find((l) => l.engagement === engagement.id) ?? links.find((l) => l.product === engagement.product);
  const finding = mapping.finding ? db.findings.get(mapping.finding as number) : undefined;
  return finding ? links.find((l) => l.product === finding.product) : undefined;
}
