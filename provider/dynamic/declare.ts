import { createRequire } from "node:module";
import type * as Settings from "@pulumi/pulumi/runtime/settings.js";
import type * as Stack from "@pulumi/pulumi/runtime/stack.js";
import type * as Rpc from "@pulumi/pulumi/runtime/rpc.js";
import type * as Errors from "@pulumi/pulumi/errors.js";
import type * as ResourceProto from "@pulumi/pulumi/proto/resource_pb.js";
import type * as AliasProto from "@pulumi/pulumi/proto/alias_pb.js";
import type * as StructProto from "google-protobuf/google/protobuf/struct_pb.js";
import type { ResourceKind } from "./runtime.js";
import { dynamicType, providerSource } from "./thin-provider.js";

// CommonJS modules of the SDK (and the protobuf it was built with), loaded as the SDK loads them:
// one instance each, shared with the SDK's own registrations in this process.
const sdk = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi/runtime/settings.js"));
const settings = sdk("./settings.js") as typeof Settings;
const stackModule = sdk("./stack.js") as typeof Stack;
const rpc = sdk("./rpc.js") as typeof Rpc;
const errors = sdk("../errors.js") as typeof Errors;
const resproto = sdk("../proto/resource_pb.js") as typeof ResourceProto;
const aliasproto = sdk("../proto/alias_pb.js") as typeof AliasProto;
const gstruct = sdk("google-protobuf/google/protobuf/struct_pb.js") as typeof StructProto;

/** A resource the root program declared: its URN and its outputs once the engine has answered. */
export interface Declared {
  readonly urn: Promise<string>;
  readonly outputs: Promise<Record<string, unknown>>;
}

export interface DeclareOptions {
  /** Inputs that are another declared resource's output, as [that resource, its output's name] by input name: each is a dependency of the input and of the resource. */
  inputsFrom?: Record<string, readonly [Declared, string]>;
  /** Further resources this one must come after (created after, deleted before). */
  dependsOn?: Declared[];
  /** Earlier names of this resource in the same stack and parent (a renamed document's `renamedFrom`). */
  renamedFrom?: string[];
}

/**
 * Registers a dynamic resource of ours with Pulumi's engine: the registration the resource classes of
 * resources.ts make through the SDK's `CustomResource` (same type, inputs, parent, dependencies and
 * aliases; served by the same `__provider`), sent straight to the engine's resource monitor.
 *
 * Why the root program does not use those classes: its inputs are plain data from the config tree and
 * it reads back only ids. For that, the SDK's machinery per property (an Output with four tracked
 * promises, async serialization, then resolution of every output) cost about 2 ms of CPU per resource,
 * the largest share of the program's time in a deployment of hundreds of links (the CPU the engine and
 * the provider need at the same moment, on the same cores). Programs written against the library
 * keep the classes, which compose with the rest of Pulumi.
 *
 * `inputs` are plain JSON values; those of `inputsFrom` are known once the registration of the resource
 * they come from has been answered. A registration the engine fails is reported by the engine; as in
 * the SDK, the program then only stops waiting for it (its outputs never resolve, so nothing declared
 * on them is sent).
 */
export function declare(kind: ResourceKind, name: string, inputs: Record<string, unknown>, options: DeclareOptions = {}): Declared {
  const done = settings.rpcKeepAlive();
  let resolveUrn!: (urn: string) => void;
  const urn = new Promise<string>((resolve) => (resolveUrn = resolve));
  const outputs = (async () => {
    try {
      const parent = await stackUrn();
      const fed = Object.entries(options.inputsFrom ?? {});
      const fedValues = await Promise.all(fed.map(([, [from, output]]) => outputOf(from, output)));
      const fedUrns = await Promise.all(fed.map(([, [from]]) => from.urn));
      const explicit = await Promise.all((options.dependsOn ?? []).map((d) => d.urn));
      const object: Record<string, unknown> = { __provider: providerSource(kind) };
      for (const [key, value] of Object.entries(inputs)) if (value !== undefined) object[key] = value;
      fed.forEach(([key], i) => {
        if (fedValues[i] !== undefined) object[key] = fedValues[i];
      });

      const request = new resproto.RegisterResourceRequest();
      request.setType(dynamicType(kind));
      request.setName(name);
      request.setParent(parent);
      request.setCustom(true);
      // A JSON round trip drops undefined members at every depth, as the SDK's serialization does.
      request.setObject(gstruct.Struct.fromJavaScript(JSON.parse(JSON.stringify(object)) as Record<string, StructProto.JavaScriptValue>));
      request.setDependenciesList([...new Set([...explicit, ...fedUrns])]);
      // One entry per input, as the SDK sends: given none at all, the engine takes every input to
      // depend on every dependency (a webhook's whole spec on its settings).
      const propertyDependencies = request.getPropertydependenciesMap();
      for (const key of Object.keys(object)) {
        const from = fed.findIndex(([fedKey]) => fedKey === key);
        const dependencies = new resproto.RegisterResourceRequest.PropertyDependencies();
        dependencies.setUrnsList(from >= 0 ? [fedUrns[from]!] : []);
        propertyDependencies.set(key, dependencies);
      }
      request.setAliasesList((options.renamedFrom ?? []).map((old) => alias(old, parent)));
      request.setAliasspecs(true);
      request.setAcceptsecrets(true);
      request.setAcceptresources(true);
      request.setSupportspartialvalues(true);
      request.setCustomtimeouts(new resproto.RegisterResourceRequest.CustomTimeouts());

      const response = await register(request);
      if (!response) return new Promise<never>(() => {});
      resolveUrn(response.getUrn());
      // Unknown outputs (a preview of a create) stay as the engine's unknown marker: sent on as an
      // input, they are unknown to the engine again, as an unknown Output is.
      return rpc.deserializeProperties(response.getObject() ?? new gstruct.Struct(), true);
    } finally {
      done();
    }
  })();
  return { urn, outputs };
}

/**
 * One output of a declared resource. In a preview, an output the engine does not send (a dynamic
 * resource's update previews only its inputs) is unknown, as the SDK takes it, so that an input made
 * of it is unknown to the engine too, not missing.
 */
export async function outputOf(declared: Declared, key: string): Promise<unknown> {
  const outputs = await declared.outputs;
  return key in outputs || !settings.isDryRun() ? outputs[key] : rpc.unknownValue;
}

/** The engine's answer, or undefined when the engine failed the registration (and has said why). */
function register(request: ResourceProto.RegisterResourceRequest): Promise<ResourceProto.RegisterResourceResponse | undefined> {
  const monitor = settings.getMonitor();
  if (!monitor) throw new Error("dojo-jira: the root program runs under the Pulumi engine (pulumi up), which was not found");
  return new Promise((resolve, reject) =>
    monitor.registerResource(request, (error, response) => {
      if (!error) return resolve(response);
      if (errors.isGrpcError(error)) return resolve(undefined);
      reject(error);
    }),
  );
}

function alias(oldName: string, parent: string): AliasProto.Alias {
  // The SDK names the parent in an alias spec too, for engines that do not fill it in themselves.
  const spec = new aliasproto.Alias.Spec();
  spec.setName(oldName);
  spec.setParenturn(parent);
  const result = new aliasproto.Alias();
  result.setSpec(spec);
  return result;
}

let stack: Promise<string> | undefined;
function stackUrn(): Promise<string> {
  const root = stackModule.getStackResource();
  if (!root) throw new Error("dojo-jira: the root program runs inside Pulumi's stack (pulumi up)");
  return (stack ??= new Promise<string>((resolve) => root.urn.apply(resolve)));
}
