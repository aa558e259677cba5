import { locate } from "../../model.js";
import { onlineRule } from "../model.js";

export const onlineUnchecked = onlineRule({
  id: "online-unchecked",
  severity: "info",
  docs: {
    summary: "(online) Says what --online could not check, and why.",
    details:
      "--online reads the instance's password the way the provider does: `fromEnv` from the environment. A `fromConfig` reference is a Pulumi stack secret, which only Pulumi can decrypt: set DOJO_JIRA_SECRET_<KEY> (the config key in upper snake case, e.g. corpJiraToken -> DOJO_JIRA_SECRET_CORP_JIRA_TOKEN) to check that instance. A Jira that does not answer one of the calls a check needs (an older server, a missing permission) leaves that check out and says so here. Raise it to error in .dojo-jira.yaml (`online-unchecked: error`) when a CI job must check everything.",
    bad: "password: { fromConfig: corpJiraToken }   # and DOJO_JIRA_SECRET_CORP_JIRA_TOKEN not set",
    good: "DOJO_JIRA_SECRET_CORP_JIRA_TOKEN=… dojo-jira lint --online config/",
  },
  checkOnline(context) {
    for (const facts of context.facts) {
      const { document, config } = facts.instance;
      const name = config.metadata.name;
      if (facts.unchecked) {
        context.report(document, locate(document, ["spec", "password"]), `cannot check ${name} online: ${facts.unchecked}`);
        continue;
      }
      if (facts.priorities?.ok === false) context.report(document, locate(document, ["spec", "severityMapping"], "key"), `cannot check the priorities of ${name} online: ${facts.priorities.reason}`);
      if (facts.fields?.ok === false) context.report(document, locate(document, ["spec", "epicNameId"]), `cannot check the Epic Name field of ${name} online: ${facts.fields.reason}`);
      for (const [key, project] of facts.projects) {
        const users = facts.links.filter((l) => l.config.spec.projectKey === key);
        if (!project.ok) {
          for (const link of users) context.report(link.document, locate(link.document, ["spec", "projectKey"]), `cannot check project ${key} online: ${project.reason}`);
        } else if (project.value && !project.value.transitions.ok) {
          context.report(document, locate(document, ["spec", "transitions"], "key"), `cannot check the transitions of project ${key} online: ${project.value.transitions.reason}`);
        }
      }
    }
  },
});
