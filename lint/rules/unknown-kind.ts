import { locate } from "../model.js";
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
        const found = typeof result.apiVersion === "string" ? `"${result.apiVersion}"` : "missing";
        context.report(document, locate(document, ["apiVersion"]), `unknown apiVersion ${found}; expected "${API_VERSION}"`);
      } else if (result.status === "unknown-kind") {
        const kind = typeof result.kind === "string" ? result.kind : undefined;
        const hint = kind ? closest(kind, KINDS) : undefined;
        context.report(
          document,
          locate(document, ["kind"]),
          `${kind ? `unknown kind "${kind}"` : "missing kind"}; expected one of ${KINDS.join(", ")}${hint ? ` (did you mean "${hint}"?)` : ""}`,
        );
      }
    }
  },
};
