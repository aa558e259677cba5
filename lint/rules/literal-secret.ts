import { locate } from "../model.js";
import type { Rule } from "./rule.js";
import { rawSpec } from "./util/raw.js";

/** The field of each kind that must be a secret reference. */
export const SECRET_FIELDS: Readonly<Record<string, string>> = { JiraInstance: "password", JiraSettings: "webhookSecret" };

export const literalSecret: Rule = {
  id: "literal-secret",
  severity: "error",
  docs: {
    summary: "Secrets are references (`fromConfig` / `fromEnv`), never literal values.",
    details: "A password or token written into a config file lives forever in git history and in every clone. Reference a Pulumi stack secret or an environment variable instead, and rotate any secret that was ever committed. The linter never prints the value.",
    bad: "spec:\n  password: hunter2",
    good: "spec:\n  password: { fromConfig: corpJiraToken }",
  },
  check(context) {
    for (const document of context.documents) {
      const field = document.kind ? SECRET_FIELDS[document.kind] : undefined;
      if (!field) continue;
      const value = rawSpec(document)?.[field];
      if (value === undefined || (typeof value === "object" && value !== null && !Array.isArray(value))) continue;
      context.report(
        document,
        locate(document, ["spec", field]),
        `spec.${field} is a literal secret: use { fromConfig: <stack secret key> } or { fromEnv: <ENV_VAR> }, and rotate the secret since it reached the file`,
      );
    }
  },
};
