import { createRequire } from "node:module";
import type * as Settings from "@pulumi/pulumi/runtime/settings.js";
import type * as Stack from "@pulumi/pulumi/runtime/stack.js";
import type * as Rpc from "@pulumi/pulumi/runtime/rpc.js";
import type * as Errors from "@pulumi/pulumi/errors.js";
import type * as ResourceProto from "@pulumi/pulumi/proto/resource_pb.js";
import type * as AliasProto from "@pulumi/pulumi/proto/alias_pb.js";
import type * as StructProto from "google-protobuf/google/protobuf/struct_pb.js";
import type { ResourceKind } from "../provider/resources/index.js";
import { dynamicType } from "../provider/dynamic/thin-provider.js";
import { PACKAGE, token } from "../schema/pulumi-package-schema.js";

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

/** A resource the root program declared: its URN, id and outputs once the engine has answered. */
export interface Declared {
  readonly urn: Promise<string>;
  readonly id: Promise<string>;
  readonly outputs: Promise<Record<string, unknown>>;
}

export interface DeclareOptions {
  /** The explicit provider that serves the resource (declareProvider). */
  provider?: Declared;
  /** Inputs that are another declared resource's output, as [that resource, its output's name] by input name: each is a dependency of the input and of the resource. */
  inputsFrom?: Record<string, readonly [Declared, string]>;
  /** Further resources this one must come after (created after, deleted before). */
  dependsOn?: Declared[];
  /** Earlier names of this resource in the same stack and parent (a renamed document's `renamedFrom`). */
  renamedFrom?: string[];
}

/**
 * Registers one of our resources with Pulumi's engine, straight to its resource monitor: the
 * registration the SDK's `CustomResource` would send (type, inputs, parent, dependencies, property
 * dependencies, aliases, provider), without the SDK's machinery per property.
 *
 * Why the root program does not use the SDK's resources: its inputs are plain data from the config
 * tree and it reads back only ids. For that, the SDK's machinery per property (an Output with four
 * tracked promises, async serialization, then resolution of every output) cost about 2 ms of CPU per
 * resource, the largest share of the program's time in a deployment of hundreds of links (the CPU the
 * engine and the provider need at the same moment, on the same cores).
 *
 * Resources are the provider plugin's (`defectdojo-jira:index:<Kind>`). Stacks made before the root
 * program moved to the plugin hold the same resources as dynamic ones
 * (`pulumi-nodejs:dynamic/defectdojo-jira:<Kind>`): every registration also names that type as an
 * alias, so such a resource becomes the plugin's with no call to DefectDojo (the engine diffs it with
 * the plugin, whose diff finds nothing changed; an unimplemented `DiffConfig` is no replace).
 *
 * `inputs` are plain JSON values; those of `inputsFrom` are known once the registration of the resource
 * they come from has been answered. A registration the engine fails is reported by the engine, and
 * the program stops waiting for it: its outputs never resolve, so nothing declared on them is sent.
 * When the engine goes on after it (--continue-on-error), the program fails too (`failRun`).
 */
export function declare(kind: ResourceKind, name: string, inputs: Record<string, unknown>, options: DeclareOptions = {}): Declared {
  // The plugin takes a resource's name from its URN.
  const { name: _name, ...sent } = inputs;
  return register(token(kind), name, sent, options, (parent) => [
    ...[name, ...(options.renamedFrom ?? [])].map((old) => alias(old, parent, dynamicType(kind))),
    ...(options.renamedFrom ?? []).map((old) => alias(old, parent)),
  ]);
}

/**
 * Registers the explicit provider that serves the resources (`pulumi:providers:defectdojo-jira`).
 * `secretKeys`: inputs sent as secrets (the engine encrypts them in state).
 */
export function declareProvider(name: string, inputs: Record<string, unknown>, secretKeys: readonly string[]): Declared {
  const marked = Object.fromEntries(Object.entries(inputs).map(([key, value]) => [key, secretKeys.includes(key) && value !== undefined ? { [rpc.specialSigKey]: rpc.specialSecretSig, value } : value]));
  return register(`pulumi:providers:${PACKAGE}`, name, marked, {}, () => []);
}

