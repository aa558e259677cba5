import type { ErrorObject } from "ajv";
import { API_VERSION, KINDS, type ConfigDocument, type Kind } from "../schema/config-types.js";
import * as compiled from "../schema/generated/validators.js";
import { isRecord } from "./load/parse-file.js";

interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const validators = compiled as unknown as Record<`validate${Kind}`, CompiledValidator>;

/** The outcome of validating one document: either typed config or schema errors. */
export type SchemaCheck =
  | { status: "not-a-mapping" }
  | { status: "unknown-api-version"; apiVersion: unknown }
  | { status: "unknown-kind"; kind: unknown }
  | { status: "invalid"; kind: Kind; errors: ErrorObject[] }
  | { status: "valid"; config: ConfigDocument };

export function checkSchema(value: unknown): SchemaCheck {
  if (!isRecord(value)) return { status: "not-a-mapping" };
  if (value.apiVersion !== API_VERSION) return { status: "unknown-api-version", apiVersion: value.apiVersion };
  const kind = value.kind;
  if (typeof kind !== "string" || !(KINDS as readonly string[]).includes(kind)) return { status: "unknown-kind", kind };
  const validate = validators[`validate${kind as Kind}`];
  if (validate(value)) return { status: "valid", config: value as unknown as ConfigDocument };
  return { status: "invalid", kind: kind as Kind, errors: validate.errors ?? [] };
}
