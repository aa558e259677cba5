import type { JiraInstanceSpec, LinkFields } from "../../schema/config-types.js";
import type { Secret } from "../secret.js";
import type { ApiJiraInstance, ApiJiraProject } from "./api-types.js";

/**
 * The one place where camelCase config meets DefectDojo's snake_case API. Each entry maps a
 * config field to an API field, with the value conversion in both directions and the value
 * DefectDojo stores when the field is absent (so that removing a field clears it).
 */
interface FieldMap<Spec> {
  api: string;
  toApi: (spec: Spec) => unknown;
  /** API value → config value (undefined = "not set"). */
  fromApi: (api: Record<string, unknown>) => unknown;
}

const DEFAULT_SEVERITIES = { info: "Lowest", low: "Low", medium: "Medium", high: "High", critical: "Highest" } as const;
const join = (list: string[] | undefined, sep: string) => (list && list.length > 0 ? list.join(sep) : null);
const split = (text: unknown, sep: RegExp) => (typeof text === "string" && text.trim() !== "" ? text.split(sep).map((s) => s.trim()).filter(Boolean) : undefined);
const orNull = (value: unknown) => (value === undefined ? null : value);
const nullToUndefined = (value: unknown) => (value === null || value === "" ? undefined : value);

export const INSTANCE_FIELDS: Record<string, FieldMap<JiraInstanceSpec & { configurationName: string }>> = {
  configurationName: { api: "configuration_name", toApi: (s) => s.configurationName, fromApi: (a) => a.configuration_name },
  url: { api: "url", toApi: (s) => s.url, fromApi: (a) => a.url },
  username: { api: "username", toApi: (s) => s.username, fromApi: (a) => a.username },
  defaultIssueType: { api: "default_issue_type", toApi: (s) => s.defaultIssueType ?? "Bug", fromApi: (a) => a.default_issue_type },
  issueTemplateDir: { api: "issue_template_dir", toApi: (s) => orNull(s.issueTemplateDir), fromApi: (a) => nullToUndefined(a.issue_template_dir) },
  epicNameId: { api: "epic_name_id", toApi: (s) => s.epicNameId, fromApi: (a) => a.epic_name_id },
  "transitions.reopen": { api: "open_status_key", toApi: (s) => s.transitions.reopen, fromApi: (a) => a.open_status_key },
  "transitions.close": { api: "close_status_key", toApi: (s) => s.transitions.close, fromApi: (a) => a.close_status_key },
  ...Object.fromEntries(
    (Object.keys(DEFAULT_SEVERITIES) as Array<keyof typeof DEFAULT_SEVERITIES>).map((severity) => [
      `severityMapping.${severity}`,
      {
        api: `${severity}_mapping_severity`,
        toApi: (s: JiraInstanceSpec) => s.severityMapping?.[severity] ?? DEFAULT_SEVERITIES[severity],
        fromApi: (a: Record<string, unknown>) => a[`${severity}_mapping_severity`],
      },
    ]),
  ),
  acceptedResolutions: { api: "accepted_mapping_resolution", toApi: (s) => join(s.acceptedResolutions, ","), fromApi: (a) => split(a.accepted_mapping_resolution, /,/) },
  falsePositiveResolutions: { api: "false_positive_mapping_resolution", toApi: (s) => join(s.falsePositiveResolutions, ","), fromApi: (a) => split(a.false_positive_mapping_resolution, /,/) },
  findingText: { api: "finding_text", toApi: (s) => orNull(s.findingText), fromApi: (a) => nullToUndefined(a.finding_text) },
  globalJiraSlaNotification: { api: "global_jira_sla_notification", toApi: (s) => s.globalJiraSlaNotification ?? true, fromApi: (a) => a.global_jira_sla_notification },
  findingJiraSync: { api: "finding_jira_sync", toApi: (s) => s.findingJiraSync ?? false, fromApi: (a) => a.finding_jira_sync },
};

