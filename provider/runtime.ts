import type * as dynamic from "@pulumi/pulumi/dynamic/index.js";
import { DefectDojoClient } from "./client/defectdojo-client.js";
import type { HttpOptions } from "./client/http.js";
import { Settings, type ProviderConfig } from "./credentials.js";
import { engagementJiraLink, productJiraLink } from "./resources/jira-link.js";
import { jiraInstance } from "./resources/jira-instance.js";
import { jiraSettings } from "./resources/jira-settings.js";
import { jiraWebhook } from "./resources/jira-webhook.js";
import { FreshLinks } from "./resources/fresh-links.js";
import { LookupCache } from "./resources/lookup-cache.js";
import { Claims, type ClaimsJournal } from "./resources/ownership.js";

/**
 * The provider implementation, loaded by the thin serialized provider inside Pulumi's
 * dynamic-provider process. Everything here lives in that process only: nothing is serialized
 * into state, so credentials are never captured and an upgrade of this package applies to every
 * existing resource at once (pulumi/pulumi#16826).
 */
export interface ProviderContext {
  settings: Settings;
  client(): DefectDojoClient;
  cache: LookupCache;
  /** The fresh existence check before a link is created, shared by the creates that run at once. */
  freshLinks: FreshLinks;
  /** Which resource manages which DefectDojo object, in this deployment (one provider process). */
  claims: Claims;
}

/**
 * Requests in flight at most. The engine already runs at most `--parallel` resource operations at
 * once, each making its calls one after the other, so the number in flight follows `--parallel`
 * (which this process is never told); a lower cap here made `--parallel 50` wait for 8 slots. This
 * only bounds a runaway.
 */
const MAX_IN_FLIGHT = 64;

/** A provider process's worth of state: what one `pulumi up` shares across its resources. */
export function createContext(settings = new Settings(), clientOptions: Partial<HttpOptions> = {}, journal?: ClaimsJournal): ProviderContext {
  let client: DefectDojoClient | undefined;
  let configuredFor: unknown;
  const context: ProviderContext = {
    settings,
    client() {
      if (!client || configuredFor !== settings.generation) {
        const { url, token } = settings.defectDojo();
        client = new DefectDojoClient({ url, token, concurrency: MAX_IN_FLIGHT, log: process.env.DOJO_JIRA_DEBUG ? (line) => console.error(`dojo-jira: ${line}`) : undefined, ...clientOptions });
        configuredFor = settings.generation;
      }
      return client;
    },
    cache: new LookupCache(() => context.client()),
    freshLinks: new FreshLinks(() => context.client()),
    claims: new Claims(journal, () => {
      try {
        return settings.defectDojo().url;
      } catch {
        return ""; // not configured yet: nothing to claim against
      }
    }),
  };
  return context;
}

const context = createContext();

export type ResourceKind = "JiraInstance" | "ProductJiraLink" | "EngagementJiraLink" | "JiraSettings" | "JiraWebhook";

const IMPLEMENTATIONS: Record<ResourceKind, (c: ProviderContext) => dynamic.ResourceProvider> = {
  JiraInstance: jiraInstance,
  ProductJiraLink: productJiraLink,
  EngagementJiraLink: engagementJiraLink,
  JiraSettings: jiraSettings,
  JiraWebhook: jiraWebhook,
};

export function providerFor(kind: ResourceKind, within: ProviderContext = context): dynamic.ResourceProvider {
  return IMPLEMENTATIONS[kind](within);
}

export function configure(config: ProviderConfig): void {
  context.settings.configure(config);
}

/** The one entry point the serialized provider calls: `method` of `kind`'s implementation. */
export async function dispatch(kind: ResourceKind, method: string, args: unknown[]): Promise<unknown> {
  if (method === "configure") return configure((args[0] as { config: ProviderConfig }).config);
  const implementation = providerFor(kind) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const fn = implementation[method];
  if (!fn) throw new Error(`dojo-jira: ${kind} has no ${method}`);
  let result: unknown;
  try {
    result = await fn(...args);
  } catch (error) {
    throw asMessage(error);
  }
  // The lint digest has done its work once check has run: it stays out of state.
  if (method === "check") delete (result as { inputs?: { linted?: unknown } } | undefined)?.inputs?.linted;
  // The host turns some results into protobuf Structs, which reject `undefined` ("Unexpected struct type").
  return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
}

/**
 * Pulumi's dynamic-provider host prints `${error}: ${error.stack}` for errors of check, diff, read and
 * delete: a DefectDojo that answers badly is an operator's problem to read, not a Node.js stack
 * trace. The message stays; the stack goes (DOJO_JIRA_DEBUG keeps it, for bugs of our own).
 */
function asMessage(error: unknown): unknown {
  if (!(error instanceof Error) || process.env.DOJO_JIRA_DEBUG) return error;
  error.name = "dojo-jira";
  error.stack = "";
  return error;
}
