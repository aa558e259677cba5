import type { ErrorObject } from "ajv";
import { locate, type DocPath } from "../model.js";
import type { Rule } from "./rule.js";
import { closest } from "./util/did-you-mean.js";
import { oneMessagePerMistake, type SchemaMessage } from "./util/schema-mistakes.js";
import { allowedProperties } from "./util/schema-shape.js";

export const schema: Rule = {
  id: "schema",
  severity: "error",
  docs: {
    summary: "Documents must match the published JSON Schema (schema/defectdojo-jira.schema.json).",
    details: "Reports unknown fields (with a did-you-mean), wrong types, missing required fields and out-of-range values, each at the offending key or value. The same schema drives editor completion through yaml-language-server.",
    bad: "kind: ProductJiraLink\nspec:\n  product: Payments API\n  instance: corp-jira\n  projctKey: PAY",
    good: "kind: ProductJiraLink\nspec:\n  product: Payments API\n  instance: corp-jira\n  projectKey: PAY",
  },
  check(context) {
    for (const [document, result] of context.schema) {
      if (result.status !== "invalid") continue;
      const described = meaningfulErrors(result.errors).map((error) => describe(error, pointerToPath(error.instancePath), result.kind));
      const said = new Set<string>(); // two branches of the schema can fail the same way
      for (const { at, part, message } of oneMessagePerMistake(described, result.kind, document.value)) {
        const range = locate(document, at, part);
        if (said.has(`${range.join()}\u0000${message}`)) continue;
        said.add(`${range.join()}\u0000${message}`);
        context.report(document, range, message);
      }
    }
  },
};

/** Hints for fields whose schema offers alternatives (`oneOf`), keyed by field name (unique in the schema). */
const ONE_OF_HINTS: Record<string, string> = {
  password: "must be a secret reference: { fromConfig: <stack config key> } or { fromEnv: <ENV_VAR> }",
  product: "must be a product name or { id: <product id> }",
  component: "must be a component name or a list of component names (without commas)",
  engagement: "must be { product: <product name>, name: <engagement name> } or { id: <engagement id> }",
};

const PATTERN_HINTS: Record<string, string> = {
  "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$": "must be lowercase letters, digits and dashes, starting and ending with a letter or digit",
  "^https?://": "must start with https:// (or http://)",
  "^[^,]+$": "may not contain a comma (DefectDojo stores the list comma-separated)",
  "^\\S+$": "may not contain spaces (DefectDojo stores labels space-separated)",
};

/** Drops the noise of failed `oneOf` branches: one message per alternative group. */
function meaningfulErrors(errors: ErrorObject[]): ErrorObject[] {
  const oneOfPaths = errors.filter((e) => e.keyword === "oneOf").map((e) => e.instancePath);
  return errors.filter((e) => {
    if (e.keyword === "oneOf") return true;
    if (e.keyword === "if" || e.keyword === "anyOf") return false;
    return !oneOfPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`));
  });
}

function describe(error: ErrorObject, path: DocPath, kind: string): SchemaMessage {
  const where = path.length > 0 ? `"${path.join(".")}"` : "document";
  const params = error.params as Record<string, unknown>;
  const at = (message: string, part: "key" | "value" = "value", target: DocPath = path) => ({ error, path, at: target, part, message });
  switch (error.keyword) {
    case "required":
      return at(`${where} is missing required field "${String(params.missingProperty)}"`, "key");
    case "additionalProperties":
    case "unevaluatedProperties": {
      const field = String(params.additionalProperty ?? params.unevaluatedProperty);
      const hint = closest(field, allowedProperties(kind, path));
      return { ...at(`unknown field "${field}" in ${where}${hint ? `; did you mean "${hint}"?` : ""}`, "key", [...path, field]), ...(hint ? { suggests: hint } : {}) };
    }
    case "type":
      return at(`${where} must be ${article(String(params.type))}`);
    case "oneOf":
      return at(`${where} ${ONE_OF_HINTS[String(path[path.length - 1])] ?? "does not match any allowed form"}`);
    case "pattern":
      return at(`${where} ${PATTERN_HINTS[String(params.pattern)] ?? `must match ${String(params.pattern)}`}`);
    case "format":
      return at(`${where} must be a valid ${params.format === "uri" ? "absolute URL" : String(params.format)}`);
    case "enum":
      return at(`${where} must be one of: ${(params.allowedValues as unknown[]).join(", ")}`);
    case "const":
      return at(`${where} must be "${String(params.allowedValue)}"`);
    default:
      return at(`${where} ${error.message ?? "is invalid"}`);
  }
}

function article(type: string): string {
  if (type === "object") return "a mapping";
  if (type === "array") return "a list";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function pointerToPath(pointer: string): DocPath {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
