import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/run-cli.js";

// What `npm run build:sdks` leaves in dist/sdk (pulumi package gen-sdk through our language hosts):
// SDKs of the package the plugin serves, at its version, one class per resource.
const schema = JSON.parse(await readFile(join(ROOT, "dist/provider/native/schema.json"), "utf8")) as { version: string; resources: Record<string, unknown> };
const version = (JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const kinds = Object.keys(schema.resources).map((token) => token.split(":")[2]!);

describe("the generated SDKs (dist/sdk)", () => {
  it("Node.js: compiled, loads beside @pulumi/pulumi, one class per resource type with its token, the plugin's version", async () => {
    const sdk = createRequire(join(ROOT, "package.json"))(join(ROOT, "dist/sdk/nodejs/bin/index.js")) as Record<string, { __pulumiType?: string }>;
    for (const kind of kinds) expect(sdk[kind]?.__pulumiType, kind).toBe(`defectdojo-jira:index:${kind}`);
    expect(sdk.Provider?.__pulumiType).toBe("defectdojo-jira");
    const manifest = JSON.parse(await readFile(join(ROOT, "dist/sdk/nodejs/bin/package.json"), "utf8")) as { pulumi: { name: string; version: string } };
    expect(manifest.pulumi).toEqual({ resource: true, name: "defectdojo-jira", version });
    expect(schema.version).toBe(version);
  });

  it("Python: one module per resource and the plugin manifest at the plugin's version", async () => {
    const dir = join(ROOT, "dist/sdk/python/pulumi_defectdojo_jira");
    const files = await readdir(dir);
    for (const module of ["jira_instance.py", "product_jira_link.py", "engagement_jira_link.py", "jira_settings.py", "jira_webhook.py", "provider.py"]) expect(files).toContain(module);
    expect(JSON.parse(await readFile(join(dir, "pulumi-plugin.json"), "utf8"))).toEqual({ resource: true, name: "defectdojo-jira", version });
  });
});
