import { locate } from "../../model.js";
import { onlineRule } from "../model.js";

export const onlineAuthKind = onlineRule({
  id: "online-auth-kind",
  severity: "error",
  docs: {
    summary: "(online) `authKind` must fit the Jira deployment: API tokens on Cloud, PATs or passwords on Data Center.",
    details:
      "Jira Cloud takes an API token with the account e-mail as username, and no longer takes passwords or Data Center personal access tokens for its REST API. Jira Data Center and Server take a PAT (sent as Bearer, which needs DefectDojo Pro) or a password; Cloud API tokens do not exist there. --online asks the site which deployment it is (serverInfo).",
    bad: "url: https://jira.corp.example   # Data Center\nauthKind: cloudApiToken",
    good: "url: https://jira.corp.example   # Data Center\nauthKind: dataCenterPat",
  },
  checkOnline(context) {
    for (const facts of context.facts) {
      const kind = facts.instance.config.spec.authKind;
      if (!facts.deployment || kind === undefined) continue;
      const { document, config } = facts.instance;
      const at = locate(document, ["spec", "authKind"]);
      const { cloud, label } = facts.deployment;
      if (cloud && kind === "dataCenterPat") context.report(document, at, `${config.spec.url} is ${label}, which takes no Data Center personal access token: use an API token (authKind: cloudApiToken) with the account e-mail as username`);
      else if (cloud && kind === "password") context.report(document, at, `${config.spec.url} is ${label}, which refuses passwords on its REST API: use an API token (authKind: cloudApiToken) with the account e-mail as username`);
      else if (cloud && !config.spec.username.includes("@")) context.report(document, locate(document, ["spec", "username"]), `${config.spec.url} is ${label}: an API token signs in with the account e-mail as username, not "${config.spec.username}"`);
      else if (!cloud && kind === "cloudApiToken") context.report(document, at, `${config.spec.url} is ${label}, where Cloud API tokens do not exist: use a personal access token (authKind: dataCenterPat) or a password (authKind: password)`);
    }
  },
});
