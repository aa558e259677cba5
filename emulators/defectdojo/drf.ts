import type { EmulatorResponse } from "../http.js";
import type { Database, FieldSpec, Row } from "./models.js";

/** DefectDojo adds this to 400 and 500 bodies (reference §2.1.1). */
export const PRO = ["Pro comes with support. Try today for free or email us at hello@defectdojo.com"];

export interface FieldError {
  message: string;
  /** DRF's error code, shown in the Python repr DefectDojo puts into `message`. */
  code: string;
}

export type FieldErrors = Record<string, FieldError[]>;

/** A 400 exactly as DefectDojo's exception handler shapes it: DRF errors + `message` (a Python repr) + `pro`. */
export function validationError(errors: FieldErrors): EmulatorResponse {
  const body: Record<string, unknown> = {};
  for (const [field, list] of Object.entries(errors)) body[field] = list.map((e) => e.message);
  const repr = Object.entries(errors)
    .map(([field, list]) => `'${field}': [${list.map((e) => `ErrorDetail(string=${pyString(e.message)}, code='${e.code}')`).join(", ")}]`)
    .join(", ");
  return { status: 400, json: { ...body, message: `{${repr}}`, pro: PRO } };
}

function pyString(text: string): string {
  return text.includes("'") && !text.includes('"') ? `"${text}"` : `'${text.replace(/'/g, "\\'")}'`;
}

const URL_PATTERN = /^(https?|ftps?):\/\/(?:[^\s:@/]+(?::[^\s@/]*)?@)?(?:[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?(?:\.[a-z0-9\u00a1-\uffff-]{1,63})*\.?|localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])(?::\d{1,5})?(?:[/?#][^\s]*)?$/i;
const INT32 = { min: -2147483648, max: 2147483647 };

/** Validates one incoming field value the way DRF's field classes do; returns the stored value. */
export function validateField(spec: FieldSpec, value: unknown, db: Database, extraChoices: readonly string[] = []): { value: unknown } | { error: FieldError } {
  if (value === null) return spec.nullable ? { value: null } : { error: { message: "This field may not be null.", code: "null" } };
  switch (spec.type) {
    case "string":
    case "url":
    case "choice": {
      if (typeof value === "object" || typeof value === "boolean") return { error: { message: "Not a valid string.", code: "invalid" } };
      const text = String(value);
      if (text === "" || (spec.type !== "choice" && text.trim() === "" && !spec.blank)) {
        if (spec.blank) return { value: "" };
        return { error: { message: "This field may not be blank.", code: "blank" } };
      }
      if (spec.maxLength !== undefined && text.length > spec.maxLength) {
        return { error: { message: `Ensure this field has no more than ${spec.maxLength} characters.`, code: "max_length" } };
      }
      if (spec.type === "url" && !URL_PATTERN.test(text)) return { error: { message: "Enter a valid URL.", code: "invalid" } };
      if (spec.type === "choice" && ![...(spec.choices ?? []), ...extraChoices].includes(text)) {
        return { error: { message: `"${text}" is not a valid choice.`, code: "invalid_choice" } };
      }
      return { value: text };
    }
    case "int": {
      const number = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof number !== "number" || !Number.isInteger(number)) return { error: { message: "A valid integer is required.", code: "invalid" } };
      if (number > INT32.max) return { error: { message: `Ensure this value is less than or equal to ${INT32.max}.`, code: "max_value" } };
      if (number < INT32.min) return { error: { message: `Ensure this value is greater than or equal to ${INT32.min}.`, code: "min_value" } };
      return { value: number };
    }
    case "bool": {
      if ([true, "true", "True", "1", 1, "on", "yes"].includes(value as never)) return { value: true };
      if ([false, "false", "False", "0", 0, "off", "no"].includes(value as never)) return { value: false };
      return { error: { message: "Must be a valid boolean.", code: "invalid" } };
    }
    case "json": {
      if (typeof value !== "string") return { value };
      try {
        return { value: JSON.parse(value) };
      } catch (error) {
        return { error: { message: `Invalid JSON: ${(error as Error).message}`, code: "invalid" } };
      }
    }
    case "fk": {
      if (typeof value !== "number" && !(typeof value === "string" && /^\d+$/.test(value))) {
        return { error: { message: `Incorrect type. Expected pk value, received ${typeof value === "string" ? "str" : typeof value}.`, code: "incorrect_type" } };
      }
      const id = Number(value);
      if (!db[spec.fk!].has(id)) return { error: { message: `Invalid pk "${id}" - object does not exist.`, code: "does_not_exist" } };
      return { value: id };
    }
    case "date":
      if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
        return { error: { message: "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.", code: "invalid" } };
      }
      return { value };
    case "datetime":
      if (typeof value !== "string" || Number.isNaN(Date.parse(value))) {
        return { error: { message: "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].", code: "invalid" } };
      }
      return { value: new Date(value).toISOString() };
  }
}

/**
 * Runs a serializer over a request body. POST fills defaults; PUT requires the required fields
 * but keeps stored values for omitted optional ones; PATCH takes any subset (reference §2.2).
 */
export function deserialize(
  fields: Record<string, FieldSpec>,
  body: Record<string, unknown>,
  mode: "create" | "update" | "partial",
  db: Database,
  extraChoices: Record<string, readonly string[]> = {},
): { values: Record<string, unknown> } | { errors: FieldErrors } {
  const values: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const [name, spec] of Object.entries(fields)) {
    if (spec.readOnly) continue;
    if (!(name in body)) {
      if (mode !== "partial" && spec.required) errors[name] = [{ message: "This field is required.", code: "required" }];
      else if (mode === "create" && "default" in spec) values[name] = spec.default;
      continue;
    }
    const result = validateField(spec, body[name], db, extraChoices[name]);
    if ("error" in result) errors[name] = [result.error];
    else values[name] = result.value;
  }
  return Object.keys(errors).length > 0 ? { errors } : { values };
}

/** A row as the API returns it: write-only fields never leave the server. */
export function serialize(row: Row, fields: Record<string, FieldSpec>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: row.id };
  for (const [name, spec] of Object.entries(fields)) if (!spec.writeOnly) out[name] = row[name] ?? null;
  return out;
}