/** Link fields other than the target (product/engagement) and instance, which need id resolution. */
export const LINK_FIELDS: Record<string, FieldMap<LinkFields>> = {
  projectKey: { api: "project_key", toApi: (s) => s.projectKey, fromApi: (a) => a.project_key },
  component: { api: "component", toApi: (s) => (Array.isArray(s.component) ? s.component.join(",") : (s.component ?? "")), fromApi: (a) => nullToUndefined(a.component) },
  labels: { api: "jira_labels", toApi: (s) => join(s.labels, " "), fromApi: (a) => split(a.jira_labels, /\s+/) },
  defaultAssignee: { api: "default_assignee", toApi: (s) => orNull(s.defaultAssignee), fromApi: (a) => nullToUndefined(a.default_assignee) },
  customFields: { api: "custom_fields", toApi: (s) => orNull(s.customFields), fromApi: (a) => nullToUndefined(a.custom_fields) },
  closeTransitionFields: { api: "close_transition_fields", toApi: (s) => orNull(s.closeTransitionFields), fromApi: (a) => nullToUndefined(a.close_transition_fields) },
  reopenTransitionFields: { api: "reopen_transition_fields", toApi: (s) => orNull(s.reopenTransitionFields), fromApi: (a) => nullToUndefined(a.reopen_transition_fields) },
  issueTemplateDir: { api: "issue_template_dir", toApi: (s) => orNull(s.issueTemplateDir), fromApi: (a) => nullToUndefined(a.issue_template_dir) },
  addVulnerabilityIdToJiraLabel: { api: "add_vulnerability_id_to_jira_label", toApi: (s) => s.addVulnerabilityIdToJiraLabel ?? false, fromApi: (a) => a.add_vulnerability_id_to_jira_label },
  pushAllIssues: { api: "push_all_issues", toApi: (s) => s.pushAllIssues ?? false, fromApi: (a) => a.push_all_issues },
  enableEngagementEpicMapping: { api: "enable_engagement_epic_mapping", toApi: (s) => s.enableEngagementEpicMapping ?? false, fromApi: (a) => a.enable_engagement_epic_mapping },
  epicIssueTypeName: { api: "epic_issue_type_name", toApi: (s) => s.epicIssueTypeName ?? "Epic", fromApi: (a) => a.epic_issue_type_name },
  pushNotes: { api: "push_notes", toApi: (s) => s.pushNotes ?? false, fromApi: (a) => a.push_notes },
  productJiraSlaNotification: { api: "product_jira_sla_notification", toApi: (s) => s.productJiraSlaNotification ?? false, fromApi: (a) => a.product_jira_sla_notification },
  riskAcceptanceExpirationNotification: { api: "risk_acceptance_expiration_notification", toApi: (s) => s.riskAcceptanceExpirationNotification ?? false, fromApi: (a) => a.risk_acceptance_expiration_notification },
  enabled: { api: "enabled", toApi: (s) => s.enabled ?? true, fromApi: (a) => a.enabled },
};

/** An instance's spec with its DefectDojo label filled in: `configurationName` defaults to `metadata.name`. */
export function withConfigurationName(spec: JiraInstanceSpec, name: string): JiraInstanceSpec & { configurationName: string } {
  return { ...spec, configurationName: spec.configurationName ?? name };
}

/** The full API body for an instance (every field, defaults filled), with the password as a Secret. */
export function instanceToApi(spec: JiraInstanceSpec, name: string, password: Secret): Record<string, unknown> {
  const named = withConfigurationName(spec, name);
  const body: Record<string, unknown> = { password };
  for (const field of Object.values(INSTANCE_FIELDS)) body[field.api] = field.toApi(named);
  return body;
}

/** The full API body for a link's own fields; the caller adds jira_instance and product/engagement ids. */
export function linkToApi(spec: LinkFields): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of Object.values(LINK_FIELDS)) body[field.api] = field.toApi(spec);
  return body;
}

/** The JiraSettings fields a spec names: only those are managed (and compared), the rest of the row is left alone. */
export function settingsFieldsNamedIn(spec: import("../../schema/config-types.js").JiraSettings["spec"]): typeof SETTINGS_FIELDS {
  return Object.fromEntries(Object.entries(SETTINGS_FIELDS).filter(([path]) => (spec as Record<string, unknown>)[path] !== undefined));
}

/** Only the API fields whose desired value differs from what DefectDojo has: a minimal PATCH. */
export function changedFields(desired: Record<string, unknown>, live: ApiJiraInstance | ApiJiraProject | Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(desired)) {
    if (key === "password") continue;
    if (stableJson(value) !== stableJson((live as Record<string, unknown>)[key] ?? null)) patch[key] = value;
  }
  return patch;
}

/** JSON with object keys sorted, so that key order never reads as a change. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** JiraSettings fields ↔ system_settings columns. The webhook secret is handled apart (a reference). */
export const SETTINGS_FIELDS: Record<string, FieldMap<import("../../schema/config-types.js").JiraSettings["spec"]>> = {
  enableJira: { api: "enable_jira", toApi: (s) => s.enableJira, fromApi: (a) => a.enable_jira },
  enableWebhook: { api: "enable_jira_web_hook", toApi: (s) => s.enableWebhook, fromApi: (a) => a.enable_jira_web_hook },
  disableWebhookSecret: { api: "disable_jira_webhook_secret", toApi: (s) => s.disableWebhookSecret, fromApi: (a) => a.disable_jira_webhook_secret },
  minimumSeverity: { api: "jira_minimum_severity", toApi: (s) => s.minimumSeverity, fromApi: (a) => nullToUndefined(a.jira_minimum_severity) },
  labels: { api: "jira_labels", toApi: (s) => (s.labels === undefined ? undefined : join(s.labels, " ")), fromApi: (a) => split(a.jira_labels, /\s+/) },
  addVulnerabilityIdToJiraLabel: { api: "add_vulnerability_id_to_jira_label", toApi: (s) => s.addVulnerabilityIdToJiraLabel, fromApi: (a) => a.add_vulnerability_id_to_jira_label },
  enforceVerifiedStatus: { api: "enforce_verified_status_jira", toApi: (s) => s.enforceVerifiedStatus, fromApi: (a) => a.enforce_verified_status_jira },
  notifySlaJiraOnly: { api: "enable_notify_sla_jira_only", toApi: (s) => s.notifySlaJiraOnly, fromApi: (a) => a.enable_notify_sla_jira_only },
};
