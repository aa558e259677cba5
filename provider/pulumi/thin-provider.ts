import type * as dynamic from "@pulumi/pulumi/dynamic/index.js";
import type { ResourceKind } from "../runtime.js";

/**
 * The part of the provider Pulumi serializes into state (twice per resource: inputs and outputs).
 * It only loads the installed implementation (dojo-jira/provider-runtime, resolved from the
 * program directory) and delegates: no credentials, no client, no logic in state, so refresh and
 * delete of existing resources run the current code after an upgrade (pulumi/pulumi#16826).
 * Written to serialize small: every method is a one-line call of one shared function.
 */
export function thinProvider(kind: ResourceKind): dynamic.ResourceProvider {
  const run = async (method: string, args: unknown[]) => {
    const { createRequire } = await import("node:module");
    const { pathToFileURL } = await import("node:url");
    const runtime = await import(pathToFileURL(createRequire(`${process.cwd()}/`).resolve("dojo-jira/provider-runtime")).href);
    return runtime.dispatch(kind, method, args);
  };
  return {
    configure: (...a) => run("configure", a),
    check: (...a) => run("check", a),
    diff: (...a) => run("diff", a),
    create: (...a) => run("create", a),
    read: (...a) => run("read", a),
    update: (...a) => run("update", a),
    delete: (...a) => run("delete", a),
  };
}
