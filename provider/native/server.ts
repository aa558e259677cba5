import { createRequire } from "node:module";
import type * as Grpc from "@grpc/grpc-js";
import type * as ProviderGrpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import type * as ProviderProto from "@pulumi/pulumi/proto/provider_pb.js";
import type * as PluginProto from "@pulumi/pulumi/proto/plugin_pb.js";
import type * as EmptyProto from "google-protobuf/google/protobuf/empty_pb.js";
import type * as StructProto from "google-protobuf/google/protobuf/struct_pb.js";
import { redact } from "../secret.js";
import { isSecretValue, unwrapSecrets } from "./secret-markers.js";

type Props = Record<string, unknown>;
export interface CheckFailure {
  property: string;
  reason: string;
}

/** What the plugin's provider answers; property maps are Pulumi's JSON forms (secrets as sig-marked objects). */
export interface ProviderMethods {
  readonly version: string;
  getSchema(): Promise<string>;
  /** The provider's own inputs, secrets unwrapped; the answer is what state keeps (secret keys marked). */
  checkConfig(news: Props): { inputs: Props; failures: CheckFailure[] };
  configure(inputs: Props): void;
  check(urn: string, olds: Props, news: Props): Promise<{ inputs?: Props; failures?: CheckFailure[] }>;
  // `stated`: the state's inputs of the resource (`old_inputs`, `ReadRequest.inputs`); undefined in an import.
  diff(id: string, urn: string, olds: Props, news: Props, stated: Props | undefined): Promise<{ changes?: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }>;
  create(urn: string, inputs: Props): Promise<{ id: string; outs?: Props }>;
  read(id: string, urn: string, props: Props, stated: Props | undefined): Promise<{ id?: string; props?: Props; inputs?: Props }>;
  update(id: string, urn: string, olds: Props, news: Props, stated: Props | undefined): Promise<{ outs?: Props }>;
  delete(id: string, urn: string, props: Props, stated: Props | undefined): Promise<void>;
}

/**
 * `require` as @pulumi/pulumi's generated gRPC code does it: the very @grpc/grpc-js and protobuf
 * modules its service definitions and message classes were built with.
 */
export const sdkRequire = (): NodeJS.Require => createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi/proto/provider_grpc_pb.js"));

/** The provider protocol's gRPC library, service definition (with its client) and messages, as the SDK generated them. */
export function providerProtocol() {
  const sdk = sdkRequire();
  return {
    grpc: sdk("@grpc/grpc-js") as typeof Grpc,
    service: sdk("./provider_grpc_pb.js") as typeof ProviderGrpc,
    messages: sdk("./provider_pb.js") as typeof ProviderProto,
    PluginInfo: (sdk("./plugin_pb.js") as typeof PluginProto).PluginInfo,
    Empty: (sdk("google-protobuf/google/protobuf/empty_pb.js") as typeof EmptyProto).Empty,
    Struct: (sdk("google-protobuf/google/protobuf/struct_pb.js") as typeof StructProto).Struct,
  };
}

/** The limits @pulumi/pulumi's own provider server sets (runtime/settings.js grpcChannelOptions). */
const SERVER_OPTIONS = { "grpc.max_receive_message_length": 400 * 1024 * 1024, "grpc.server_max_unrequested_time_in_server": 30 * 60 };

export interface ProviderServer {
  readonly port: number;
  /** An error's message as calls answer it: no secret the provider was given in it. */
  messageOf(error: unknown): string;
  close(): void;
}

/**
 * Serves Pulumi's ResourceProvider gRPC service for `provider` on a loopback port. Methods this
 * provider has no use for (Construct, Call, Invoke, Parameterize, DiffConfig, Handshake, mappings)
 * answer UNIMPLEMENTED, which the engine takes as "not supported" (DiffConfig: its own diff of the
 * provider's inputs).
 *
 * Why not @pulumi/pulumi's `provider.main()`: that server reads neither Configure's nor CheckConfig's
 * request (the only carriers of an explicit provider's inputs), passes on no state inputs to read,
 * diff, update and delete, fails `pulumi import`'s read without properties, prints each error's stack
 * to the engine's output, and loads the SDK's runtime for components this plugin does not have:
 * the plugin took 230–250 ms from spawn to its port on that server, 115–140 ms on this one, on
 * every deployment's critical path.
 */
