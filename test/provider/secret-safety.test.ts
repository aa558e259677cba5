import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { fingerprint } from "../../provider/fingerprint.js";
import { Secret } from "../../provider/secret.js";
import type { ConfigDocument } from "../../schema/config-types.js";
import { instanceDoc, intercept } from "../helpers/dojo-fixture.js";
import { declare, ModelEngine } from "../helpers/model-engine.js";

// The review's secret findings in the provider (issue 10, items 15, 16, 17, 19).
const PASSWORD_A = "canary-password-a-71c2e";
const PASSWORD_B = "canary-password-b-0f9d3";
let dojo: DefectDojoEmulator;
let engine: ModelEngine;

beforeAll(async () => {
  dojo = await startDefectDojoEmulator();
});
afterAll(async () => dojo?.close());
beforeEach(() => {
  dojo.reset();
  engine = new ModelEngine({ "defectdojo:url": dojo.url, "defectdojo:apiToken": dojo.token, "defectdojo-jira:corpJiraToken": PASSWORD_A });
});

/** A DefectDojo that answers writes with a 400 echoing every value it was sent, as some validators do. */
function echoWrites(): () => void {
  return intercept(dojo, (request) => (request.method === "PATCH" ? { status: 400, json: { password: [`"${request.body}" is not valid`], non_field_errors: [request.body] } } : undefined));
}

describe("secrets the provider sends are never echoed back (item 16)", () => {
  it("a rotated password echoed by a 400 is scrubbed from the error", async () => {
    expect((await engine.up(declare([instanceDoc("corp-jira")]))).ok).toBe(true);
    engine.config["defectdojo-jira:corpJiraToken"] = PASSWORD_B;
    const release = echoWrites();
    const result = await engine.up(declare([instanceDoc("corp-jira")]));
    release();
    expect(result.ok).toBe(false);
    expect(result.error).toContain("400");
    expect(result.error).not.toContain(PASSWORD_B);
    expect(result.error).not.toContain(dojo.token);
  });

  it("a password sent by an adoption PATCH, and DefectDojo's webhook secret, are scrubbed too", async () => {
    const webhookSecret = String(dojo.db.system_settings.get(1)!.jira_webhook_secret);
    engine.config["defectdojo-jira:webhookSecret"] = "canary-webhook-secret-9e1";
    await engine.up(declare([instanceDoc("corp-jira")]));
    dojo.db.jira_instances.clear();
    await fetch(`${dojo.url}/api/v2/jira_instances/`, { method: "POST", headers: { Authorization: `Token ${dojo.token}`, "Content-Type": "application/json" }, body: JSON.stringify({ configuration_name: "adopt-me", url: "https://corp.atlassian.net", username: "svc@corp.example", password: "old", epic_name_id: 1, open_status_key: 11, close_status_key: 31, info_mapping_severity: "Lowest", low_mapping_severity: "Low", medium_mapping_severity: "Medium", high_mapping_severity: "High", critical_mapping_severity: "Highest" }) });
    const settings = { apiVersion: "defectdojo-jira/v1", kind: "JiraSettings", metadata: { name: "jira-settings" }, spec: { enableJira: true, webhookSecret: { fromConfig: "webhookSecret" } } } as ConfigDocument;
    const release = intercept(dojo, (request) => (request.method === "PATCH" ? { status: 400, json: { detail: `${request.body} (was ${webhookSecret})` } } : undefined));
    const fresh = new ModelEngine(engine.config);
    const adoption = await fresh.up(declare([instanceDoc("adopt-me", { options: { adopt: true } })]));
    const settingsRun = await fresh.up(declare([settings]));
    release();
    expect(adoption.ok).toBe(false);
    expect(adoption.error).toContain("400");
    expect(adoption.error).not.toContain(PASSWORD_A);
    expect(settingsRun.ok).toBe(false);
    expect(settingsRun.error).toContain("400");
    expect(settingsRun.error).not.toContain("canary-webhook-secret-9e1"); // the one sent
    expect(settingsRun.error).not.toContain(webhookSecret); // the one DefectDojo had
  });
});

