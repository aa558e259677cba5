import { locate } from "../model.js";
import { links, type Rule } from "./rule.js";

const PUSH_FLAGS = ["pushAllIssues", "pushNotes", "enableEngagementEpicMapping", "productJiraSlaNotification", "riskAcceptanceExpirationNotification"] as const;

export const noEffectSettings: Rule = {
  id: "no-effect-settings",
  severity: "warning",
  docs: {
    summary: "Settings that cannot take effect together.",
    details: "A disabled link (`enabled: false`) pushes nothing, so push, note, epic and notification flags on it do nothing; and `epicIssueTypeName` only matters when `enableEngagementEpicMapping` is on. Such leftovers mislead reviewers about what DefectDojo does.",
    bad: "enabled: false\npushAllIssues: true",
    good: "enabled: false",
  },
  check(context) {
    for (const { document, config } of links(context.valid)) {
      const spec = config.spec;
      if (spec.enabled === false) {
        for (const flag of PUSH_FLAGS) {
          if (spec[flag] === true) context.report(document, locate(document, ["spec", flag], "key"), `${flag} has no effect while the link is disabled (enabled: false)`);
        }
      }
      if (spec.epicIssueTypeName !== undefined && spec.enableEngagementEpicMapping !== true) {
        context.report(document, locate(document, ["spec", "epicIssueTypeName"], "key"), "epicIssueTypeName has no effect unless enableEngagementEpicMapping is true");
      }
    }
  },
};
