import { locate } from "../../model.js";
import { closest } from "../../rules/util/did-you-mean.js";
import { DEFAULT_ISSUE_TYPE, onlineRule } from "../model.js";

export const onlineIssueType = onlineRule({
  id: "online-issue-type",
  severity: "error",
  docs: {
    summary: "(online) The instance's default issue type, and the site's extra issue types, must exist in each linked project.",
    details:
      "DefectDojo creates issues with the instance's `defaultIssueType` (Bug when unset) in the link's project; a type that project's issue type scheme lacks makes Jira refuse the issue. The site's DD_JIRA_EXTRA_ISSUE_TYPES (site.extraIssueTypes in .dojo-jira.yaml) can be picked per finding group, so they are checked too, on the link's projectKey.",
    bad: "defaultIssueType: Security   # the PAY project has Bug, Task and Story only",
    good: "defaultIssueType: Bug",
  },
  checkOnline(context) {
    for (const facts of context.facts) {
      const { document, config } = facts.instance;
      for (const link of facts.links) {
        const key = link.config.spec.projectKey;
        const project = facts.projects.get(key);
        if (!project?.ok || !project.value) continue;
        const types = project.value.issueTypes;
        const wanted = config.spec.defaultIssueType ?? DEFAULT_ISSUE_TYPE;
        const hint = (name: string) => {
          const near = closest(name, types);
          return near ? ` (did you mean "${near}"?)` : `; it has ${types.join(", ") || "none"}`;
        };
        if (!types.includes(wanted)) {
          const at = config.spec.defaultIssueType === undefined ? locate(link.document, ["spec", "projectKey"]) : locate(document, ["spec", "defaultIssueType"]);
          const where = config.spec.defaultIssueType === undefined ? link.document : document;
          context.report(where, at, `project ${key} (link ${link.config.metadata.name}) has no issue type "${wanted}"${config.spec.defaultIssueType === undefined ? `, DefectDojo's default when ${config.metadata.name} sets no defaultIssueType` : ""}${hint(wanted)}`);
        }
        for (const extra of context.site.extraIssueTypes) {
          if (types.includes(extra)) continue;
          context.report(link.document, locate(link.document, ["spec", "projectKey"]), `project ${key} has no issue type "${extra}", one of site.extraIssueTypes (DD_JIRA_EXTRA_ISSUE_TYPES)${hint(extra)}`);
        }
      }
    }
  },
});
