import { containsUnknown } from "./unknown.js";

// Apart from validate.ts on purpose: every check needs these, while the linter behind validate.ts
// (yaml, ajv, the compiled schema) is loaded only for a document the program's lint did not pass.

export interface CheckFailure {
  property: string;
  reason: string;
}

/** The switches that decide whether something is taken over, erased or switched off. */
const SAFETY_OPTIONS = ["adopt", "allowDeleteWithJiraIssues", "disableJiraOnDelete"] as const;

/**
 * Those switches are booleans or absent. A program in a language without the generated types can
 * send the string "false", which is truthy: it must fail check, not erase mappings.
 */
export function optionFailures(inputs: object): CheckFailure[] {
  const values = inputs as Partial<Record<(typeof SAFETY_OPTIONS)[number], unknown>>;
  return SAFETY_OPTIONS.filter((option) => values[option] !== undefined && values[option] !== null && typeof values[option] !== "boolean" && !containsUnknown(values[option])).map((option) => ({
    property: option,
    reason: `must be true or false, not ${typeof values[option]}`,
  }));
}

