import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { SECRET_SIG, SIG_KEY, unwrapSecrets } from "../../provider/native/configure-rpc.js";
import { checkProviderConfig, nativeConfig, parseUrn } from "../../provider/native/provider.js";

describe("the provider plugin's configuration", () => {
  it("the SDK server still drops Configure's request (else configure-rpc.ts should go)", async () => {
    const server = await readFile(createRequire(import.meta.url).resolve("@pulumi/pulumi/provider/server.js"), "utf8");
    const configure = server.slice(server.indexOf("    configure(call, callback) {"), server.indexOf("    async parameterize("));
    expect(configure).not.toContain("getArgs");
    expect(configure).not.toContain("getVariables");
    expect(server).toContain('details: "Not yet implemented: CheckConfig"');
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
