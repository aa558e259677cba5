import { locate } from "../../model.js";
import { onlineRule } from "../model.js";

export const onlineProject = onlineRule({
  id: "online-project",
  severity: "error",
  docs: {
    summary: "(online) Each link's `projectKey` must be a Jira project the instance's user can see.",
    details:
      "DefectDojo creates issues in the link's project. A key Jira does not know, or a project the service account cannot browse, makes every push fail with an error only visible in DefectDojo's logs. Jira answers both the same way (404), so check the key and the account's project permissions.",
    bad: "projectKey: PAYMENT   # the project is PAY",
    good: "projectKey: PAY",
  },
  checkOnline(context) {
    for (const facts of context.facts) {
      for (const link of facts.links) {
        const key = link.config.spec.projectKey;
        const project = facts.projects.get(key);
        if (!project?.ok || project.value !== null) continue;
        context.report(link.document, locate(link.document, ["spec", "projectKey"]), `Jira at ${facts.instance.config.spec.url} has no project ${key} that ${facts.instance.config.spec.username} can see`);
      }
    }
  },
});
