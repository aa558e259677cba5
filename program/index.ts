import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
// The SDK's parts this module uses, not its index: the index also loads the Automation API and what
// it needs (580 modules, about 0.3 s of a deployment's serial start) that a Pulumi program never uses.
import { Config } from "@pulumi/pulumi/config.js";
import { RunError } from "@pulumi/pulumi/errors.js";
import { lintPaths } from "../lint/lint-paths.js";
import { ofKind } from "../lint/rules/rule.js";
import { locate, type LoadedDocument } from "../lint/model.js";
import { rulesWaivedIn } from "../lint/suppressions.js";
import type { JiraSettings as JiraSettingsDocument } from "../schema/config-types.js";
import { EngagementJiraLink, JiraInstance, JiraSettings, JiraWebhook, ProductJiraLink } from "../provider/dynamic/resources.js";
import { requireSecretSetting } from "../provider/dynamic/secret-config.js";
import { lintDigest } from "../provider/lint-digest.js";

// The root Pulumi program: a config directory in, resources out. The linter runs first and its
// errors stop the run with the same positioned messages a pull request shows.

// The SDK captures a stack trace for every promise it tracks (4 per property, for a leak report we
// never read) and source-map-support rewrites each: with hundreds of resources that is about a
// fifth of a no-op `up`. Our errors are messages; DOJO_JIRA_DEBUG keeps the traces.
if (!process.env.DOJO_JIRA_DEBUG) Error.stackTraceLimit = 0;
const config = new Config("defectdojo-jira");
const root = process.env.PULUMI_NODEJS_ROOT_DIRECTORY ?? process.cwd();
// A repo made by `dojo-jira init` keeps its documents in config/; this repository's demo, in examples/basic.
const configDir = config.get("configDir") ?? (existsSync(join(root, "config")) ? "config" : "examples/basic");

requireSecretSetting("defectdojo:apiToken", "The DefectDojo API token");
const report = await lintPaths([configDir], { cwd: root });
const errors = report.results.filter((r) => r.severity === "error");
if (errors.length > 0) {
  const [{ FORMATTERS }, { RULES }, { VERSION }] = await Promise.all([import("../lint/formatters/index.js"), import("../lint/rules/index.js"), import("../cli/version.js")]);
  const text = FORMATTERS.stylish!({
    results: errors,
    sources: new Map(report.files.map((f) => [f.file, { text: f.source, sensitive: f.sensitive, position: f.position }])),
    rules: RULES,
    counts: { files: report.files.length, documents: 0 },
    toolVersion: VERSION,
  });
  throw new RunError(`${configDir} has lint errors; nothing was changed:\n\n${text}`);
}

const files = new Map(report.files.map((f) => [f.file, f]));
/** Rules a document waives in its source; the provider's check sees the spec without comments. */
const waived = (document: LoadedDocument) => {
  const rules = rulesWaivedIn(files.get(document.file)!, locate(document, []));
  return rules.length > 0 ? rules : undefined;
};
/** What each resource gets for its document: the waivers, and the digest that spares check a second lint. */
const linted = (doc: { kind: Parameters<typeof lintDigest>[0]; metadata: { name: string }; spec: unknown }, document: LoadedDocument) => {
  const waivedRules = waived(document);
  return { waivedRules, linted: lintDigest(doc.kind, doc.metadata.name, doc.spec, waivedRules) };
};
/** A renamed document keeps its resource: earlier names become Pulumi aliases. */
const renamed = (doc: { metadata: { renamedFrom?: string[] } }): pulumi.CustomResourceOptions => (doc.metadata.renamedFrom ? { aliases: doc.metadata.renamedFrom.map((name) => ({ name })) } : {});
// Jira switched on first: links and webhooks are of no use before.
const settings = new Map<string, { resource: JiraSettings; document: JiraSettingsDocument }>();
for (const { config: doc, document } of ofKind(report.valid, "JiraSettings")) {
  settings.set(doc.metadata.name, { resource: new JiraSettings(doc.metadata.name, { spec: doc.spec, adopt: doc.options?.adopt, disableJiraOnDelete: doc.options?.disableJiraOnDelete, ...linted(doc, document) }, renamed(doc)), document: doc });
}
const instances = new Map<string, JiraInstance>();
for (const { config: doc, document } of ofKind(report.valid, "JiraInstance")) {
  instances.set(doc.metadata.name, new JiraInstance(doc.metadata.name, { spec: doc.spec, adopt: doc.options?.adopt, ...linted(doc, document) }, renamed(doc)));
}
const links = new Map<string, ProductJiraLink | EngagementJiraLink>();
for (const { config: doc, document } of ofKind(report.valid, "ProductJiraLink")) {
  links.set(doc.metadata.name, new ProductJiraLink(doc.metadata.name, { spec: doc.spec, instance: instances.get(doc.spec.instance)!, adopt: doc.options?.adopt, allowDeleteWithJiraIssues: doc.options?.allowDeleteWithJiraIssues, ...linted(doc, document) }, renamed(doc)));
}
for (const { config: doc, document } of ofKind(report.valid, "EngagementJiraLink")) {
  links.set(doc.metadata.name, new EngagementJiraLink(doc.metadata.name, { spec: doc.spec, instance: instances.get(doc.spec.instance)!, adopt: doc.options?.adopt, allowDeleteWithJiraIssues: doc.options?.allowDeleteWithJiraIssues, ...linted(doc, document) }, renamed(doc)));
}

const instanceDocs = new Map(ofKind(report.valid, "JiraInstance").map(({ config: doc }) => [doc.metadata.name, doc]));
const webhooks = new Map<string, JiraWebhook>();
for (const { config: doc, document } of ofKind(report.valid, "JiraWebhook")) {
  const site = instanceDocs.get(doc.spec.instance)!.spec;
  const owner = settings.get(doc.spec.settings)!;
  if (!owner.document.spec.webhookSecret) throw new RunError(`JiraWebhook ${doc.metadata.name}: JiraSettings ${doc.spec.settings} has no webhookSecret to put in the webhook URL`);
  webhooks.set(
    doc.metadata.name,
    new JiraWebhook(doc.metadata.name, { spec: doc.spec, jira: { url: site.url, username: site.username, password: site.password, authKind: site.authKind }, webhookSecret: owner.document.spec.webhookSecret, settings: owner.resource, adopt: doc.options?.adopt, ...linted(doc, document) }, renamed(doc)),
  );
}

/** DefectDojo ids, never secrets. */
export const jiraInstances = Object.fromEntries([...instances].map(([name, r]) => [name, r.dojoId]));
export const jiraLinks = Object.fromEntries([...links].map(([name, r]) => [name, r.dojoId]));
export const jiraWebhooks = Object.fromEntries([...webhooks].map(([name, r]) => [name, r.webhookId]));
