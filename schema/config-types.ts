// The config types, generated from schema/defectdojo-jira.schema.json (the one source of truth).
import type { EngagementJiraLink, JiraInstance, JiraSettings, JiraWebhook, ProductJiraLink } from "./generated/types.js";
export type {
  EngagementJiraLink,
  JiraInstance,
  JiraInstanceSpec,
  JiraSettings,
  JiraWebhook,
  LinkFields,
  Metadata,
  Options,
  ProductJiraLink,
  ProductRef,
  SecretRef,
} from "./generated/types.js";
export { API_VERSION, KINDS, type Kind } from "./generated/kinds.js";

export type ConfigDocument = JiraInstance | ProductJiraLink | EngagementJiraLink | JiraSettings | JiraWebhook;
export type LinkDocument = ProductJiraLink | EngagementJiraLink;
