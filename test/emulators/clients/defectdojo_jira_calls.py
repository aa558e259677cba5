"""Makes the Jira calls DefectDojo's Jira helper makes when it pushes a finding, with the `jira`
package DefectDojo pins (3.10.5): connect, read create-metadata the way the helper chooses it (old
`createmeta` for Cloud and servers before 9, the `createmeta/{project}/issuetypes` pair for Data
Center 9+), create an issue with the optional fields the metadata allows, read and update it, comment
on it, create an epic and add the issue to it, then close it with the configured transition.
Prints one JSON object of what Jira answered. Usage: python3 this.py URL USER PASSWORD PROJECT"""
import json
import sys

from jira import JIRA

url, user, password, project = sys.argv[1:5]
jira = JIRA(server=url, basic_auth=(user, password), options={"verify": False})
info = jira.server_info()
deployment = info.get("deploymentType")
version = tuple(info.get("versionNumbers", [0]))

def fields_for(issue_type):
    if deployment == "Cloud" or version < (9, 0, 0):
        meta = jira.createmeta(projectKeys=project, issuetypeNames=issue_type, expand="projects.issuetypes.fields")
        return set(meta["projects"][0]["issuetypes"][0]["fields"].keys())
    types = jira.project_issue_types(project)
    type_id = next(t.id for t in types if t.name == issue_type)
    return {f.fieldId for f in jira.project_issue_fields(project, type_id)}

available = fields_for("Bug")
fields = {"project": {"key": project}, "issuetype": {"name": "Bug"}, "summary": "SQL injection in /login", "description": "*Severity:* High"}
if "labels" in available:
    fields["labels"] = ["defectdojo", "payments_api"]
if "priority" in available:
    fields["priority"] = {"name": "High"}
fields["components"] = [{"name": "backend"}]
issue = jira.create_issue(fields=fields)
issue.update(fields={"summary": "SQL injection in /login (updated)", "labels": ["defectdojo", "payments_api", "CVE-2026-1"]})
jira.add_comment(issue, "(Ada Auditor): confirmed in staging")
epic_fields = {"project": {"key": project}, "issuetype": {"name": "Epic"}, "summary": "Q3 pentest"}
if "customfield_10011" in fields_for("Epic"):
    epic_fields["customfield_10011"] = "Q3 pentest"
epic = jira.create_issue(fields=epic_fields)
jira.add_issues_to_epic(epic.id, [issue.key])
jira.transition_issue(issue, "31")
final = jira.issue(issue.key)
print(json.dumps({
    "deployment": deployment,
    "key": final.key,
    "summary": final.fields.summary,
    "labels": final.fields.labels,
    "priority": final.fields.priority.name if final.fields.priority else None,
    "components": [c.name for c in final.fields.components],
    "status": final.fields.status.name,
    "comments": [c.body for c in jira.comments(final.key)],
    "epic": epic.key,
}))