export async function startProviderServer(provider: ProviderMethods): Promise<ProviderServer> {
  const { grpc, service: { ResourceProviderService }, messages, PluginInfo, Empty, Struct } = providerProtocol();

  // Every secret the engine has handed this provider (its configuration's marked values): no message
  // leaves this process with one, whatever produced the message.
  const secrets = new Set<string>();
  const remember = (value: unknown, secret = false): void => {
    if (isSecretValue(value)) return remember(value.value, true);
    if (typeof value === "string" && secret) secrets.add(value);
    else if (value && typeof value === "object") for (const inner of Object.values(value)) remember(inner, secret);
  };
  // Messages, not stacks: an operator reads DefectDojo's answer. DOJO_JIRA_DEBUG adds the stack.
  const messageOf = (error: unknown) => redact(error instanceof Error ? (process.env.DOJO_JIRA_DEBUG && error.stack ? `${error.message}\n${error.stack}` : error.message) : String(error), secrets);

  /** One unary method: `work` answers the request; what it throws is the call's error, as a message. */
  const unary =
    <Request, Response>(work: (request: Request) => Response | Promise<Response>): Grpc.handleUnaryCall<Request, Response> =>
    (call, callback) => {
      new Promise<Response>((resolve) => resolve(work(call.request))).then(
        (response) => callback(null, response),
        (error: unknown) => callback({ code: grpc.status.UNKNOWN, details: messageOf(error) }),
      );
    };
  const props = (struct: StructProto.Struct | undefined): Props => (struct?.toJavaScript() ?? {}) as Props;
  const struct = (value: Props | undefined) => Struct.fromJavaScript((value ?? {}) as Record<string, StructProto.JavaScriptValue>);
  const failuresOf = (failures: CheckFailure[] | undefined) =>
    (failures ?? []).map(({ property, reason }) => {
      const failure = new messages.CheckFailure();
      failure.setProperty(property);
      failure.setReason(reason);
      return failure;
    });

  const service: Partial<ProviderGrpc.IResourceProviderServer> = {
    getPluginInfo: unary(() => {
      const info = new PluginInfo();
      info.setVersion(provider.version);
      return info;
    }),
    getSchema: unary(async (request: ProviderProto.GetSchemaRequest) => {
      if (request.getVersion() !== 0) throw new Error(`unsupported schema version ${request.getVersion()}`);
      const response = new messages.GetSchemaResponse();
      response.setSchema(await provider.getSchema());
      return response;
    }),
    checkConfig: unary((request: ProviderProto.CheckRequest) => {
      const news = props(request.getNews());
      remember(news);
      const { inputs, failures } = provider.checkConfig(unwrapSecrets(news) as Props);
      remember(inputs);
      const response = new messages.CheckResponse();
      response.setInputs(struct(inputs));
      response.setFailuresList(failuresOf(failures));
      return response;
    }),
    configure: unary((request: ProviderProto.ConfigureRequest) => {
      const args = props(request.getArgs());
      remember(args);
      provider.configure(unwrapSecrets(args) as Props);
      const response = new messages.ConfigureResponse();
      response.setAcceptsecrets(true);
      response.setAcceptresources(true);
      response.setAcceptoutputs(true);
      return response;
    }),
    check: unary(async (request: ProviderProto.CheckRequest) => {
      const news = props(request.getNews());
      const result = await provider.check(request.getUrn(), props(request.getOlds()), news);
      const response = new messages.CheckResponse();
      response.setInputs(struct(result.inputs ?? news));
      response.setFailuresList(failuresOf(result.failures));
      return response;
    }),
    diff: unary(async (request: ProviderProto.DiffRequest) => {
      const result = await provider.diff(request.getId(), request.getUrn(), props(request.getOlds()), props(request.getNews()), request.getOldInputs()?.toJavaScript());
      const { DiffChanges } = messages.DiffResponse;
      const response = new messages.DiffResponse();
      response.setChanges(result.changes === true ? DiffChanges.DIFF_SOME : result.changes === false ? DiffChanges.DIFF_NONE : DiffChanges.DIFF_UNKNOWN);
      response.setReplacesList(result.replaces ?? []);
      response.setDeletebeforereplace(result.deleteBeforeReplace === true);
      return response;
    }),
    create: unary(async (request: ProviderProto.CreateRequest) => {
      const result = await provider.create(request.getUrn(), props(request.getProperties()));
      const response = new messages.CreateResponse();
      response.setId(result.id);
      response.setProperties(struct(result.outs));
      return response;
    }),
    // `pulumi import` reads with an id and no properties at all.
    read: unary(async (request: ProviderProto.ReadRequest) => {
      const result = await provider.read(request.getId(), request.getUrn(), props(request.getProperties()), request.getInputs()?.toJavaScript());
      const response = new messages.ReadResponse();
      response.setId(result.id ?? "");
      response.setProperties(struct(result.props));
      if (result.inputs !== undefined) response.setInputs(struct(result.inputs));
      return response;
    }),
    update: unary(async (request: ProviderProto.UpdateRequest) => {
      const result = await provider.update(request.getId(), request.getUrn(), props(request.getOlds()), props(request.getNews()), request.getOldInputs()?.toJavaScript());
      const response = new messages.UpdateResponse();
      response.setProperties(struct(result.outs));
      return response;
    }),
    delete: unary(async (request: ProviderProto.DeleteRequest) => {
      await provider.delete(request.getId(), request.getUrn(), props(request.getProperties()), request.getOldInputs()?.toJavaScript());
      return new Empty();
    }),
    cancel: unary(() => new Empty()),
    attach: unary(() => new Empty()),
  };

  const server = new grpc.Server(SERVER_OPTIONS);
  server.addService(ResourceProviderService, service as ProviderGrpc.IResourceProviderServer);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
  return { port, messageOf, close: () => server.forceShutdown() };
}

/**
 * The plugin's protocol: serve, then print the port, which is how the engine finds a plugin.
 *
 * An error this process did not catch (a throw in a timer or socket handler) is reported through
 * `report`, and the plugin goes on serving, as @pulumi/pulumi's server does: the calls in flight
 * finish (a create DefectDojo has already accepted is recorded in state rather than answered as
 * failed while it goes through, which would leave the object outside the stack), and each of them
 * is bounded by the DefectDojo client's deadline either way.
 */
export async function serveProvider(provider: ProviderMethods, report: (message: string) => void): Promise<void> {
  const server = await startProviderServer(provider);
  const uncaught = (error: unknown) => {
    report(`an internal error (please report it): ${server.messageOf(error)}`);
    process.exitCode = 1;
  };
  process.on("uncaughtException", uncaught);
  process.on("unhandledRejection", uncaught);
  // As text: Node would colour a number printed to a terminal.
  console.log(String(server.port));
}
