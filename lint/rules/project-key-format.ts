import { locate } from "../model.js";
import { links, type Rule } from "./rule.js";

/** Jira's default project key pattern: an uppercase letter, then uppercase letters, digits or `_`; 2–10 long. */
const JIRA_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;

export const projectKeyFormat: Rule = {
  id: "project-key-format",
  severity: "error",
  docs: {
    summary: "`projectKey` must look like a Jira project key (e.g. `PAY`).",
    details: "Jira keys start with an uppercase letter followed by uppercase letters, digits or underscores, 2 to 10 characters by default. DefectDojo does not check the key; a wrong one only fails when the first issue is pushed. Sites with a custom key pattern can lower this rule's severity in .dojo-jira.yaml.",
    bad: "projectKey: pay-api",
    good: "projectKey: PAY",
  },
  check(context) {
    for (const { document, config } of links(context.valid)) {
      const key = config.spec.projectKey;
      if (JIRA_KEY.test(key)) continue;
      const upper = key.toUpperCase();
      const hint = JIRA_KEY.test(upper) ? `; did you mean "${upper}"?` : "";
      context.report(document, locate(document, ["spec", "projectKey"]), `project key "${key}" is not a Jira project key (uppercase letter, then uppercase letters, digits or _, 2–10 characters)${hint}`);
    }
  },
};
