import { locate } from "../model.js";
import type { Rule } from "./rule.js";
import { rawSpec } from "./util/raw.js";

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
      if (document.kind !== "JiraInstance") continue;
      const password = rawSpec(document)?.password;
      if (password === undefined || (typeof password === "object" && password !== null && !Array.isArray(password))) continue;
      context.report(
        document,
        locate(document, ["spec", "password"]),
        'spec.password is a literal secret: use { fromConfig: <stack secret key> } or { fromEnv: <ENV_VAR> }, and rotate the secret since it reached the file',
        { sensitive: true },
      );
    }
  },
};