describe("state holds no offline oracle for a secret (item 15)", () => {
  it("salt and fingerprint side by side do not let a reader of state test a guess", async () => {
    expect((await engine.up(declare([instanceDoc("corp-jira")]))).ok).toBe(true);
    const { passwordSalt, passwordFingerprint } = engine.state[0]!.outputs as { passwordSalt: string; passwordFingerprint: string };
    const state = JSON.stringify(engine.state);
    // What an attacker with the state alone can compute for the right guess:
    for (const guess of [createHmac("sha256", passwordSalt).update(PASSWORD_A).digest("hex"), createHmac("sha256", PASSWORD_A).update(passwordSalt).digest("hex")]) expect(state).not.toContain(guess);
    // The fingerprint needs the DefectDojo token, which state does not hold:
    expect(passwordFingerprint).toBe(fingerprint(new Secret(PASSWORD_A), passwordSalt, new Secret(dojo.token)));
    expect(state).not.toContain(dojo.token);
    // and a changed password is still seen, with one PATCH of just the password.
    engine.config["defectdojo-jira:corpJiraToken"] = PASSWORD_B;
    dojo.log.length = 0;
    expect((await engine.up(declare([instanceDoc("corp-jira")]))).ok).toBe(true);
    expect(dojo.log.filter((r) => r.method !== "GET").map((r) => r.fields)).toEqual([["password"]]);
  });
});

describe("the webhook secret never leaves for another origin (items 17, 19)", () => {
  let jira: Server;
  let elsewhere: Server;
  const received: string[] = [];
  const listen = (server: Server) => new Promise<string>((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

  beforeAll(async () => {
    elsewhere = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push(`${req.method} ${req.url} ${body}`);
        res.writeHead(201, { "Content-Type": "application/json" }).end(JSON.stringify({ self: "http://x/rest/webhooks/1.0/webhook/1", name: "DefectDojo", url: "" }));
      });
    });
    const other = await listen(elsewhere);
    // A Jira whose webhook API redirects every call, body and all, to another origin.
    jira = createServer((req, res) => res.writeHead(req.method === "GET" ? 200 : 307, { Location: `${other}/steal`, "Content-Type": "application/json" }).end(req.method === "GET" ? "[]" : ""));
    await listen(jira);
  });
  afterAll(() => {
    jira?.close();
    elsewhere?.close();
  });

  it("a 307 from Jira is not followed with the webhook URL in the body", async () => {
    engine = new ModelEngine({ "defectdojo:url": dojo.url, "defectdojo:apiToken": dojo.token, "defectdojo-jira:corpJiraToken": PASSWORD_A, "defectdojo-jira:webhookSecret": "canary-webhook-secret-2b7" });
    const jiraUrl = `http://127.0.0.1:${(jira.address() as AddressInfo).port}`;
    const result = await engine.up([
      { kind: "JiraWebhook", name: "dojo-webhook", aliases: [], inputs: { name: "dojo-webhook", spec: { instance: "corp-jira", settings: "jira-settings", defectDojoUrl: "https://dojo.corp.example" }, jira: { url: jiraUrl, username: "admin", password: { fromConfig: "corpJiraToken" } }, webhookSecret: { fromConfig: "webhookSecret" } } },
    ]);
    expect(result.ok).toBe(false);
    expect(result.error).toContain("redirect (307)");
    expect(result.error).not.toContain("canary-webhook-secret-2b7");
    expect(received).toEqual([]);
  });

  it("the emulator's request log keeps no webhook secret", async () => {
    await fetch(`${dojo.url}/jira/webhook/canary-webhook-secret-77a`, { method: "POST", body: "{}" });
    expect(JSON.stringify(dojo.log)).not.toContain("canary-webhook-secret-77a");
    expect(dojo.log.at(-1)!.path).toBe("/jira/webhook/[secret]");
  });
});
