// The config types, generated from schema/defectdojo-jira.schema.json (the one source of truth).
import type { EngagementJiraLink, JiraInstance, ProductJiraLink } from "./generated/types.js";
export type {
  EngagementJiraLink,
  JiraInstance,
  JiraInstanceSpec,
  LinkFields,
  Metadata,
  Options,
  ProductJiraLink,
  ProductRef,
  SecretRef,
} from "./generated/types.js";
export { API_VERSION, KINDS, type Kind } from "./generated/kinds.js";

export type ConfigDocument = JiraInstance | ProductJiraLink | EngagementJiraLink;
export type LinkDocument = ProductJiraLink | EngagementJiraLink;
