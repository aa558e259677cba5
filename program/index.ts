import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
// The SDK's parts this module uses, not its index: the index also loads the Automation API and what
// it needs (580 modules, about 0.3 s of a deployment's serial start) that a Pulumi program never uses.
import { Config } from "@pulumi/pulumi/config.js";
import { RunError } from "@pulumi/pulumi/errors.js";
import { lintPaths } from "../lint/lint-paths.js";
import { holdsYaml } from "../lint/load/discover-files.js";
import { ofKind } from "../lint/rules/rule.js";
import { locate, type LoadedDocument } from "../lint/model.js";
import { rulesWaivedIn } from "../lint/suppressions.js";
import { missingPluginEntry } from "./plugin-entry.js";
import { declare, declareProvider, outputOf, type DeclareOptions, type Declared } from "./declare.js";
import { instanceInputs, linkInputs, settingsInputs, webhookInputs } from "../provider/dynamic/resources.js";
import { checkSecretReferences, configReferences, configValue, requireSecretSetting } from "../provider/dynamic/secret-config.js";
import { CONFIG_TREE_INPUT } from "../schema/pulumi-package-schema.js";
import { lintDigest } from "../provider/lint-digest.js";
import { printable } from "../text/printable.js";

// The root Pulumi program: a config directory in, resources out. The linter runs first and its
// errors stop the run with the same positioned messages a pull request shows. Resources are the
// provider plugin's (bin/pulumi-resource-defectdojo-jira, named in Pulumi.yaml), declared straight
// to the engine (declare.ts) on one explicit provider configured from the stack config.

// The SDK captures a stack trace for every promise it tracks (4 per property, for a leak report we
// never read) and source-map-support rewrites each: with hundreds of resources that is about a
// fifth of a no-op `up`. Our errors are messages; DOJO_JIRA_DEBUG keeps the traces.
if (!process.env.DOJO_JIRA_DEBUG) Error.stackTraceLimit = 0;
const config = new Config("defectdojo-jira");
const root = process.env.PULUMI_NODEJS_ROOT_DIRECTORY ?? process.cwd();
// A repo made by `dojo-jira init` keeps its documents in config/; this repository's demo, in examples/basic.
const configDir = config.get("configDir") ?? (existsSync(join(root, "config")) ? "config" : "examples/basic");

requireSecretSetting("defectdojo:apiToken", "The DefectDojo API token");
const noPlugin = missingPluginEntry(root);
if (noPlugin) throw new RunError(noPlugin);
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
/** The 1-based line of a place in a document, for messages that point into the tree. */
const lineOf = (document: LoadedDocument, path: (string | number)[]) => files.get(document.file)!.source.slice(0, locate(document, path)[0]).split("\n").length;

// What the program does not declare, the engine deletes. So a document lint could not read (its
// schema or syntax finding waived) stops the run, as do YAML files in a folder the walk skips, and
// a tree that declares nothing at all: an emptied or mistyped configDir would otherwise delete
// every object of the stack.
const readable = new Set(report.valid.map(({ document }) => document));
const unread = report.files.flatMap((f) => f.documents).filter((document) => !readable.has(document));
if (unread.length > 0) {
  const named = unread.slice(0, 10).map((d) => `  ${d.file}:${lineOf(d, [])}: ${printable(d.kind ?? "a document")} ${printable(d.name ?? "without a name")}`);
  throw new RunError(`${configDir} has documents that do not match the schema (their findings are waived), which this program cannot declare; declared by nobody, their objects would be deleted. Nothing was changed:\n${[...named, ...(unread.length > 10 ? [`  and ${unread.length - 10} more`] : [])].join("\n")}`);
}
const hidden = [];
for (const folder of report.skippedDirectories) if (await holdsYaml(folder, root)) hidden.push(printable(folder));
if (hidden.length > 0) throw new RunError(`${hidden.join(", ")}: folders named node_modules or .git are never read, and YAML files are in ${hidden.length === 1 ? "this one" : "these"}; documents there would be taken for removed. Keep the documents in a folder of their own (defectdojo-jira:configDir). Nothing was changed`);
if (report.valid.length === 0) {
  const read = report.files.length + report.skipped.length;
  throw new RunError(`${configDir} holds no dojo-jira document (${read} YAML file${read === 1 ? "" : "s"} read); declaring nothing would delete every object this stack manages. Nothing was changed. To remove them all, run pulumi destroy`);
}
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
/**
 * A reference to a document the tree does not hold. Lint reports it (unknown-instance,
 * unknown-settings), but a reasoned waiver silences those rules, and this program cannot declare a
 * resource on a missing one: it stops before the first registration, saying where.
 */
