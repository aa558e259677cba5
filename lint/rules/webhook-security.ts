import { locate } from "../model.js";
import { ofKind, type Rule } from "./rule.js";

export const webhookSecurity: Rule = {
  id: "webhook-security",
  severity: "warning",
  docs: {
    summary: "Webhooks should check their secret and be scoped by JQL.",
    details: "With `disableWebhookSecret: true` DefectDojo accepts webhook calls from anyone who can reach it, and they can close or reopen findings. A JiraWebhook without `jql` sends DefectDojo an event for every issue of the Jira site (DefectDojo issue #7467); scope it to the linked projects.",
    bad: "enableWebhook: true\ndisableWebhookSecret: true\n---\nkind: JiraWebhook\nspec: { instance: corp-jira, settings: jira, defectDojoUrl: https://dojo.example }",
    good: "enableWebhook: true\nwebhookSecret: { fromConfig: jiraWebhookSecret }\n---\nkind: JiraWebhook\nspec: { ..., jql: \"project in (PAY, WEB)\" }",
  },
  check(context) {
    for (const { document, config } of ofKind(context.valid, "JiraSettings")) {
      if (config.spec.enableWebhook === true && config.spec.disableWebhookSecret === true) {
        context.report(document, locate(document, ["spec", "disableWebhookSecret"]), "the webhook is on and its secret check is off: anyone who can reach DefectDojo can post Jira events");
      }
    }
    for (const { document, config } of ofKind(context.valid, "JiraWebhook")) {
      if (config.spec.jql === undefined) context.report(document, locate(document, ["spec"], "key"), "no jql: Jira will send DefectDojo an event for every issue of the site; scope it, e.g. jql: \"project in (PAY, WEB)\"");
    }
  },
};
