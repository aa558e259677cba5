import { isRecord } from "../load/parse-file.js";
import { locate, type LoadedDocument } from "../model.js";
import { API_VERSION, KINDS } from "../../schema/config-types.js";
import type { Rule } from "./rule.js";
import { closest } from "./util/did-you-mean.js";

export const unknownKind: Rule = {
  id: "unknown-kind",
  severity: "error",
  docs: {
    summary: `Every document needs \`apiVersion: ${API_VERSION}\` and a known \`kind\`.`,
    details: `Known kinds: ${KINDS.join(", ")}. The apiVersion is versioned so that a later format can change without silently misreading old files.`,
    bad: "apiVersion: defectdojo-jira/v2\nkind: JiraProject",
    good: `apiVersion: ${API_VERSION}\nkind: ProductJiraLink`,
  },
  check(context) {
    for (const [document, result] of context.schema) {
      if (result.status === "not-a-mapping") {
        context.report(document, locate(document, []), "document must be a mapping with apiVersion, kind, metadata and spec");
      } else if (result.status === "unknown-api-version") {
        const typo = misspeltKey(document, "apiVersion");
        if (typo) context.report(document, locate(document, [typo], "key"), `unknown field "${typo}"; did you mean "apiVersion"? (expected apiVersion: ${API_VERSION})`);
        else context.report(document, locate(document, ["apiVersion"]), `${describeFound("apiVersion", result.apiVersion)}; expected "${API_VERSION}"`);
      } else if (result.status === "unknown-kind") {
        const kind = typeof result.kind === "string" ? result.kind : undefined;
        const hint = kind ? closest(kind, KINDS) : undefined;
        const typo = result.kind === undefined ? misspeltKey(document, "kind") : undefined;
        context.report(
          document,
          typo ? locate(document, [typo], "key") : locate(document, ["kind"]),
          typo
            ? `unknown field "${typo}"; did you mean "kind"? (expected one of ${KINDS.join(", ")})`
            : `${describeFound("kind", result.kind)}; expected one of ${KINDS.join(", ")}${hint ? ` (did you mean "${hint}"?)` : ""}`,
        );
      }
    }
  },
};

function describeFound(field: string, value: unknown): string {
  if (value === undefined) return `missing ${field}`;
  return typeof value === "string" ? `unknown ${field} "${value}"` : `${field} must be a string`;
}

/** A top-level key that is a misspelling of `field` (`apiVerison:`, `knd:`), when `field` itself is missing. */
function misspeltKey(document: LoadedDocument, field: string): string | undefined {
  const value = document.value;
  if (!isRecord(value) || field in value) return undefined;
  return Object.keys(value).find((key) => closest(key, [field]) === field);
}
