import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";

const stateInputs = new AsyncLocalStorage<Record<string, unknown> | undefined>();

/**
 * The state's inputs of the resource the current `read`, `diff`, `update` or `delete` is for
 * (undefined in an import, or where the hook is not installed).
 */
export function statedInputs(): Record<string, unknown> | undefined {
  return stateInputs.getStore();
}

/**
 * `require` as @pulumi/pulumi's provider server does it: the very @grpc/grpc-js and protobuf modules
 * the SDK loaded, whose classes its server and clients check against.
 */
export const sdkRequire = (): NodeJS.Require => createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi/provider/server.js"));

/** What the engine sends as the provider's configuration, secrets unwrapped (inside this process only). */
export type ProviderInputs = Record<string, unknown>;

export interface ConfigHandlers {
  /** Normalises the provider's inputs before the engine stores them (secret keys wrapped as secrets). */
  checkConfig(news: ProviderInputs): { inputs: ProviderInputs; failures: Array<{ property: string; reason: string }> };
  configure(inputs: ProviderInputs): void;
}

interface Message {
  toJavaScript(): ProviderInputs;
}
interface Call<Request> {
  request: Request;
}
type Callback = (error: unknown, value?: unknown) => void;
type Handler<Request> = (call: Call<Request>, callback: Callback) => void;
type WithOldInputs = Handler<{ getOldInputs(): Message | undefined }>;
interface ServiceImplementation {
  configure: Handler<{ getArgs(): Message | undefined }>;
  checkConfig: Handler<{ getNews(): Message | undefined }>;
  read: Handler<{ getProperties(): Message | undefined; setProperties(value: unknown): void; getInputs(): Message | undefined }>;
  diff: WithOldInputs;
  update: WithOldInputs;
  delete: WithOldInputs;
  [method: string]: unknown;
}
interface GrpcServer {
  addService(service: unknown, implementation: ServiceImplementation): void;
}

/**
 * Fills two gaps of @pulumi/pulumi 3.248's Node provider server (provider/server.js).
 *
 * (1) Configuration. The server's `Configure` handler answers without reading the request,
 * `CheckConfig` is unimplemented, and the `Provider` interface has no `configure`. The engine sends
 * the provider's inputs (stack config `defectdojo-jira:*`, or an explicit provider's properties)
 * only in those two RPCs; the environment (`PULUMI_CONFIG`) carries the default provider's config
 * alone, never an explicit provider's, so it is no substitute. `main()` stays the server, and the
 * one service it registers gets these handlers in front of its own: the SDK's `configure` still
 * writes the response (accepting secrets, as before), after ours has read the request; our
 * `CheckConfig` marks the secret keys secret, so state encrypts them however they were set.
 * (2) `pulumi import` reads with an id and no properties at all, and the SDK's `read` calls
 * `getProperties().toJavaScript()` on the missing message.
 * (3) The SDK's `read`, `diff`, `update` and `delete` pass on the state's outputs but not its inputs
 * (`ReadRequest.inputs`, `old_inputs`), which a refresh must answer in the very shape `check` stored
 * them, and which the root program's outputs leave out (statedInputs).
 *
 * The hook is on the `@grpc/grpc-js` instance @pulumi/pulumi itself loads, only for the
 * ResourceProvider service, only in this plugin process. When the SDK passes config on, this goes:
 * test/native/configure-rpc.test.ts fails first if the server starts reading `Configure` itself.
 */
export function handleConfigRpcs(handlers: ConfigHandlers): void {
  const pulumiRequire = sdkRequire();
  const grpc = pulumiRequire("@grpc/grpc-js") as { Server: { prototype: GrpcServer } };
  const services = pulumiRequire("../proto/provider_grpc_pb") as { ResourceProviderService: unknown };
  const messages = pulumiRequire("../proto/provider_pb") as { CheckResponse: new () => CheckResponse; CheckFailure: new () => CheckFailure };
  const structs = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as { Struct: { new (): unknown; fromJavaScript(value: unknown): unknown } };

  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (this: GrpcServer, service: unknown, implementation: ServiceImplementation) {
    if (service !== services.ResourceProviderService) return addService.call(this, service, implementation);
    const sdkConfigure = implementation.configure.bind(implementation);
    const sdkRead = implementation.read.bind(implementation);
    const wrapped = Object.create(implementation) as ServiceImplementation;
    // (2): an empty Struct is what a read without properties means. (3): the state's inputs.
    wrapped.read = (call, callback) => {
      if (!call.request.getProperties()) call.request.setProperties(new structs.Struct());
      stateInputs.run(call.request.getInputs()?.toJavaScript(), () => sdkRead(call, callback));
    };
    for (const method of ["diff", "update", "delete"] as const) {
      const sdkMethod = implementation[method].bind(implementation);
      wrapped[method] = (call, callback) => stateInputs.run(call.request.getOldInputs()?.toJavaScript(), () => sdkMethod(call, callback));
    }
    wrapped.configure = (call, callback) => {
      try {
        handlers.configure(unwrapSecrets(call.request.getArgs()?.toJavaScript() ?? {}) as ProviderInputs);
      } catch (error) {
        callback(error);
        return;
      }
      sdkConfigure(call, callback);
    };
    wrapped.checkConfig = (call, callback) => {
      try {
        const { inputs, failures } = handlers.checkConfig(unwrapSecrets(call.request.getNews()?.toJavaScript() ?? {}) as ProviderInputs);
        const response = new messages.CheckResponse();
        response.setInputs(structs.Struct.fromJavaScript(inputs));
        response.setFailuresList(
          failures.map((f) => {
            const failure = new messages.CheckFailure();
            failure.setProperty(f.property);
            failure.setReason(f.reason);
            return failure;
          }),
        );
        callback(null, response);
      } catch (error) {
        callback(error);
      }
    };
    // grpc-js binds each handler to the object it is given; the SDK's own handlers need their `this`.
    for (const key of Object.getOwnPropertyNames(Object.getPrototypeOf(implementation))) {
      const value = (implementation as Record<string, unknown>)[key];
      if (!["constructor", "configure", "checkConfig", "read", "diff", "update", "delete"].includes(key) && typeof value === "function") (wrapped as Record<string, unknown>)[key] = value.bind(implementation);
    }
    return addService.call(this, service, wrapped);
  };
}

interface CheckResponse {
  setInputs(value: unknown): void;
  setFailuresList(value: CheckFailure[]): void;
}
interface CheckFailure {
  setProperty(value: string): void;
  setReason(value: string): void;
}

/** Pulumi's wire marker of a secret value (sdk/nodejs/runtime/rpc.ts specialSigKey / specialSecretSig). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretValue(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

export function secretValue(value: unknown): Record<string, unknown> {
  return isSecretValue(value) ? (value as Record<string, unknown>) : { [SIG_KEY]: SECRET_SIG, value };
}

/** The value with every secret marker removed (the values themselves stay: this process needs them). */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  return value;
}

/** Whether any secret marker is inside `value`. */
export function containsSecret(value: unknown): boolean {
  if (isSecretValue(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value && typeof value === "object") return Object.values(value).some(containsSecret);
  return false;
}
