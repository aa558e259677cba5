/**
 * The Pulumi package schema of the `defectdojo-jira` provider plugin, derived from
 * schema/defectdojo-jira.schema.json (the one source of truth): each document kind becomes a
 * resource whose `spec` is the document's spec, and `options` become top-level inputs.
 *
 * JSON Schema says more than a Pulumi schema can (patterns, formats, `oneOf` of objects,
 * `unevaluatedProperties`); the plugin's `check` validates every input against the JSON Schema
 * itself, so what is lost here only loosens the editor typing, never the validation.
 */

type Json = Record<string, unknown>;
export interface PulumiTypeSpec {
  type?: string;
  $ref?: string;
  items?: PulumiTypeSpec;
  additionalProperties?: PulumiTypeSpec;
  oneOf?: PulumiTypeSpec[];
}
export interface PulumiProperty extends PulumiTypeSpec {
  description?: string;
  secret?: boolean;
}
interface ObjectType {
  type: "object";
  description?: string;
  properties: Record<string, PulumiProperty>;
  required?: string[];
}
export interface PulumiPackageSchema {
  name: string;
  version: string;
  displayName: string;
  description: string;
  license: string;
  keywords: string[];
  config: { variables: Record<string, PulumiProperty> };
  provider: { description: string; inputProperties: Record<string, PulumiProperty>; properties: Record<string, PulumiProperty> };
  types: Record<string, ObjectType>;
  resources: Record<string, { description: string; inputProperties: Record<string, PulumiProperty>; requiredInputs: string[]; properties: Record<string, PulumiProperty>; required: string[] }>;
  language: Record<string, Json>;
}

export const PACKAGE = "defectdojo-jira";
export const KINDS = ["JiraInstance", "ProductJiraLink", "EngagementJiraLink", "JiraSettings", "JiraWebhook"] as const;
export type NativeKind = (typeof KINDS)[number];
export const token = (name: string) => `${PACKAGE}:index:${name}`;
/**
 * The provider input the root program sets on the provider it declares (program/index.ts): its
 * resources are config documents, so messages speak of documents (`options.adopt`, `pulumi config
 * set --secret <key>`, `defectdojo:url`), as they did when the program ran on the dynamic provider.
 * Not in the package schema below: a program written against the SDKs never sets it.
 */
export const CONFIG_TREE_INPUT = "configTree";
const ref = (name: string) => `#/types/${token(name)}`;

/**
 * Provider configuration. Stack config of another namespace (`defectdojo:url`) never reaches a
 * plugin: the engine hands each provider only its own package's keys (pkg/resource/deploy/target.go
 * GetPackageConfig), hence `defectdojo-jira:url` and `defectdojo-jira:apiToken`.
 */
export const PROVIDER_CONFIG: Record<string, PulumiProperty> = {
  url: { type: "string", description: "DefectDojo's base URL (`pulumi config set defectdojo-jira:url https://dojo.corp.example`). Default: the environment variable `DEFECTDOJO_URL`." },
  apiToken: { type: "string", secret: true, description: "A DefectDojo API v2 token of a superuser (`pulumi config set --secret defectdojo-jira:apiToken …`). Default: the environment variable `DEFECTDOJO_API_TOKEN`. Never stored in plaintext, never sent anywhere but DefectDojo." },
  secrets: {
    type: "object",
    additionalProperties: { type: "string" },
    secret: true,
    description:
      "The values that `{ fromConfig: <key> }` references name (a Jira password, the webhook secret), by key: `pulumi config set --secret --path 'defectdojo-jira:secrets.corpJiraToken' …`, or `secrets: { corpJiraToken: ${jiraToken} }` on an explicit provider. `{ fromEnv: … }` references read the plugin's environment.",
  },
};