const requireReferenced = (names: ReadonlyMap<string, unknown>, doc: { kind: string; metadata: { name: string } }, document: LoadedDocument, field: "instance" | "settings", kind: string, name: string) => {
  if (names.has(name)) return;
  throw new RunError(`${document.file}:${lineOf(document, ["spec", field])}: ${doc.kind} ${doc.metadata.name}: spec.${field} names ${kind} "${name}", which no document in ${configDir} declares (a waived unknown-${field} finding); nothing was changed`);
};
// Every document's inputs first: a refusal (a secret reference to a plaintext key, a webhook
// without a secret, a dangling reference) stops the run before the first registration, so nothing
// at all is changed.
const settingsPlans = ofKind(report.valid, "JiraSettings").map(({ config: doc, document }) => ({
  doc,
  inputs: settingsInputs(doc.metadata.name, { spec: doc.spec, adopt: doc.options?.adopt, disableJiraOnDelete: doc.options?.disableJiraOnDelete, ...linted(doc, document) }, checkSecretReferences),
}));
const instancePlans = ofKind(report.valid, "JiraInstance").map(({ config: doc, document }) => ({
  doc,
  inputs: instanceInputs(doc.metadata.name, { spec: doc.spec, adopt: doc.options?.adopt, ...linted(doc, document) }, checkSecretReferences),
}));
const instanceDocs = new Map(instancePlans.map(({ doc }) => [doc.metadata.name, doc]));
const settingsDocs = new Map(settingsPlans.map(({ doc }) => [doc.metadata.name, doc]));
const linkPlans = (["ProductJiraLink", "EngagementJiraLink"] as const).flatMap((kind) =>
  ofKind(report.valid, kind).map(({ config: doc, document }) => {
    requireReferenced(instanceDocs, doc, document, "instance", "JiraInstance", doc.spec.instance);
    return { kind, doc, inputs: linkInputs(doc.metadata.name, { spec: doc.spec, adopt: doc.options?.adopt, allowDeleteWithJiraIssues: doc.options?.allowDeleteWithJiraIssues, ...linted(doc, document) }) };
  }),
);
const webhookPlans = ofKind(report.valid, "JiraWebhook").map(({ config: doc, document }) => {
  requireReferenced(instanceDocs, doc, document, "instance", "JiraInstance", doc.spec.instance);
  requireReferenced(settingsDocs, doc, document, "settings", "JiraSettings", doc.spec.settings);
  const site = instanceDocs.get(doc.spec.instance)!.spec;
  const secret = settingsDocs.get(doc.spec.settings)!.spec.webhookSecret;
  if (!secret) throw new RunError(`JiraWebhook ${doc.metadata.name}: JiraSettings ${doc.spec.settings} has no webhookSecret to put in the webhook URL`);
  const jira = { url: site.url, username: site.username, password: site.password, authKind: site.authKind };
  return { doc, inputs: webhookInputs(doc.metadata.name, { spec: doc.spec, jira, webhookSecret: secret, adopt: doc.options?.adopt, ...linted(doc, document) }, checkSecretReferences) };
});

// The provider gets DefectDojo's address and token and the values the documents' `fromConfig`
// references name, as secrets (the engine encrypts them in state, as it did the stack config it
// gave the dynamic provider), and nothing else of the stack config.
const referenced = [...new Set([...settingsPlans, ...instancePlans, ...webhookPlans].flatMap(({ inputs }) => configReferences(inputs)))].sort();
const secrets = Object.fromEntries(referenced.flatMap((key) => {
  const value = configValue(key);
  return value === undefined ? [] : [[key, value]];
}));
const provider = declareProvider("defectdojo", { url: configValue("defectdojo:url"), apiToken: configValue("defectdojo:apiToken"), secrets, [CONFIG_TREE_INPUT]: true }, ["apiToken", "secrets"]);
/** Every resource on that provider; a renamed document keeps its resource (earlier names become aliases). */
const on = (doc: { metadata: { renamedFrom?: string[] } }, options: DeclareOptions = {}): DeclareOptions => ({ provider, renamedFrom: doc.metadata.renamedFrom, ...options });

// Jira switched on first: links and webhooks are of no use before.
const settings = new Map(settingsPlans.map(({ doc, inputs }) => [doc.metadata.name, declare("JiraSettings", doc.metadata.name, inputs, on(doc))]));
const instances = new Map(instancePlans.map(({ doc, inputs }) => [doc.metadata.name, declare("JiraInstance", doc.metadata.name, inputs, on(doc))]));
const links = new Map(linkPlans.map(({ kind, doc, inputs }) => [doc.metadata.name, declare(kind, doc.metadata.name, inputs, on(doc, { inputsFrom: { instanceId: [instances.get(doc.spec.instance)!, "dojoId"] } }))]));
const webhooks = new Map(webhookPlans.map(({ doc, inputs }) => [doc.metadata.name, declare("JiraWebhook", doc.metadata.name, inputs, on(doc, { dependsOn: [settings.get(doc.spec.settings)!] }))]));

/** DefectDojo ids, never secrets. */
const ids = (declared: Map<string, Declared>, output: string) => Object.fromEntries([...declared].map(([name, d]) => [name, outputOf(d, output)]));
export const jiraInstances = ids(instances, "dojoId");
export const jiraLinks = ids(links, "dojoId");
export const jiraWebhooks = ids(webhooks, "webhookId");
