import type { ProviderConfig } from "../credentials.js";
import { createContext, logicFor, type ProviderContext, type ResourceKind, type ResourceLogic } from "../resources/index.js";
import { ClaimsJournal, engineAddress } from "../resources/ownership.js";

export { createContext, type ProviderContext, type ResourceKind } from "../resources/index.js";

/**
 * The dynamic provider's runtime, loaded by the `__provider` in state (provider-host.cts) inside
 * Pulumi's dynamic-provider process: one context per process, configured by the host's `configure`.
 * In that host (its script is `…/cmd/dynamic-provider/index.js`, the engine's address its argument)
 * the claims go to the deployment's journal, which the plugin's processes share: in the run that
 * moves a stack to the plugin, this host deletes what left the config while the plugin has taken
 * over the rest, perhaps the very object under a new name.
 */
const inHost = /[\\/]cmd[\\/]dynamic-provider(?:[\\/]index\.js)?$/.test(process.argv[1] ?? "");
const context = createContext(undefined, {}, inHost ? ClaimsJournal.forDeployment(engineAddress(process.argv.slice(2))) : undefined);

/** A kind's logic, in this process's context unless another is given (tests, the plugin). */
export function providerFor(kind: ResourceKind, within: ProviderContext = context): ResourceLogic {
  return logicFor(kind, within);
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
