import type { ResourceKind } from "./runtime.js";

/**
 * The `__provider` of a resource: the CommonJS module Pulumi's dynamic-provider host loads from
 * state (require-from-string, then `handler()`), stored twice per resource (inputs and outputs).
 * Written here instead of by Pulumi's closure serializer (2.3 KB per copy): it only requires the
 * installed package's provider host (dojo-jira/provider-host, resolved from the program directory
 * as any require() is, so it still works after `npm install` moves things) and asks it for the
 * kind's provider. No credentials, no client, no logic in state, so refresh and delete of existing
 * resources run the current code after an upgrade (pulumi/pulumi#16826).
 */
export function providerSource(kind: ResourceKind): string {
  return `exports.handler=()=>require("module").createRequire(process.cwd()+"/")("dojo-jira/provider-host").provider(${JSON.stringify(kind)})`;
}

/** The type token of a kind's dynamic resources: what `pulumi.dynamic.Resource` would register, and what state holds. */
export function dynamicType(kind: ResourceKind): string {
  return `pulumi-nodejs:dynamic/defectdojo-jira:${kind}`;
}
