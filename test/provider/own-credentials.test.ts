import { describe, expect, it } from "vitest";
import { Settings } from "../../provider/credentials.js";
import { UNKNOWN } from "../../provider/unknown.js";
import { SECRET_SIG, SIG_KEY } from "../../provider/native/secret-markers.js";
import { checkProviderConfig, inNativeTerms, nativeConfig } from "../../provider/native/provider.js";

const TOKEN = "0123456789abcdef0123456789abcdef01234567";

describe("a secret reference cannot name the tool's own credentials", () => {
  const settings = new Settings();
  settings.configure({ get: (key) => ({ "defectdojo:url": "https://dojo.corp.example", "defectdojo:apiToken": TOKEN, "defectdojo-jira:corpJiraToken": "jira-token-1" })[key] });

  it.each([{ fromConfig: "defectdojo:apiToken" }, { fromConfig: "defectdojo-jira:apiToken" }, { fromConfig: "apiToken" }, { fromEnv: "DEFECTDOJO_API_TOKEN" }, { fromEnv: "PULUMI_ACCESS_TOKEN" }, { fromEnv: "PULUMI_CONFIG_PASSPHRASE" }])("%j is refused, naming the key and never the value", (ref) => {
    process.env.DEFECTDOJO_API_TOKEN = TOKEN;
    process.env.PULUMI_ACCESS_TOKEN = TOKEN;
    try {
      expect(() => settings.resolve(ref, "JiraInstance corp: spec.password")).toThrow(/holds the credentials of DefectDojo or Pulumi themselves/);
      expect(() => settings.resolve(ref, "x")).not.toThrow(new RegExp(TOKEN));
    } finally {
      delete process.env.DEFECTDOJO_API_TOKEN;
      delete process.env.PULUMI_ACCESS_TOKEN;
    }
  });

  it("an ordinary reference still resolves", () => {
    expect(settings.resolve({ fromConfig: "defectdojo-jira:corpJiraToken" }, "x").reveal()).toBe("jira-token-1");
  });
});

describe("the plugin's provider config", () => {
  it("secrets set without --path fail with how to set them, and without any part of the value", () => {
    const value = "ATATT3xFfGF0-LONGSECRET-a1b2c3d4e5f6";
    for (const secrets of [value, `{"a": ${value}}`]) {
      let message = "";
      try {
        nativeConfig({ secrets }).get("a");
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/--path 'defectdojo-jira:secrets.<name>'/);
      expect(message).not.toMatch(/ATATT|LONGSECRET/);
    }
  });

  it("an unknown key whose name says secret is kept secret; a computed url passes until known", () => {
    const { inputs, failures } = checkProviderConfig({ apitoken: "typo-token-value", url: UNKNOWN });
    expect(failures).toEqual([]);
    expect(inputs.apitoken).toEqual({ [SIG_KEY]: SECRET_SIG, value: "typo-token-value" });
  });
});

describe("the plugin's messages name the plugin's own keys and switches", () => {
  it.each([
    ["JiraInstance corp: spec.password: stack config corpJiraToken is not set (pulumi config set --secret corpJiraToken <value>)", "pulumi config set --secret --path 'defectdojo-jira:secrets.corpJiraToken' <value>"],
    ["DefectDojo connection not configured: set defectdojo:url and defectdojo:apiToken", "set defectdojo-jira:url and defectdojo-jira:apiToken"],
    ["To delete anyway, first apply options.allowDeleteWithJiraIssues: true on this link", "first apply allowDeleteWithJiraIssues: true"],
  ])("%s", (shared, native) => {
    expect((inNativeTerms(new Error(shared)) as Error).message).toContain(native);
  });
});
