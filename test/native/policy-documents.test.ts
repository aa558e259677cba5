import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { kindOf, lintResources, toDocument } from "../../policy/resource-documents.js";

// The policy pack's pure part: a program's resources (as @pulumi/policy hands them over) back to
// config documents, linted by the linter's rules.
const spec = { url: "https://corp.atlassian.net", username: "svc@corp.example", password: { fromConfig: "corpJiraToken" }, epicNameId: 10011, transitions: { reopen: 11, close: 31 } };

describe("the policy pack's documents", () => {
  it("knows the plugin's and the dynamic provider's types, and nothing else", () => {
    expect(kindOf("defectdojo-jira:index:JiraInstance")).toBe("JiraInstance");
    expect(kindOf("pulumi-nodejs:dynamic/defectdojo-jira:ProductJiraLink")).toBe("ProductJiraLink");
    expect(kindOf("defectdojo-jira:index:Nope")).toBeUndefined();
    expect(kindOf("aws:s3/bucket:Bucket")).toBeUndefined();
  });

  it("a clean instance has no finding, through either provider", () => {
    expect(lintResources([{ type: "defectdojo-jira:index:JiraInstance", name: "corp", props: { spec } }], "document")).toEqual([]);
    expect(lintResources([{ type: "pulumi-nodejs:dynamic/defectdojo-jira:JiraInstance", name: "corp", props: { name: "corp", spec } }], "document")).toEqual([]);
  });

  it("per-document rules name the rule; waivedRules drops it, as a suppression comment would", () => {
    const planted = { ...spec, url: "http://jira.corp.example", transitions: { reopen: 31, close: 31 } };
    const findings = lintResources([{ type: "defectdojo-jira:index:JiraInstance", name: "corp", props: { spec: planted } }], "document");
    expect(findings.map((f) => f.ruleId).sort()).toEqual(["insecure-url", "transitions-distinct"]);
    expect(findings.find((f) => f.ruleId === "transitions-distinct")).toMatchObject({ resource: 0, severity: "error", message: expect.stringMatching(/reopen and close transitions are both 31/) });
    const waived = lintResources([{ type: "defectdojo-jira:index:JiraInstance", name: "corp", props: { spec: planted, waivedRules: ["transitions-distinct"] } }], "document");
    expect(waived.map((f) => f.ruleId)).toEqual(["insecure-url"]);
  });

  it("across resources: two links to one product; a native link's instance id needs no instance of that name", () => {
    const link = (name: string, projectKey: string) => ({ type: "defectdojo-jira:index:ProductJiraLink", name, props: { instanceId: 7, spec: { product: "Payments API", projectKey } } });
    expect(toDocument(link("payments", "PAY"))!.yaml).toContain("instance: instance-7");
    const resources = [{ type: "defectdojo-jira:index:JiraInstance", name: "corp", props: { spec } }, link("payments", "PAY"), link("payments2", "PAY2")];
    expect(lintResources(resources, "document")).toEqual([]);
    expect(lintResources(resources, "across").map((f) => [f.ruleId, f.resource])).toEqual([["duplicate-link-target", 2]]);
  });

  it("the pack's version (read by @pulumi/policy from policy/package.json) is the package's", async () => {
    const read = async (path: string) => (JSON.parse(await readFile(new URL(path, import.meta.url), "utf8")) as { version: string }).version;
    expect(await read("../../policy/package.json")).toBe(await read("../../package.json"));
  });
});
