import { DefectDojoClient } from "../client/defectdojo-client.js";
import type { HttpOptions } from "../client/http.js";
import { Settings } from "../credentials.js";
import type { ApiJiraInstance, ApiJiraProject } from "../client/api-types.js";
import { FreshList } from "./fresh-list.js";
import { LookupCache } from "./lookup-cache.js";
import { Claims, type ClaimsJournal } from "./ownership.js";

/**
 * What one provider process shares across the resources of a deployment: settings, the DefectDojo
 * client, lookups and ownership claims. Both faces (the dynamic provider and the plugin) make one per
 * process; nothing here is ever serialized into state.
 */
export interface ProviderContext {
  settings: Settings;
  client(): DefectDojoClient;
  cache: LookupCache;
  /** Every link and every instance, as lists at most a second old shared by the lookups of a deployment. */
  links: FreshList<ApiJiraProject>;
  instances: FreshList<ApiJiraInstance>;
  /** Which resource manages which DefectDojo object, in this deployment (one provider process). */
  claims: Claims;
  /**
   * Tells the operator what a step did beyond its plain result (an object left in place for its new
   * owner). `urn`: the resource the message is about, where the face knows it (the plugin shows the
   * message under that resource).
   */
  notice(message: string, urn?: string): void;
}

/**
 * Requests in flight at most. The engine already runs at most `--parallel` resource operations at
 * once, each making its calls one after the other, so the number in flight follows `--parallel`
 * (which this process is never told); a lower cap here made `--parallel 50` wait for 8 slots. This
 * only bounds a runaway.
 */
const MAX_IN_FLIGHT = 64;

export type ContextOptions = Partial<HttpOptions> & {
  /** How old a shared list may be (fresh-list.ts); tests shorten it. */
  freshForMs?: number;
  /** Where notices go: standard output by default, which the dynamic-provider host's engine shows. */
  notice?: (message: string, urn?: string) => void;
};

/** A provider process's worth of state: what one `pulumi up` shares across its resources. */
export function createContext(settings = new Settings(), options: ContextOptions = {}, journal?: ClaimsJournal): ProviderContext {
  const { freshForMs, notice = (message: string) => console.log(`dojo-jira: ${message}`), ...clientOptions } = options;
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
    links: new FreshList(() => context.client(), "jira_projects/", freshForMs),
    instances: new FreshList(() => context.client(), "jira_instances/", freshForMs),
    notice,
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
