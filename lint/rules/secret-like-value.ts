import { locate, type DocPath } from "../model.js";
import { SECRET_FIELDS } from "./literal-secret.js";
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
      const literal = document.kind && SECRET_FIELDS[document.kind] ? `spec\u0000${SECRET_FIELDS[document.kind]}` : undefined; // literal-secret reports it
      // Iterative walk over the plain value: nesting depth is attacker-controlled.
      const stack: Array<{ value: unknown; path: DocPath }> = [{ value: document.value, path: [] }];
      while (stack.length > 0) {
        const { value, path } = stack.pop()!;
        if (typeof value === "string") {
          const kind = value.length >= 12 ? secretKind(value) : undefined;
          if (!kind || path.join("\u0000") === literal) continue;
          const where = path.length > 0 ? path.join(".") : "a value";
          context.report(document, locate(document, path), `${where} looks like ${kind}; move it to a secret reference and rotate it`);
        } else if (Array.isArray(value)) {
          value.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
        } else if (value && typeof value === "object") {
          for (const [key, item] of Object.entries(value)) stack.push({ value: item, path: [...path, key] });
        }
      }
    }
  },
};
