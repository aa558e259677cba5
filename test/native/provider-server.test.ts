import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type * as Grpc from "@grpc/grpc-js";
import type * as ProviderGrpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import type * as ProviderProto from "@pulumi/pulumi/proto/provider_pb.js";
import type * as EmptyProto from "google-protobuf/google/protobuf/empty_pb.js";
import type * as StructProto from "google-protobuf/google/protobuf/struct_pb.js";
import { SECRET_SIG, SIG_KEY, unwrapSecrets } from "../../provider/native/secret-markers.js";
import { checkProviderConfig, nativeConfig, parseUrn } from "../../provider/native/provider.js";
import { providerProtocol, startProviderServer, type ProviderMethods, type ProviderServer } from "../../provider/native/server.js";
import { ROOT } from "../helpers/run-cli.js";
import { startDefectDojoEmulator } from "../../emulators/defectdojo/server.js";

const { grpc, service: { ResourceProviderClient }, messages, Empty, Struct } = providerProtocol();

type Props = Record<string, unknown>;
const struct = (value: Props) => Struct.fromJavaScript(value as Record<string, StructProto.JavaScriptValue>);
/** One unary call, as the engine makes it: the answer, or the gRPC error. */
function call<Request, Response>(client: ProviderGrpc.ResourceProviderClient, method: string, request: Request): Promise<Response> {
  const fn = (client as unknown as Record<string, (r: Request, cb: (e: Grpc.ServiceError | null, v: Response) => void) => void>)[method]!.bind(client);
  return new Promise((resolve, reject) => fn(request, (error, value) => (error ? reject(error) : resolve(value))));
}
const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const URN = "urn:pulumi:dev::p::defectdojo-jira:index:ProductJiraLink::payments";

/** What a provider was asked, with the state's inputs each call was given. */
const seen: Array<{ method: string; args: unknown[]; stated: Props | undefined }> = [];
const recording: ProviderMethods = {
  version: "9.8.7",
  getSchema: async () => "{}",
  checkConfig: (news) => (seen.push({ method: "checkConfig", args: [news], stated: undefined }), checkProviderConfig(news)),
  configure: (inputs) => void seen.push({ method: "configure", args: [inputs], stated: undefined }),
  check: async (urn, olds, news) => {
    if ((news.spec as Props | undefined)?.projectKey === "THROW") throw new Error("spec.projectKey THROW is refused");
    if ((news.spec as Props | undefined)?.projectKey === "LEAK") throw new Error(`DefectDojo said: tok-SECRET-1234 and ${JSON.stringify({ password: 'pw "SECRET" 5678' })}`);
    return { inputs: news, failures: news.spec ? [] : [{ property: "spec", reason: "is required" }] };
  },
  diff: async (id, urn, olds, news, stated) => (seen.push({ method: "diff", args: [id, olds, news], stated }), { changes: true, replaces: ["spec.product"] }),
  create: async () => ({ id: "1" }),
  read: async (id, urn, props, stated) => (seen.push({ method: "read", args: [id, props], stated }), { id, props: { dojoId: 7 }, inputs: { spec: { projectKey: "PAY" } } }),
  update: async (id, urn, olds, news, stated) => (seen.push({ method: "update", args: [id, olds, news], stated }), { outs: { dojoId: 7 } }),
  delete: async (id, urn, props, stated) => void seen.push({ method: "delete", args: [id, props], stated }),
};

