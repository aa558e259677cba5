import type * as EngineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb.js";
import type * as EngineProto from "@pulumi/pulumi/proto/engine_pb.js";
import { sdkRequire } from "./server.js";

/**
 * What the resource code reports (an object left in place for its new owner, Jira left on) as the
 * engine's info diagnostics on the resource being operated, and the plugin's internal errors as
 * error diagnostics. A provider plugin's own stdout reaches no one once the engine has read the port
 * from it, and its standard error is shown only when logging verbosely, while the dynamic-provider
 * host's output is shown; so the plugin says it through the engine's Log RPC, on the gRPC the SDK
 * itself loads. Without an engine address (a test serving the provider itself), standard error.
 */
export function engineNotices(engineAddress: string | undefined): (message: string, urn?: string, severity?: "info" | "error") => void {
  if (!engineAddress) return (message) => console.error(`dojo-jira: ${message}`);
  // Loaded at the first notice: the engine's service is 30 ms of module loading, and most runs have none.
  let engine: { client: EngineGrpc.EngineClient; messages: typeof EngineProto } | undefined;
  const connect = () => {
    const sdk = sdkRequire();
    const grpc = sdk("@grpc/grpc-js") as { credentials: { createInsecure(): unknown } };
    const services = sdk("./engine_grpc_pb.js") as { EngineClient: new (address: string, credentials: unknown) => EngineGrpc.EngineClient };
    return { client: new services.EngineClient(engineAddress, grpc.credentials.createInsecure()), messages: sdk("./engine_pb.js") as typeof EngineProto };
  };
  return (message, urn = "", severity = "info") => {
    engine ??= connect();
    const { client, messages } = engine;
    const request = new messages.LogRequest();
    request.setSeverity(severity === "error" ? messages.LogSeverity.ERROR : messages.LogSeverity.INFO);
    request.setMessage(`dojo-jira: ${message}`);
    request.setUrn(urn);
    client.log(request, (error) => {
      if (error) console.error(`dojo-jira: ${message}`);
    });
  };
}
