import { locate } from "../../model.js";
import { onlineRule } from "../model.js";

export const onlineCredentials = onlineRule({
  id: "online-credentials",
  severity: "error",
  docs: {
    summary: "(online) Jira must answer, and accept the instance's credentials.",
    details:
      "DefectDojo signs in to Jira with the instance's username and password (a Cloud API token, a Data Center PAT or a password). If Jira is unreachable from here, or refuses them, every push fails. One result per instance: the other online checks of that instance wait until it answers. No secret is printed: the message names where the password comes from.",
    bad: "username: svc-defectdojo@corp.example\npassword: { fromEnv: JIRA_TOKEN }   # an expired or revoked token",
    good: "username: svc-defectdojo@corp.example\npassword: { fromEnv: JIRA_TOKEN }   # a token Jira accepts for that account",
  },
  checkOnline(context) {
    for (const facts of context.facts) {
      if (!facts.failed) continue;
      const { document } = facts.instance;
      context.report(document, locate(document, ["spec", facts.failed.at]), facts.failed.reason);
    }
  },
});
