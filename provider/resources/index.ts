import { engagementJiraLink, productJiraLink } from "./jira-link.js";
import { jiraInstance } from "./jira-instance.js";
import { jiraSettings } from "./jira-settings.js";
import { jiraWebhook } from "./jira-webhook.js";
import type { ProviderContext } from "./context.js";
import type { ResourceLogic } from "./logic.js";

export { createContext, type ProviderContext } from "./context.js";
export type { ResourceLogic } from "./logic.js";

export type ResourceKind = "JiraInstance" | "ProductJiraLink" | "EngagementJiraLink" | "JiraSettings" | "JiraWebhook";

const IMPLEMENTATIONS: Record<ResourceKind, (c: ProviderContext) => ResourceLogic> = {
  JiraInstance: jiraInstance,
  ProductJiraLink: productJiraLink,
  EngagementJiraLink: engagementJiraLink,
  JiraSettings: jiraSettings,
  JiraWebhook: jiraWebhook,
};

/** The logic of one kind, bound to a provider process's context. */
export function logicFor(kind: ResourceKind, context: ProviderContext): ResourceLogic {
  return IMPLEMENTATIONS[kind](context);
}
