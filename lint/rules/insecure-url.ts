import { locate } from "../model.js";
import { ofKind, type Rule } from "./rule.js";

export const insecureUrl: Rule = {
  id: "insecure-url",
  severity: "error",
  docs: {
    summary: "Jira and webhook URLs must use https.",
    details: "DefectDojo signs in to Jira with HTTP Basic auth on every call: over plain http the password or API token crosses the network readable by anyone on the path.",
    bad: "url: http://jira.corp.example",
    good: "url: https://jira.corp.example",
  },
  check(context) {
    for (const { document, config } of ofKind(context.valid, "JiraInstance")) {
      if (!/^http:\/\//i.test(config.spec.url)) continue;
      context.report(document, locate(document, ["spec", "url"]), "plain http: DefectDojo would send the Jira credentials unencrypted with every call; use https");
    }
    for (const { document, config } of ofKind(context.valid, "JiraWebhook")) {
      if (!/^http:\/\//i.test(config.spec.defectDojoUrl)) continue;
      context.report(document, locate(document, ["spec", "defectDojoUrl"]), "plain http: Jira would send the webhook secret (part of the URL) and issue data unencrypted; use https");
    }
  },
};
