import { locate } from "../model.js";
import { ofKind, type Rule } from "./rule.js";
import { closest } from "./util/did-you-mean.js";

/** DefectDojo's JIRA_ISSUE_TYPE_CHOICES_CONFIG default (reference §1.6); the API refuses anything else. */
export const DEFECTDOJO_ISSUE_TYPES = ["Task", "Story", "Epic", "Spike", "Bug", "Security"] as const;

export const issueType: Rule = {
  id: "issue-type",
  severity: "error",
  docs: {
    summary: "`defaultIssueType` must be one DefectDojo accepts.",
    details: "DefectDojo accepts Task, Story, Epic, Spike, Bug and Security, plus the types of its DD_JIRA_EXTRA_ISSUE_TYPES setting; anything else is refused with \"is not a valid choice\". Declare a site's extra types under site.extraIssueTypes in .dojo-jira.yaml.",
    bad: "defaultIssueType: Vulnerability   # not in DD_JIRA_EXTRA_ISSUE_TYPES",
    good: "defaultIssueType: Security",
  },
  check(context) {
    const allowed = [...DEFECTDOJO_ISSUE_TYPES, ...context.site.extraIssueTypes];
    for (const { document, config } of ofKind(context.valid, "JiraInstance")) {
      const type = config.spec.defaultIssueType;
      if (type === undefined || allowed.includes(type)) continue;
      const hint = closest(type, allowed);
      context.report(
        document,
        locate(document, ["spec", "defaultIssueType"]),
        `DefectDojo does not accept issue type "${type}"${hint ? ` (did you mean "${hint}"?)` : ""}; allowed: ${allowed.join(", ")}. Site-specific types go in .dojo-jira.yaml site.extraIssueTypes`,
      );
    }
  },
};