/** What each kind takes besides `spec`, with the Options descriptions of the JSON Schema. */
const EXTRA_INPUTS: Record<NativeKind, Record<string, PulumiProperty>> = {
  JiraInstance: {},
  ProductJiraLink: { instanceId: { type: "integer", description: "DefectDojo's id of the Jira instance this link uses: `${corp.dojoId}` of a JiraInstance. Changing it updates the link in place." } },
  EngagementJiraLink: { instanceId: { type: "integer", description: "DefectDojo's id of the Jira instance this link uses: `${corp.dojoId}` of a JiraInstance. Changing it updates the link in place." } },
  JiraSettings: {},
  JiraWebhook: {
    jira: { $ref: ref("JiraWebhookSite"), description: "The Jira site the webhook is registered in, with admin credentials (a reference for the password). Changing the site replaces the webhook." },
    webhookSecret: { $ref: ref("SecretRef"), description: "The webhook secret DefectDojo checks (a reference, as in JiraSettings). A rotation updates the webhook." },
  },
};
const OPTIONS_OF: Record<NativeKind, string[]> = {
  JiraInstance: ["adopt"],
  ProductJiraLink: ["adopt", "allowDeleteWithJiraIssues"],
  EngagementJiraLink: ["adopt", "allowDeleteWithJiraIssues"],
  JiraSettings: ["adopt", "disableJiraOnDelete"],
  JiraWebhook: ["adopt"],
};
const OUTPUTS: Record<NativeKind, Record<string, PulumiProperty>> = {
  JiraInstance: { dojoId: { type: "integer", description: "DefectDojo's id of the Jira instance." } },
  ProductJiraLink: { dojoId: { type: "integer", description: "DefectDojo's id of the link." }, targetId: { type: "integer", description: "DefectDojo's id of the product." } },
  EngagementJiraLink: { dojoId: { type: "integer", description: "DefectDojo's id of the link." }, targetId: { type: "integer", description: "DefectDojo's id of the engagement." } },
  JiraSettings: { settingsId: { type: "integer", description: "DefectDojo's id of the System Settings row." } },
  JiraWebhook: { webhookId: { type: "integer", description: "Jira's id of the webhook." } },
};
/** Spec fields the native resources take elsewhere (a link's instance is `instanceId`; a webhook's site is `jira`). */
const SPEC_FIELDS_ELSEWHERE: Partial<Record<NativeKind, string[]>> = {
  ProductJiraLink: ["instance"],
  EngagementJiraLink: ["instance"],
  JiraWebhook: ["instance", "settings"],
};

const pascal = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Why no Pulumi `default`: generated SDKs fill schema defaults into the inputs, and for JiraSettings
 * an omitted field means "leave DefectDojo's value as it is", not "write the default". So defaults
 * are stated in the description, as the JSON Schema's are in the editor.
 */
