import { locate } from "../model.js";
import { ofKind, type Rule } from "./rule.js";

export const urlTrailingSlash: Rule = {
  id: "url-trailing-slash",
  severity: "warning",
  docs: {
    summary: "A Jira URL should not end with `/`.",
    details: "The API stores the URL verbatim and DefectDojo builds issue links as url + \"/browse/\" + key, so a trailing slash yields `//browse/` links; DefectDojo's own UI strips it.",
    bad: "url: https://corp.atlassian.net/",
    good: "url: https://corp.atlassian.net",
  },
  check(context) {
    for (const { document, config } of ofKind(context.valid, "JiraInstance")) {
      if (!config.spec.url.endsWith("/")) continue;
      context.report(document, locate(document, ["spec", "url"]), `URL ends with "/": issue links would read ${config.spec.url}/browse/KEY; drop the trailing slash`);
    }
  },
};
