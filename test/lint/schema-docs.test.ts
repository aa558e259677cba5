import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/run-cli.js";

describe("the schema is the user documentation", () => {
  it("every field has a description (or refers to a documented definition) and examples", async () => {
    const schema = JSON.parse(await readFile(`${ROOT}schema/defectdojo-jira.schema.json`, "utf8")) as unknown;
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== "object") return;
      const properties = (node as { properties?: Record<string, Record<string, unknown>> }).properties ?? {};
      for (const [name, field] of Object.entries(properties)) {
        if (name === "apiVersion" || name === "kind") continue;
        if (!("description" in field) && !("$ref" in field)) missing.push(`${path}.${name}: description`);
        if (!("examples" in field)) missing.push(`${path}.${name}: examples`);
      }
      for (const [key, child] of Object.entries(node)) walk(child, `${path}/${key}`);
    };
    walk(schema, "#");
    expect(missing).toEqual([]);
  });
});
