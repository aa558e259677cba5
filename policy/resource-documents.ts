import { stringify } from "yaml";
import { runRules } from "../lint/engine.js";
import { parseFile } from "../lint/load/parse-file.js";
import type { LintResult } from "../lint/model.js";
import { API_VERSION, KINDS, type Kind } from "../schema/config-types.js";

/** A resource of a Pulumi program as a policy sees it: its type token, name and input properties. */
export interface PolicyInput {
  type: string;
  name: string;
  props: Record<string, unknown>;
}

/** The provider plugin's types (`defectdojo-jira:index:<Kind>`) and the dynamic provider's. */
const TYPE = /^(?:defectdojo-jira:index|pulumi-nodejs:dynamic\/defectdojo-jira):([A-Za-z]+)$/;

export function kindOf(type: string): Kind | undefined {
  const kind = TYPE.exec(type)?.[1];
  return (KINDS as readonly string[]).includes(kind ?? "") ? (kind as Kind) : undefined;
}

/**
 * The config document a resource was declared from, rebuilt from its inputs, as YAML for the linter.
 * Both providers take a document's `spec` as the `spec` input; the dynamic provider also has its
 * `name`. The plugin's resources carry a link's instance as `instanceId` and a webhook's site as
 * `jira` instead of names in the spec: the placeholders the plugin itself gives them keep the schema
 * satisfied (rules about those names are the tree's, and are not run on them, see TREE_ONLY).
 */
export function toDocument(resource: PolicyInput): { kind: Kind; name: string; waived: string[]; yaml: string } | undefined {
  const kind = kindOf(resource.type);
  if (!kind) return undefined;
  const native = resource.type.startsWith("defectdojo-jira:");
  const name = !native && typeof resource.props.name === "string" ? resource.props.name : resource.name;
  const spec: Record<string, unknown> = { ...(resource.props.spec as Record<string, unknown> | undefined) };
  if (native && (kind === "ProductJiraLink" || kind === "EngagementJiraLink")) spec.instance ??= `instance-${typeof resource.props.instanceId === "number" ? resource.props.instanceId : "unknown"}`;
  if (native && kind === "JiraWebhook") {
    spec.instance ??= "jira";
    spec.settings ??= "jira-settings";
  }
  const waived = Array.isArray(resource.props.waivedRules) ? resource.props.waivedRules.filter((r): r is string => typeof r === "string") : [];
  return { kind, name, waived, yaml: stringify({ apiVersion: API_VERSION, kind, metadata: { name }, spec }) };
}

/**
 * Rules that look across documents. Of them, only those that do not follow names from one resource
 * to another run on a program's resources: the plugin's resources name their instance by DefectDojo
 * id, so "unknown instance" and friends would be guesses.
 */
const ACROSS = new Set(["unknown-instance", "unused-instance", "unknown-settings", "single-settings", "jira-disabled", "duplicate-name", "duplicate-link-target", "epic-name-field"]);
const ACROSS_SAFE = new Set(["duplicate-name", "duplicate-link-target", "single-settings"]);

export interface Finding {
  /** Index of the resource in the list linted. */
  resource: number;
  ruleId: string;
  severity: LintResult["severity"];
  message: string;
}

/**
 * Lints the resources' documents with the linter's own rules, as one tree (each document its own
 * file, named after its resource). `scope` picks the per-document rules (a resource policy) or the
 * safe across-documents ones (the stack policy). A rule the resource waives (`waivedRules`, what a
 * suppression comment becomes in the program) is dropped.
 */
export function lintResources(resources: readonly PolicyInput[], scope: "document" | "across"): Finding[] {
  const documents = resources.map(toDocument);
  const files = documents.flatMap((d, i) => (d ? [parseFile(`${d.kind}/${d.name}#${i}`, Buffer.from(d.yaml))] : []));
  const byFile = new Map(files.map((f) => [f.file, Number(f.file.slice(f.file.lastIndexOf("#") + 1))]));
  return runRules(files)
    .results.filter((r) => (scope === "document" ? !ACROSS.has(r.ruleId) : ACROSS_SAFE.has(r.ruleId)))
    .map((r) => ({ resource: byFile.get(r.file)!, ruleId: r.ruleId, severity: r.severity, message: r.message }))
    .filter((f) => !documents[f.resource]!.waived.includes(f.ruleId));
}
