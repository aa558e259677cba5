// CommonJS on purpose: the `__provider` text Pulumi keeps in state loads this file with require(),
// which cannot load an ES module on every Node.js this package supports.

/** The methods Pulumi's dynamic-provider host looks for; each one is answered by the installed runtime. */
const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;

import type { ResourceKind } from "./runtime.js" with { "resolution-mode": "import" };

const load = () => import("./runtime.js");
let runtime: ReturnType<typeof load> | undefined;

/**
 * The provider object for one resource kind, as the host's `handler()` returns it. The real code
 * (dojo-jira/provider-runtime) is loaded on the first call, once per process.
 */
export function provider(kind: ResourceKind): Record<(typeof METHODS)[number], (...args: unknown[]) => Promise<unknown>> {
  const run = async (method: string, args: unknown[]) => (await (runtime ??= load())).dispatch(kind, method, args);
  return Object.fromEntries(METHODS.map((method) => [method, (...args: unknown[]) => run(method, args)])) as ReturnType<typeof provider>;
}
