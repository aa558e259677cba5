import type { ConfigDocument, JiraInstance, JiraSettings, LinkDocument } from "../schema/config-types.js";
import { INSTANCE_FIELDS, LINK_FIELDS, settingsFieldsNamedIn, withConfigurationName } from "./client/mapping.js";
import type { LiveConfig } from "./live-config.js";
import { changedPaths, type FieldTable } from "./resources/spec-diff.js";

export interface FieldDrift {
  field: string;
  config: unknown;
  live: unknown;
}

export interface Drift {
  /** In DefectDojo, not in the config. */
  liveOnly: Array<{ kind: string; key: string }>;
  /** In the config, not in DefectDojo (yet). */
  configOnly: Array<{ kind: string; key: string; name: string }>;
  changed: Array<{ kind: string; key: string; name: string; fields: FieldDrift[] }>;
  unexpressible: string[];
}

/** The natural key DefectDojo identifies an object by; names in the config may differ from an export's. */
export function naturalKey(doc: ConfigDocument): string {
  switch (doc.kind) {
    case "JiraInstance":
      return doc.spec.configurationName ?? doc.metadata.name;
    case "ProductJiraLink":
      return typeof doc.spec.product === "string" ? doc.spec.product : `#${doc.spec.product.id}`;
    case "EngagementJiraLink":
      return "name" in doc.spec.engagement ? `${doc.spec.engagement.product} / ${doc.spec.engagement.name}` : `#${doc.spec.engagement.id}`;
    case "JiraSettings":
      return "system settings";
    case "JiraWebhook":
      return doc.spec.webhookName ?? "DefectDojo";
  }
}

const valueAt = (spec: unknown, path: string) => path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), spec);

/** Read-only comparison of a config tree with what DefectDojo has (JiraWebhook lives in Jira: not compared). */
export function compare(config: ConfigDocument[], live: LiveConfig): Drift {
  const drift: Drift = { liveOnly: [], configOnly: [], changed: [], unexpressible: live.unexpressible };
  const index = (docs: ConfigDocument[]) => new Map(docs.filter((d) => d.kind !== "JiraWebhook").map((d) => [`${d.kind}\u0000${naturalKey(d)}`, d]));
  const wanted = index(config);
  const have = index(live.documents);
  const instanceKey = (docs: ConfigDocument[]) => new Map(docs.filter((d): d is JiraInstance => d.kind === "JiraInstance").map((d) => [d.metadata.name, naturalKey(d)]));
  const wantedInstance = instanceKey(config);
  const liveInstance = instanceKey(live.documents);

  for (const [id, doc] of wanted) {
    const other = have.get(id);
    if (!other) {
      drift.configOnly.push({ kind: doc.kind, key: naturalKey(doc), name: doc.metadata.name });
      continue;
    }
    const fields = differences(doc, other, wantedInstance, liveInstance);
    if (fields.length > 0) drift.changed.push({ kind: doc.kind, key: naturalKey(doc), name: doc.metadata.name, fields });
  }
  for (const [id, doc] of have) {
    if (wanted.has(id)) continue;
    // Settings exist in every DefectDojo; only a tree that manages them can drift from them.
    if (doc.kind !== "JiraSettings") drift.liveOnly.push({ kind: doc.kind, key: naturalKey(doc) });
  }
  return drift;
}

function differences(want: ConfigDocument, have: ConfigDocument, wantedInstance: Map<string, string>, liveInstance: Map<string, string>): FieldDrift[] {
  const field = (path: string, a: unknown, b: unknown): FieldDrift => ({ field: path, config: valueAt(a, path), live: valueAt(b, path) });
  if (want.kind === "JiraInstance" && have.kind === "JiraInstance") {
    const withName = (d: JiraInstance) => withConfigurationName(d.spec, d.metadata.name);
    return changedPaths(INSTANCE_FIELDS as FieldTable<ReturnType<typeof withName>>, withName(want), withName(have)).map((p) => field(p, withName(want), withName(have)));
  }
  if (want.kind === "JiraSettings" && have.kind === "JiraSettings") {
    return changedPaths(settingsFieldsNamedIn(want.spec), want.spec, have.spec).map((p) => field(p, want.spec, have.spec));
  }
  const a = want as LinkDocument;
  const b = have as LinkDocument;
  const fields = changedPaths(LINK_FIELDS as FieldTable<LinkDocument["spec"]>, a.spec, b.spec).map((p) => field(p, a.spec, b.spec));
  const instanceA = wantedInstance.get(a.spec.instance);
  const instanceB = liveInstance.get(b.spec.instance);
  if (instanceA !== instanceB) fields.push({ field: "instance", config: instanceA, live: instanceB });
  return fields;
}
