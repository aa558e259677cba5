import { isPair, isScalar, visit } from "yaml";
import type { Rule } from "./rule.js";
import { secretKind } from "./util/secret-patterns.js";

export const secretLikeValue: Rule = {
  id: "secret-like-value",
  severity: "error",
  docs: {
    summary: "No field may hold something that looks like a credential.",
    details: "Tokens pasted into free-text fields (finding text, labels, custom fields, even a `fromEnv` name) end up in git and in Jira issues. The rule recognises private keys, Atlassian API tokens, JWTs, Authorization header values, URLs with a password, DefectDojo tokens and other high-entropy strings. The value is never printed.",
    bad: "spec:\n  findingText: ATATT3xFfGF0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
    good: "spec:\n  findingText: Raised by DefectDojo, ask #appsec",
  },
  check(context) {
    for (const document of context.documents) {
      if (!document.yaml.contents) continue;
      visit(document.yaml.contents, {
        Scalar(_key, node, ancestors) {
          if (typeof node.value !== "string" || !node.range) return;
          const parent = ancestors[ancestors.length - 1];
          if (isPair(parent) && parent.key === node) return; // keys are names, not values
          const path = ancestors.flatMap((a) => (isPair(a) && isScalar(a.key) ? [String(a.key.value)] : []));
          if (document.kind === "JiraInstance" && path.join(".") === "spec.password") return; // literal-secret reports it
          const kind = secretKind(node.value);
          if (!kind) return;
          const where = path.length > 0 ? path.join(".") : "a value";
          context.report(document, [node.range[0], node.range[1]], `${where} looks like ${kind}; move it to a secret reference and rotate it`, { sensitive: true });
        },
      });
    }
  },
};
