import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { pulumiPackageSchema } from "../../schema/pulumi-package-schema.js";

const source = JSON.parse(await readFile(new URL("../../schema/defectdojo-jira.schema.json", import.meta.url), "utf8")) as Record<string, unknown>;
const schema = pulumiPackageSchema(source, "1.2.3");

describe("the Pulumi package schema, from the JSON Schema", () => {
  it("has the five resources, every type they reference, and the package version", () => {
    expect(schema.version).toBe("1.2.3");
    expect(Object.keys(schema.resources).sort()).toEqual(["EngagementJiraLink", "JiraInstance", "JiraSettings", "JiraWebhook", "ProductJiraLink"].map((k) => `defectdojo-jira:index:${k}`));
    const refs = JSON.stringify(schema).match(/#\/types\/[^"]+/g) ?? [];
    for (const ref of refs) expect(schema.types, ref).toHaveProperty([ref.slice("#/types/".length)]);
  });

  it("carries descriptions and DefectDojo defaults in text, never as Pulumi defaults (JiraSettings leaves omitted fields alone)", () => {
    const settings = schema.types["defectdojo-jira:index:JiraSettingsSpec"]!;
    expect(settings.properties.enableJira!.description).toMatch(/Master switch.*Default: `false`/);
    expect(JSON.stringify(schema)).not.toMatch(/"default":/);
  });

  it("marks the secret inputs secret: the API token and the values fromConfig references name", () => {
    expect(schema.config.variables.apiToken!.secret).toBe(true);
    expect(schema.provider.inputProperties.secrets!.secret).toBe(true);
    expect(schema.config.variables.url!.secret).toBeUndefined();
    // Resource inputs hold only references to secrets ({ fromConfig } / { fromEnv }), never a value.
    expect(Object.keys(schema.types["defectdojo-jira:index:SecretRef"]!.properties).sort()).toEqual(["fromConfig", "fromEnv"]);
  });

  it("a link takes its instance as an id, not the document's name", () => {
    const link = schema.resources["defectdojo-jira:index:ProductJiraLink"]!;
    expect(link.requiredInputs).toEqual(["spec", "instanceId"]);
    expect(schema.types["defectdojo-jira:index:ProductJiraLinkSpec"]!.properties).not.toHaveProperty("instance");
    expect(schema.types["defectdojo-jira:index:ProductJiraLinkSpec"]!.required).toContain("product");
  });
});
