import type { ConfigDocument, JiraInstance, JiraSettings, LinkFields } from "../schema/config-types.js";
import { API_VERSION } from "../schema/config-types.js";
import type { ApiEngagement, ApiJiraInstance, ApiJiraProject, ApiProduct, ApiSystemSettings } from "./client/api-types.js";
import type { DefectDojoClient } from "./client/defectdojo-client.js";
import { INSTANCE_FIELDS, LINK_FIELDS, SETTINGS_FIELDS, stableJson } from "./client/mapping.js";

/** A live DefectDojo read back as config documents, keyed like the config (kind + natural key). */
export interface LiveConfig {
  documents: ConfigDocument[];
  /** Live objects the schema cannot express, each with the reason (reported, never dropped silently). */
  unexpressible: string[];
  /** Secrets DefectDojo does not give back, as the stack config keys the documents reference. */
  secretsToSet: Array<{ key: string; what: string }>;
}

/** A metadata.name from free text: lowercase, dashes, unique within `taken`. */
export function slug(text: string, taken: Set<string>, fallback: string): string {
  // Cut before trimming dashes: a cut may end on one, and a name must end with a letter or digit.
  const base = text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").slice(0, 55).replace(/^-+|-+$/g, "") || fallback;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}

const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** Config values from API values, leaving out what equals the default (so exports stay short). */
function specFrom<Spec>(table: Record<string, { api: string; toApi: (s: Spec) => unknown; fromApi: (a: Record<string, unknown>) => unknown }>, live: Record<string, unknown>, skip: string[] = []): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  for (const [path, field] of Object.entries(table)) {
    if (skip.includes(path)) continue;
    const value = field.fromApi(live);
    if (value === undefined) continue;
    const [head, tail] = path.split(".");
    if (tail) spec[head!] = { ...(spec[head!] as object), [tail]: value };
    else spec[head!] = value;
  }
  // What the mapping sends for an empty spec is DefectDojo's default; leave such fields out.
  for (const [path, field] of Object.entries(table)) {
    if (path.includes(".") || spec[path] === undefined) continue;
    const fallback = field.toApi({} as Spec);
    if (fallback !== undefined && fallback !== null && stableJson(fallback) === stableJson(live[field.api])) delete spec[path];
  }
  return spec;
}

export async function readLive(client: DefectDojoClient): Promise<LiveConfig> {
  const [instances, links, products, engagements, settings] = await Promise.all([
    client.all<ApiJiraInstance>("jira_instances/"),
    client.all<ApiJiraProject>("jira_projects/"),
    client.all<ApiProduct>("products/"),
    client.all<ApiEngagement>("engagements/"),
    client.getSystemSettings(),
  ]);
  const taken = new Set<string>();
  const documents: ConfigDocument[] = [];
  const unexpressible: string[] = [];
  const secretsToSet: LiveConfig["secretsToSet"] = [];

  const instanceNames = new Map<number, string>();
  for (const live of instances) {
    const name = slug(live.configuration_name, taken, `jira-${live.id}`);
    instanceNames.set(live.id, name);
    const key = `${camel(name)}Password`;
    secretsToSet.push({ key, what: `password / API token of Jira instance "${live.configuration_name}" (${live.url}); DefectDojo never returns it` });
    const spec = specFrom(INSTANCE_FIELDS as never, live as unknown as Record<string, unknown>, ["severityMapping.info", "severityMapping.low", "severityMapping.medium", "severityMapping.high", "severityMapping.critical"]);
    const severities = { info: live.info_mapping_severity, low: live.low_mapping_severity, medium: live.medium_mapping_severity, high: live.high_mapping_severity, critical: live.critical_mapping_severity };
    if (stableJson(severities) !== stableJson({ info: "Lowest", low: "Low", medium: "Medium", high: "High", critical: "Highest" })) spec.severityMapping = severities;
    // An unnamed instance ("" in DefectDojo) takes its document's name; adoption finds it by URL.
    if (spec.configurationName === name || spec.configurationName === "") delete spec.configurationName;
    const doc: JiraInstance = { apiVersion: API_VERSION, kind: "JiraInstance", metadata: { name }, options: { adopt: true }, spec: { ...(spec as Omit<JiraInstance["spec"], "password">), password: { fromConfig: key } } as JiraInstance["spec"] };
    documents.push(doc);
  }

  const productName = new Map(products.map((p) => [p.id, p.name]));
  const engagementOf = new Map(engagements.map((e) => [e.id, e]));
  const linked = new Set<string>();
  for (const live of links) {
    const target = live.product ? `product:${live.product}` : `engagement:${live.engagement}`;
    const label = live.product ? `product "${productName.get(live.product)}"` : `engagement #${live.engagement}`;
    if (live.jira_instance === null) {
      unexpressible.push(`Jira link #${live.id} of ${label} has no Jira instance; the config needs one (set it in DefectDojo, or delete the link)`);
      continue;
    }
    if (linked.has(target)) {
      unexpressible.push(`Jira link #${live.id} is a second link of ${label}; DefectDojo uses only the first, the config allows one (delete the extra one)`);
      continue;
    }
    linked.add(target);
    const fields = specFrom(LINK_FIELDS as never, live as unknown as Record<string, unknown>) as Partial<LinkFields>;
    const instance = instanceNames.get(live.jira_instance)!;
    const projectKey = live.project_key;
    if (live.product) {
      const name = slug(productName.get(live.product) ?? `product-${live.product}`, taken, `link-${live.id}`);
      documents.push({ apiVersion: API_VERSION, kind: "ProductJiraLink", metadata: { name }, options: { adopt: true }, spec: { product: productName.get(live.product) ?? { id: live.product }, ...fields, instance, projectKey } } as ConfigDocument);
    } else {
      const engagement = engagementOf.get(live.engagement!);
      const product = engagement ? productName.get(engagement.product) : undefined;
      const ref = engagement?.name && product ? { product, name: engagement.name } : { id: live.engagement! };
      const name = slug(engagement?.name && product ? `${product}-${engagement.name}` : `engagement-${live.engagement}`, taken, `link-${live.id}`);
      documents.push({ apiVersion: API_VERSION, kind: "EngagementJiraLink", metadata: { name }, options: { adopt: true }, spec: { engagement: ref, ...fields, instance, projectKey } } as ConfigDocument);
    }
  }

  documents.push(settingsDocument(settings, taken, secretsToSet));
  return { documents, unexpressible, secretsToSet };
}

function settingsDocument(live: ApiSystemSettings, taken: Set<string>, secrets: LiveConfig["secretsToSet"]): JiraSettings {
  const spec: Record<string, unknown> = {};
  for (const [path, field] of Object.entries(SETTINGS_FIELDS)) {
    const value = field.fromApi(live);
    if (value !== undefined) spec[path] = value;
  }
  if (live.jira_webhook_secret) {
    spec.webhookSecret = { fromConfig: "jiraWebhookSecret" };
    secrets.push({ key: "jiraWebhookSecret", what: "DefectDojo's Jira webhook secret (readable in System Settings; not written to files)" });
  }
  return { apiVersion: API_VERSION, kind: "JiraSettings", metadata: { name: slug("jira-settings", taken, "jira-settings") }, options: { adopt: true }, spec: spec as JiraSettings["spec"] };
}
