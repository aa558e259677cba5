// The package's public API: Pulumi resources for any TypeScript program, and the linter.
export { EngagementJiraLink, JiraInstance, JiraSettings, JiraWebhook, ProductJiraLink } from "./provider/dynamic/resources.js";
export type { EngagementJiraLinkArgs, JiraInstanceArgs, JiraSettingsArgs, JiraWebhookArgs, ProductJiraLinkArgs } from "./provider/dynamic/resources.js";
export { lintPaths } from "./lint/lint-paths.js";
export type { ConfigDocument, EngagementJiraLink as EngagementJiraLinkDocument, JiraInstance as JiraInstanceDocument, ProductJiraLink as ProductJiraLinkDocument } from "./schema/config-types.js";