function register(type: string, name: string, inputs: Record<string, unknown>, options: DeclareOptions, aliases: (parent: string) => AliasProto.Alias[]): Declared {
  const done = settings.rpcKeepAlive();
  let resolveUrn!: (urn: string) => void;
  let resolveId!: (id: string) => void;
  const urn = new Promise<string>((resolve) => (resolveUrn = resolve));
  const id = new Promise<string>((resolve) => (resolveId = resolve));
  const outputs = (async () => {
    try {
      const parent = await stackUrn();
      const fed = Object.entries(options.inputsFrom ?? {});
      const fedValues = await Promise.all(fed.map(([, [from, output]]) => outputOf(from, output)));
      const fedUrns = await Promise.all(fed.map(([, [from]]) => from.urn));
      const explicit = await Promise.all((options.dependsOn ?? []).map((d) => d.urn));
      const provider = options.provider ? `${await options.provider.urn}::${await options.provider.id}` : undefined;
      const object: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(inputs)) if (value !== undefined) object[key] = value;
      fed.forEach(([key], i) => {
        if (fedValues[i] !== undefined) object[key] = fedValues[i];
      });

      const request = new resproto.RegisterResourceRequest();
      request.setType(type);
      request.setName(name);
      request.setParent(parent);
      request.setCustom(true);
      if (provider) request.setProvider(provider);
      // A JSON round trip drops undefined members at every depth, as the SDK's serialization does.
      request.setObject(gstruct.Struct.fromJavaScript(JSON.parse(JSON.stringify(object)) as Record<string, StructProto.JavaScriptValue>));
      request.setDependenciesList([...new Set([...explicit, ...fedUrns])]);
      // The inputs made of another resource's outputs, each with that resource. State keeps every
      // entry, so inputs that depend on nothing have none, as the engine reads a missing entry; but
      // given no entry at all, it takes every input to depend on every dependency (a webhook's whole
      // spec on its settings), so such a resource names one input with no dependency.
      const propertyDependencies = request.getPropertydependenciesMap();
      const entry = (urns: string[]) => {
        const dependencies = new resproto.RegisterResourceRequest.PropertyDependencies();
        dependencies.setUrnsList(urns);
        return dependencies;
      };
      fed.forEach(([key], i) => propertyDependencies.set(key, entry([fedUrns[i]!])));
      const first = Object.keys(object)[0];
      if (fed.length === 0 && explicit.length > 0 && first !== undefined) propertyDependencies.set(first, entry([]));
      request.setAliasesList(aliases(parent));
      request.setAliasspecs(true);
      request.setAcceptsecrets(true);
      request.setAcceptresources(true);
      request.setSupportspartialvalues(true);
      request.setCustomtimeouts(new resproto.RegisterResourceRequest.CustomTimeouts());

      const response = await send(request);
      if (!response) return new Promise<never>(() => {});
      resolveUrn(response.getUrn());
      // A provider created in a preview has no id yet: the SDK's reference names the unknown id.
      resolveId(response.getId() || rpc.unknownValue);
      // Unknown outputs (a preview of a create) stay as the engine's unknown marker: sent on as an
      // input, they are unknown to the engine again, as an unknown Output is.
      return rpc.deserializeProperties(response.getObject() ?? new gstruct.Struct(), true);
    } finally {
      done();
    }
  })();
  return { urn, id, outputs };
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
function send(request: ResourceProto.RegisterResourceRequest): Promise<ResourceProto.RegisterResourceResponse | undefined> {
  const monitor = settings.getMonitor();
  if (!monitor) throw new Error("dojo-jira: the root program runs under the Pulumi engine (pulumi up), which was not found");
  return new Promise((resolve) =>
    monitor.registerResource(request, (error, response) => {
      if (!error) return resolve(response);
      // Unless the engine is going away (it stops the program itself), it failed this resource's step
      // and goes on (--continue-on-error). The program stops here: what waits on this resource's
      // outputs is never declared, and the engine deletes nothing when a program fails.
      if (!errors.isGrpcError(error)) failRun(`${request.getType().split(":").at(-1)} ${request.getName()}: the engine failed its registration (it says why under the resource); what depends on it was not declared, and the run stops before any delete`);
      resolve(undefined);
    }),
  );
}

/**
 * Fails the program with `message` as an error nothing catches: Pulumi's runner prints a RunError
 * as its message alone, once, and the program exits non-zero. Not as a rejection of the resource's
 * outputs: those reach the stack outputs, which the SDK awaits one after another, so a rejection
 * would be reported whenever the SDK got to it, and Node would warn that it was handled late.
 */
function failRun(message: string): void {
  const error = new errors.RunError(message);
  // Once the program's last line has run (nothing waited on this resource), the runner prints an
  // error's stack instead: here that is the message too.
  error.stack = message;
  process.nextTick(() => {
    throw error;
  });
}

function alias(oldName: string, parent: string, type?: string): AliasProto.Alias {
  // The SDK names the parent in an alias spec too, for engines that do not fill it in themselves.
  const spec = new aliasproto.Alias.Spec();
  spec.setName(oldName);
  if (type) spec.setType(type);
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