function describe(node: Json, extra?: string): string | undefined {
  const parts = [node.description, extra].filter((p): p is string => typeof p === "string" && p.length > 0);
  if (node.default !== undefined) parts.push(`Default: \`${JSON.stringify(node.default)}\`.`);
  if (Array.isArray(node.enum)) parts.push(`One of ${node.enum.map((v) => `\`${String(v)}\``).join(", ")}.`);
  return parts.length > 0 ? parts.join(" ") : undefined;
}

export function pulumiPackageSchema(source: Json, version: string): PulumiPackageSchema {
  const defs = source.$defs as Record<string, Json>;
  const types: Record<string, ObjectType> = {};

  const resolve = (node: Json): Json => {
    if (typeof node.$ref !== "string") return node;
    const target = defs[node.$ref.replace("#/$defs/", "")];
    if (!target) throw new Error(`pulumi schema: unresolved ${node.$ref}`);
    return { ...resolve(target), ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== "$ref")) };
  };

  /** The properties of an object node, `allOf` parts included (LinkFields into a link's spec). */
  const propertiesOf = (node: Json): { properties: Record<string, Json>; required: string[] } => {
    const properties: Record<string, Json> = {};
    const required: string[] = [];
    for (const part of [...((node.allOf as Json[] | undefined) ?? []).map(resolve), node]) {
      Object.assign(properties, (part.properties as Record<string, Json> | undefined) ?? {});
      required.push(...((part.required as string[] | undefined) ?? []));
    }
    return { properties, required };
  };

  const objectType = (name: string, node: Json, leaveOut: string[] = []): string => {
    const { properties, required } = propertiesOf(node);
    const spec: ObjectType = { type: "object", properties: {} };
    const description = describe(node);
    if (description) spec.description = description;
    for (const [key, value] of Object.entries(properties)) {
      if (leaveOut.includes(key)) continue;
      spec.properties[key] = property(`${name}${pascal(key)}`, value);
    }
    const kept = required.filter((r) => !leaveOut.includes(r) && r in spec.properties);
    if (kept.length > 0) spec.required = [...new Set(kept)];
    types[token(name)] = spec;
    return ref(name);
  };

  /** A JSON Schema node as a Pulumi type; `name` names the object type it may need. */
  const typeOf = (name: string, raw: Json): PulumiTypeSpec => {
    const defName = typeof raw.$ref === "string" ? raw.$ref.replace("#/$defs/", "") : undefined;
    const node = resolve(raw);
    if (defName === "SecretRef" || defName === "JsonObject" || defName === "ProductRef") name = defName;
    if (Array.isArray(node.oneOf)) {
      const options = (node.oneOf as Json[]).map(resolve);
      // A oneOf of objects (SecretRef: fromConfig | fromEnv) is one object with every property
      // optional: Pulumi's languages type unions of objects poorly, and check enforces the JSON Schema.
      const objects = options.filter((o) => o.type === "object");
      const merged = objects.length > 0 ? { $ref: objectType(name, { type: "object", properties: Object.assign({}, ...objects.map((o) => o.properties as Json)) }) } : undefined;
      const others = options.filter((o) => o.type !== "object").map((o, i) => typeOf(`${name}${i}`, o));
      const all = [...others, ...(merged ? [merged] : [])];
      return all.length === 1 ? all[0]! : { oneOf: all };
    }
    if (node.const !== undefined) return { type: typeof node.const === "number" ? "number" : typeof node.const };
    if (Array.isArray(node.enum)) return { type: typeof node.enum[0] === "number" ? "number" : "string" };
    switch (node.type) {
      case "string":
      case "boolean":
      case "integer":
      case "number":
        return { type: node.type };
      case "array":
        return { type: "array", items: typeOf(`${name}Item`, (node.items as Json | undefined) ?? {}) };
      case "object":
        if (!node.properties && !node.allOf) return { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } };
        return { $ref: objectType(name, node) };
      default:
        return { $ref: "pulumi.json#/Any" };
    }
  };

  const property = (name: string, node: Json): PulumiProperty => {
    const out: PulumiProperty = typeOf(name, node);
    const description = describe(node) ?? describe(resolve(node));
    if (description) out.description = description;
    return out;
  };

  const options = (defs.Options!.properties ?? {}) as Record<string, Json>;
  const resources: PulumiPackageSchema["resources"] = {};
  for (const kind of KINDS) {
    const document = defs[kind]!;
    const specNode = resolve((document.properties as Record<string, Json>).spec!);
    const inputs: Record<string, PulumiProperty> = {
      spec: { $ref: objectType(`${kind}Spec`, specNode, SPEC_FIELDS_ELSEWHERE[kind]), description: describe(specNode) ?? `The ${kind} document's spec.` },
      ...EXTRA_INPUTS[kind],
      ...Object.fromEntries(OPTIONS_OF[kind].map((key) => [key, property(key, options[key]!)])),
      waivedRules: { type: "array", items: { type: "string" }, description: "Lint rules waived for this resource, as a document's reasoned suppressions waive them (the rule ids of `dojo-jira lint --list-rules`)." },
    };
    const requiredInputs = ["spec", ...Object.keys(EXTRA_INPUTS[kind])];
    resources[token(kind)] = {
      description: describe(document) ?? kind,
      inputProperties: inputs,
      requiredInputs,
      properties: { ...inputs, ...OUTPUTS[kind] },
      required: [...requiredInputs, ...Object.keys(OUTPUTS[kind])],
    };
  }
  // The webhook's site: url, username, password and authKind of the instance's spec.
  const instanceSpec = propertiesOf(resolve(defs.JiraInstanceSpec!));
  objectType("JiraWebhookSite", { type: "object", description: "The Jira site and admin credentials the webhook is registered with.", properties: Object.fromEntries(["url", "username", "password", "authKind"].map((k) => [k, instanceSpec.properties[k]!])), required: ["url", "username", "password"] });

  return {
    name: PACKAGE,
    version,
    displayName: "DefectDojo Jira",
    description: "DefectDojo's Jira configuration as code: Jira instances, product and engagement links, System Settings and the Jira webhook, with delete safety for finding-to-issue mappings.",
    license: "Apache-2.0",
    keywords: ["defectdojo", "jira", "category/utility", "kind/native"],
    config: { variables: PROVIDER_CONFIG },
    provider: { description: "The DefectDojo the resources are managed in.", inputProperties: PROVIDER_CONFIG, properties: { url: PROVIDER_CONFIG.url! } },
    types,
    resources,
    language: { nodejs: { packageName: "@dojo-jira/pulumi", respectSchemaVersion: true }, python: { packageName: "pulumi_defectdojo_jira", respectSchemaVersion: true } },
  };
}
