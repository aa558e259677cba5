import { locate } from "../model.js";
import { links, ofKind, type Rule } from "./rule.js";

export const epicNameField: Rule = {
  id: "epic-name-field",
  severity: "info",
  acrossDocuments: true,
  docs: {
    summary: "Engagement epics without an Epic Name field id.",
    details: "With `epicNameId: 0` DefectDojo does not fill Jira's \"Epic Name\" field. Company-managed Jira projects require it, so epic creation fails there; team-managed projects and newer Jira Cloud sites have no such field and are fine.",
    bad: "# instance: epicNameId: 0\n# link:\nenableEngagementEpicMapping: true",
    good: "# instance: epicNameId: 10011   # from dojo-jira discover",
  },
  check(context) {
    const noEpicField = new Set(ofKind(context.valid, "JiraInstance").filter((i) => i.config.spec.epicNameId === 0).map((i) => i.config.metadata.name));
    for (const { document, config } of links(context.valid)) {
      if (config.spec.enableEngagementEpicMapping !== true || !noEpicField.has(config.spec.instance)) continue;
      context.report(document, locate(document, ["spec", "enableEngagementEpicMapping"], "key"), `instance "${config.spec.instance}" has epicNameId 0: epics will have no Epic Name, which company-managed Jira projects require`);
    }
  },
};
