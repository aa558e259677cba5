import { locate } from "../model.js";
import { ofKind, type Rule } from "./rule.js";

export const patNeedsPro: Rule = {
  id: "pat-needs-pro",
  severity: "warning",
  docs: {
    summary: "Open-source DefectDojo cannot sign in with a Data Center personal access token.",
    details: "Open-source DefectDojo always uses HTTP Basic auth (username + password/API token); Bearer PATs are a DefectDojo Pro feature (DefectDojo PRs #9730, #12884). With open source, use a service account's password instead.",
    bad: "authKind: dataCenterPat",
    good: "authKind: password",
  },
  check(context) {
    for (const { document, config } of ofKind(context.valid, "JiraInstance")) {
      if (config.spec.authKind !== "dataCenterPat") continue;
      context.report(document, locate(document, ["spec", "authKind"]), "a Data Center PAT works only with DefectDojo Pro; open source sends HTTP Basic and Jira will refuse the token");
    }
  },
};
