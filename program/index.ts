import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { FORMATTERS } from "../lint/formatters/index.js";
import { lintPaths } from "../lint/lint-paths.js";
import { RULES } from "../lint/rules/index.js";
import { ofKind } from "../lint/rules/rule.js";
import { VERSION } from "../cli/version.js";
import { EngagementJiraLink, JiraInstance, ProductJiraLink } from "../provider/pulumi/resources.js";

// The root Pulumi program: a config directory in, resources out. The linter runs first and its
// errors stop the run with the same positioned messages a pull request shows.
const config = new pulumi.Config("defectdojo-jira");
const root = process.env.PULUMI_NODEJS_ROOT_DIRECTORY ?? process.cwd();
const configDir = config.get("configDir") ?? "examples/basic";

const report = await lintPaths([configDir], { cwd: root });
const errors = report.results.filter((r) => r.severity === "error");
if (errors.length > 0) {
  const text = FORMATTERS.stylish!({
    results: errors,
    sources: new Map(report.files.map((f) => [f.file, { text: f.source, sensitive: f.sensitive, position: f.position }])),
    rules: RULES,
    counts: { files: report.files.length, documents: 0 },
    toolVersion: VERSION,
  });
  throw new pulumi.RunError(`${configDir} has lint errors; nothing was changed:\n\n${text}`);
}

const instances = new Map<string, JiraInstance>();
for (const { config: doc } of ofKind(report.valid, "JiraInstance")) {
  instances.set(doc.metadata.name, new JiraInstance(doc.metadata.name, { spec: doc.spec, adopt: doc.options?.adopt }));
}
const links = new Map<string, ProductJiraLink | EngagementJiraLink>();
for (const { config: doc } of ofKind(report.valid, "ProductJiraLink")) {
  links.set(doc.metadata.name, new ProductJiraLink(doc.metadata.name, { spec: doc.spec, instance: instances.get(doc.spec.instance)!, adopt: doc.options?.adopt, allowDeleteWithJiraIssues: doc.options?.allowDeleteWithJiraIssues }));
}
for (const { config: doc } of ofKind(report.valid, "EngagementJiraLink")) {
  links.set(doc.metadata.name, new EngagementJiraLink(doc.metadata.name, { spec: doc.spec, instance: instances.get(doc.spec.instance)!, adopt: doc.options?.adopt, allowDeleteWithJiraIssues: doc.options?.allowDeleteWithJiraIssues }));
}

/** DefectDojo ids, never secrets. */
export const jiraInstances = Object.fromEntries([...instances].map(([name, r]) => [name, r.dojoId]));
export const jiraLinks = Object.fromEntries([...links].map(([name, r]) => [name, r.dojoId]));
