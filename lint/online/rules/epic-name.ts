import { locate } from "../../model.js";
import { onlineRule, type FieldFact } from "../model.js";

const isEpicName = (f: FieldFact) => f.name === "Epic Name" || f.clauseNames.includes("Epic Name");

export const onlineEpicName = onlineRule({
  id: "online-epic-name",
  severity: "error",
  docs: {
    summary: "(online) `epicNameId` must be the id of the site's Epic Name field.",
    details:
      "DefectDojo fills customfield_<epicNameId> when it pushes a finding group as an epic. Data Center and classic Cloud projects have an \"Epic Name\" custom field; newer Cloud sites and team-managed projects have none, and then epicNameId must be 0. --online reads the field list and checks the id names the Epic Name field.",
    bad: "epicNameId: 10014   # that is Epic Link",
    good: "epicNameId: 10011   # Epic Name; 0 when the site has none",
  },
  checkOnline(context) {
    for (const facts of context.facts) {
      if (!facts.fields?.ok) continue;
      const { document, config } = facts.instance;
      const id = config.spec.epicNameId;
      if (id === 0) continue;
      const epic = facts.fields.value.find(isEpicName);
      const suggestion = epic?.customId === undefined ? "this site has no Epic Name field: use epicNameId: 0" : `the Epic Name field is customfield_${epic.customId}: use epicNameId: ${epic.customId}`;
      const at = locate(document, ["spec", "epicNameId"]);
      const field = facts.fields.value.find((f) => f.customId === id);
      if (!field) context.report(document, at, `Jira at ${config.spec.url} has no custom field ${id}; ${suggestion}`);
      else if (!isEpicName(field)) context.report(document, at, `customfield_${id} is "${field.name}", not the Epic Name field; ${suggestion}`);
    }
  },
});
