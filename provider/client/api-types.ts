/** DefectDojo 3.2 API shapes (snake_case, as on the wire). Reference §2. */
export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface ApiJiraInstance {
  id: number;
  configuration_name: string;
  url: string;
  username: string;
  default_issue_type: string;
  issue_template_dir: string | null;
  epic_name_id: number;
  open_status_key: number;
  close_status_key: number;
  info_mapping_severity: string;
  low_mapping_severity: string;
  medium_mapping_severity: string;
  high_mapping_severity: string;
  critical_mapping_severity: string;
  finding_text: string | null;
  accepted_mapping_resolution: string | null;
  false_positive_mapping_resolution: string | null;
  global_jira_sla_notification: boolean;
  finding_jira_sync: boolean;
}

export interface ApiJiraProject {
  id: number;
  jira_instance: number | null;
  project_key: string;
  product: number | null;
  engagement: number | null;
  issue_template_dir: string | null;
  component: string;
  custom_fields: unknown;
  close_transition_fields: unknown;
  reopen_transition_fields: unknown;
  default_assignee: string | null;
  jira_labels: string | null;
  add_vulnerability_id_to_jira_label: boolean;
  push_all_issues: boolean;
  enable_engagement_epic_mapping: boolean;
  epic_issue_type_name: string;
  push_notes: boolean;
  product_jira_sla_notification: boolean;
  risk_acceptance_expiration_notification: boolean;
  enabled: boolean;
}

export interface ApiProduct {
  id: number;
  name: string;
  description: string;
  prod_type: number;
}

export interface ApiEngagement {
  id: number;
  name: string | null;
  product: number;
}

export interface ApiDeletePreviewItem {
  model: string;
  id: number | null;
  name: string;
}

export interface ApiSystemSettings {
  id: number;
  enable_jira: boolean;
  enable_jira_web_hook: boolean;
  disable_jira_webhook_secret: boolean;
  jira_webhook_secret: string | null;
  jira_minimum_severity: string | null;
  [field: string]: unknown;
}