let server: ProviderServer;
let client: ProviderGrpc.ResourceProviderClient;
beforeAll(async () => {
  server = await startProviderServer(recording);
  client = new ResourceProviderClient(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
});
afterAll(() => {
  client?.close();
  server?.close();
});

describe("the provider plugin's gRPC server", () => {
  it("CheckConfig and Configure read their requests: secrets unwrapped inside, marked secret in what state keeps", async () => {
    seen.length = 0;
    const check = new messages.CheckRequest();
    check.setUrn("urn:pulumi:dev::p::pulumi:providers:defectdojo-jira::defectdojo");
    check.setNews(struct({ url: "https://dojo.example", apiToken: "t0ken", secrets: secret({ corpJiraToken: "pw" }) }));
    const checked = await call<ProviderProto.CheckRequest, ProviderProto.CheckResponse>(client, "checkConfig", check);
    expect(checked.getInputs()!.toJavaScript()).toEqual({ url: "https://dojo.example", apiToken: secret("t0ken"), secrets: secret({ corpJiraToken: "pw" }) });
    const configure = new messages.ConfigureRequest();
    configure.setArgs(struct({ url: "https://dojo.example", apiToken: secret("t0ken") }));
    const configured = await call<ProviderProto.ConfigureRequest, ProviderProto.ConfigureResponse>(client, "configure", configure);
    expect(configured.getAcceptsecrets()).toBe(true);
    expect(seen).toEqual([
      { method: "checkConfig", args: [{ url: "https://dojo.example", apiToken: "t0ken", secrets: { corpJiraToken: "pw" } }], stated: undefined },
      { method: "configure", args: [{ url: "https://dojo.example", apiToken: "t0ken" }], stated: undefined },
    ]);
  });

  it("diff, update, delete and read see the state's inputs; read without properties (pulumi import) gets none", async () => {
    seen.length = 0;
    const stated = { spec: { product: "Payments API", projectKey: "PAY" } };
    const diff = new messages.DiffRequest();
    diff.setId("7");
    diff.setUrn(URN);
    diff.setOlds(struct({ dojoId: 7 }));
    diff.setOldInputs(struct(stated));
    diff.setNews(struct({ spec: { product: "Other" } }));
    const diffed = await call<ProviderProto.DiffRequest, ProviderProto.DiffResponse>(client, "diff", diff);
    expect(diffed.getChanges()).toBe(messages.DiffResponse.DiffChanges.DIFF_SOME);
    expect(diffed.getReplacesList()).toEqual(["spec.product"]);
    const update = new messages.UpdateRequest();
    update.setId("7");
    update.setUrn(URN);
    update.setOlds(struct({ dojoId: 7 }));
    update.setOldInputs(struct(stated));
    update.setNews(struct({ spec: { product: "Payments API", projectKey: "NEW" } }));
    const updated = await call<ProviderProto.UpdateRequest, ProviderProto.UpdateResponse>(client, "update", update);
    expect(updated.getProperties()!.toJavaScript()).toEqual({ dojoId: 7 });
    const remove = new messages.DeleteRequest();
    remove.setId("7");
    remove.setUrn(URN);
    remove.setProperties(struct({ dojoId: 7 }));
    remove.setOldInputs(struct(stated));
    await call(client, "delete", remove);
    const read = new messages.ReadRequest();
    read.setId("7");
    read.setUrn(URN);
    const imported = await call<ProviderProto.ReadRequest, ProviderProto.ReadResponse>(client, "read", read);
    expect([imported.getId(), imported.getProperties()!.toJavaScript(), imported.getInputs()!.toJavaScript()]).toEqual(["7", { dojoId: 7 }, { spec: { projectKey: "PAY" } }]);
    expect(seen.map(({ method, stated }) => [method, stated])).toEqual([["diff", stated], ["update", stated], ["delete", stated], ["read", undefined]]);
    expect(seen.at(-1)!.args).toEqual(["7", {}]);
  });

  it("check answers failures; an error is the call's message (UNKNOWN), printed nowhere", async () => {
    const errors = vi.spyOn(console, "error");
    const request = new messages.CheckRequest();
    request.setUrn(URN);
    request.setNews(struct({ name: "payments" }));
    const checked = await call<ProviderProto.CheckRequest, ProviderProto.CheckResponse>(client, "check", request);
    expect(checked.getFailuresList().map((f) => [f.getProperty(), f.getReason()])).toEqual([["spec", "is required"]]);
    request.setNews(struct({ spec: { projectKey: "THROW" } }));
    const failed = await call(client, "check", request).catch((error: Grpc.ServiceError) => error);
    expect(failed).toMatchObject({ code: grpc.status.UNKNOWN, details: "spec.projectKey THROW is refused" });
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
    vi.stubEnv("DOJO_JIRA_DEBUG", "1"); // a developer's run: the stack follows the message
    try {
      const debugged = await call(client, "check", request).catch((error: Grpc.ServiceError) => error);
      expect((debugged as Grpc.ServiceError).details).toMatch(/^spec\.projectKey THROW is refused\nError: spec\.projectKey THROW is refused\n\s+at /);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("no error leaves with a secret the engine handed the provider, however it came into the message", async () => {
    const configure = new messages.ConfigureRequest();
    configure.setArgs(struct({ apiToken: secret("tok-SECRET-1234"), secrets: secret({ corpJiraToken: 'pw "SECRET" 5678' }) }));
    await call(client, "configure", configure);
    const request = new messages.CheckRequest();
    request.setUrn(URN);
    request.setNews(struct({ spec: { projectKey: "LEAK" } }));
    const failed = await call(client, "check", request).catch((error: Grpc.ServiceError) => error);
    expect(failed).toMatchObject({ code: grpc.status.UNKNOWN, details: "DefectDojo said: [secret] and {\"password\":\"[secret]\"}" });
  });

  it("what this provider does not have is UNIMPLEMENTED (Construct, Invoke, DiffConfig)", async () => {
    for (const [method, request] of [["construct", new messages.ConstructRequest()], ["invoke", new messages.InvokeRequest()], ["diffConfig", new messages.DiffRequest()]] as const) {
      const error = await call(client, method, request).catch((e: Grpc.ServiceError) => e);
      expect(error, method).toMatchObject({ code: grpc.status.UNIMPLEMENTED });
    }
  });

  it("the real plugin: an error nothing caught is reported, and the call in flight still finishes", async () => {
    const dojo = await startDefectDojoEmulator();
    dojo.faults.configure({ rate: 0, latencyMs: 300 });
    const plugin = spawn(join(ROOT, "bin/pulumi-resource-defectdojo-jira"), [], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: `--import ${join(ROOT, "test/fixtures/plugin-uncaught.mjs")}`, LEAK_ME: dojo.token } });
    let stderr = "";
    plugin.stderr.on("data", (chunk: Buffer) => (stderr += String(chunk)));
    try {
      const port = await new Promise<string>((resolve) => plugin.stdout.once("data", (chunk: Buffer) => resolve(String(chunk).trim())));
      const direct = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      try {
        const configure = new messages.ConfigureRequest();
        configure.setArgs(struct({ url: dojo.url, apiToken: secret(dojo.token) }));
        await call(direct, "configure", configure);
        // A refresh of a link DefectDojo no longer has: one GET, answered 300 ms later; the failure comes 20 ms into it.
        const read = new messages.ReadRequest();
        read.setId("999");
        read.setUrn(URN);
        read.setProperties(struct({ dojoId: 999, instanceId: 1, targetId: 1 }));
        read.setInputs(struct({ instanceId: 1, spec: { product: "Payments API", instance: "corp", projectKey: "PAY" } }));
        const answer = await call<ProviderProto.ReadRequest, ProviderProto.ReadResponse>(direct, "read", read);
        expect(answer.getId()).toBe(""); // gone, as DefectDojo said: the call's own answer, not the injected error
        expect(stderr).toContain("dojo-jira: an internal error (please report it): injected failure beside a call in flight (token [secret])");
        expect(stderr).not.toContain(dojo.token);
        expect(stderr).not.toMatch(/\n\s+at /);
        expect((await call<EmptyProto.Empty, { getVersion(): string }>(direct, "getPluginInfo", new Empty())).getVersion()).not.toBe(""); // still serving
      } finally {
        direct.close();
      }
    } finally {
      plugin.kill();
      await dojo.close();
    }
  });

  it("the plugin prints its port first and answers with the package's version and schema", async () => {
    const plugin = spawn(join(ROOT, "bin/pulumi-resource-defectdojo-jira"), [], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        plugin.stdout.once("data", (chunk: Buffer) => resolve(String(chunk).trim()));
        plugin.once("exit", (code) => reject(new Error(`plugin exited ${code}`)));
      });
      expect(port).toMatch(/^\d+$/);
      const direct = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      try {
        const info = await call<EmptyProto.Empty, { getVersion(): string }>(direct, "getPluginInfo", new Empty());
        const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
        expect(info.getVersion()).toBe(version);
        const schema = new messages.GetSchemaRequest();
        const answer = await call<ProviderProto.GetSchemaRequest, ProviderProto.GetSchemaResponse>(direct, "getSchema", schema);
        expect((JSON.parse(answer.getSchema()) as { name: string }).name).toBe("defectdojo-jira");
        schema.setVersion(2);
        expect(await call(direct, "getSchema", schema).catch((e: Grpc.ServiceError) => e.details)).toBe("unsupported schema version 2");
      } finally {
        direct.close();
      }
    } finally {
      plugin.kill();
    }
  });

  it("maps the package's keys to what the shared resource code asks for; fromConfig reads `secrets`", () => {
    const config = nativeConfig({ url: "https://dojo.example", apiToken: "t0ken", secrets: JSON.stringify({ corpJiraToken: "pw" }) });
    expect(config.get("defectdojo:url")).toBe("https://dojo.example");
    expect(config.get("defectdojo:apiToken")).toBe("t0ken");
    expect(config.get("corpJiraToken")).toBe("pw");
    expect(config.get("proj:corpJiraToken")).toBe("pw");
    expect(nativeConfig({}).get("defectdojo:url")).toBeUndefined(); // Settings falls back to DEFECTDOJO_URL
  });

  it("CheckConfig marks apiToken and secrets secret, so even a plaintext-set token is encrypted in state", () => {
    const { inputs, failures } = checkProviderConfig({ url: "https://dojo.example", apiToken: "t0ken", secrets: { a: "b" } });
    expect(failures).toEqual([]);
    expect(inputs.apiToken).toEqual({ [SIG_KEY]: SECRET_SIG, value: "t0ken" });
    expect(inputs.secrets).toEqual({ [SIG_KEY]: SECRET_SIG, value: { a: "b" } });
    expect(inputs.url).toBe("https://dojo.example");
    expect(unwrapSecrets(inputs)).toEqual({ url: "https://dojo.example", apiToken: "t0ken", secrets: { a: "b" } });
    expect(checkProviderConfig({ url: "dojo.example" }).failures).toEqual([{ property: "url", reason: "must be DefectDojo's http(s) base URL" }]);
  });

  it("reads kind and name from a URN, parents included", () => {
    expect(parseUrn("urn:pulumi:dev::p::defectdojo-jira:index:ProductJiraLink::payments")).toEqual({ kind: "ProductJiraLink", name: "payments" });
    expect(parseUrn("urn:pulumi:dev::p::my:comp$defectdojo-jira:index:JiraInstance::corp")).toEqual({ kind: "JiraInstance", name: "corp" });
    expect(() => parseUrn("urn:pulumi:dev::p::other:index:Thing::x")).toThrow(/unknown resource type/);
  });
});
