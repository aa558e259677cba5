import { createHmac } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
// The compiled module, as a program loads it.
import { providerSource } from "../../dist/provider/dynamic/thin-provider.js";
import { lintDigest } from "../../dist/provider/lint-digest.js";
import { ROOT } from "../helpers/run-cli.js";

// The provider served by @pulumi/pulumi's own dynamic-provider host and called as the engine calls
// it: the `__provider` the resources store, configured, then check/create/diff/read/delete
// over gRPC. Fast, and it needs no Pulumi CLI.
const require = createRequire(import.meta.url);
const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const providerPb = require("@pulumi/pulumi/proto/provider_pb");
const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const URN = "urn:pulumi:test::defectdojo-jira::pulumi-nodejs:dynamic/defectdojo-jira:JiraInstance::corp-jira";
const JIRA_TOKEN = "grpc-jira-token-value";

type Client = { [method: string]: (request: unknown, callback: (error: Error | null, response: any) => void) => void };
let dojo: DefectDojoEmulator;
let home: string;
const hosts: ChildProcess[] = [];
let client: Client;
let serialized: string;

const callOn = (on: Client, method: string, request: unknown) => new Promise<any>((resolve, reject) => on[method]!(request, (error, response) => (error ? reject(error) : resolve(response))));
const call = (method: string, request: unknown) => callOn(client, method, request);
const struct = (value: object) => Struct.fromJavaScript(value);

/** One deployment's dynamic-provider process, configured as the engine configures it. */
async function startHost(): Promise<Client> {
  // Each deployment its own engine address: the deployment's claims are keyed by it.
  const host = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/dynamic-provider"), `127.0.0.1:${hosts.length + 1}`], { cwd: ROOT, env: { ...process.env, PULUMI_NODEJS_PROJECT: "defectdojo-jira", PULUMI_HOME: home } });
  hosts.push(host);
  const port = await new Promise<string>((resolve) => host.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim())));
  const started: Client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const configure = new providerPb.ConfigureRequest();
  configure.setArgs(struct({ "defectdojo:url": dojo.url, "defectdojo:apiToken": { ...SECRET_SIG, value: dojo.token }, "defectdojo-jira:corpJiraToken": { ...SECRET_SIG, value: JIRA_TOKEN } }));
  await callOn(started, "configure", configure);
  return started;
}

beforeAll(async () => {
  dojo = await startDefectDojoEmulator();
  home = await mkdtemp(join(tmpdir(), "dojo-jira-grpc-home-"));
  serialized = providerSource("JiraInstance");
  client = await startHost();
});
afterAll(async () => {
  for (const host of hosts) host.kill();
  await dojo?.close();
  await rm(home, { recursive: true, force: true });
});

const spec = { url: "https://corp.atlassian.net", username: "svc", password: { fromConfig: "corpJiraToken" }, epicNameId: 10011, transitions: { reopen: 11, close: 31 } };

describe("provider over the dynamic-provider gRPC host", () => {
  it("serializes small and without secrets or credentials", () => {
    expect(serialized.length).toBeLessThan(200);
    expect(serialized).not.toContain(dojo.token);
    expect(serialized).toContain('"dojo-jira/provider-host"');
  });

  it("check reports schema failures by property path", async () => {
    const request = new providerPb.CheckRequest();
    request.setUrn(URN);
    request.setOlds(struct({}));
    request.setNews(struct({ __provider: serialized, name: "corp-jira", spec: { ...spec, transitions: { reopen: 11 } } }));
    const response = await call("check", request);
    expect(response.getFailuresList().map((f: any) => [f.getProperty(), f.getReason()])).toEqual([["spec.transitions", "must have required property 'close'"]]);
  });

  it("check skips its lint only for the very document the root program linted, and keeps the digest out of state", async () => {
    const bad = { ...spec, transitions: { reopen: 11 } };
    const forged = new providerPb.CheckRequest();
    forged.setUrn(URN);
    forged.setOlds(struct({}));
    forged.setNews(struct({ __provider: serialized, name: "corp-jira", spec: bad, linted: lintDigest("JiraInstance", "corp-jira", spec) }));
    expect((await call("check", forged)).getFailuresList().map((f: any) => f.getProperty())).toEqual(["spec.transitions"]);

    const linted = new providerPb.CheckRequest();
    linted.setUrn(URN);
    linted.setOlds(struct({}));
    linted.setNews(struct({ __provider: serialized, name: "corp-jira", spec, linted: lintDigest("JiraInstance", "corp-jira", spec) }));
    const response = await call("check", linted);
    expect(response.getFailuresList()).toEqual([]);
    expect(Object.keys(response.getInputs().toJavaScript())).not.toContain("linted");
  });

  it("check, create, diff, read and delete as the engine drives them", async () => {
    const check = new providerPb.CheckRequest();
    check.setUrn(URN);
    check.setOlds(struct({}));
    check.setNews(struct({ __provider: serialized, name: "corp-jira", spec }));
    const inputs = (await call("check", check)).getInputs().toJavaScript();
    expect(inputs.passwordFingerprint).toMatch(/^v2:[0-9a-f]{64}$/);
    // No offline oracle: salt and fingerprint side by side do not let a reader of state test a guess.
    expect(inputs.passwordFingerprint).not.toContain(createHmac("sha256", inputs.passwordSalt).update(JIRA_TOKEN).digest("hex"));
    expect(JSON.stringify(inputs)).not.toContain(JIRA_TOKEN);

    const create = new providerPb.CreateRequest();
    create.setUrn(URN);
    create.setProperties(struct(inputs));
    const created = await call("create", create);
    const outputs = created.getProperties().toJavaScript();
    expect(outputs.dojoId).toBe(Number(created.getId()));
    expect(dojo.db.jira_instances.get(outputs.dojoId)).toMatchObject({ configuration_name: "corp-jira", password: JIRA_TOKEN });

    const diff = new providerPb.DiffRequest();
    diff.setId(created.getId());
    diff.setUrn(URN);
    diff.setOlds(struct(outputs));
    diff.setNews(struct(inputs));
    expect((await call("diff", diff)).getChanges()).toBe(providerPb.DiffResponse.DiffChanges.DIFF_NONE);

    const read = new providerPb.ReadRequest();
    read.setId(created.getId());
    read.setUrn(URN);
    read.setProperties(struct(outputs));
    read.setInputs(struct(inputs));
    const refreshed = await call("read", read);
    expect(refreshed.getInputs().toJavaScript().spec).toEqual(spec);

    // The delete of a later deployment (`pulumi destroy`), in its own process: in the deployment
    // above, the diff that planned no replace keeps the instance against a delete of its id.
    const remove = new providerPb.DeleteRequest();
    remove.setId(created.getId());
    remove.setUrn(URN);
    remove.setProperties(struct(outputs));
    await callOn(await startHost(), "delete", remove);
    expect(dojo.db.jira_instances.size).toBe(0);
    const gone = await call("read", read);
    expect(gone.getId()).toBe("");
  });
});
