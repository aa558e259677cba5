import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import type { ApiJiraInstance, ApiJiraProject } from "../client/api-types.js";
import { Settings, type ProviderConfig } from "../credentials.js";
import { fingerprintFor } from "../fingerprint.js";
import { createContext, logicFor, type ProviderContext } from "../resources/index.js";
import { CONFIG_TREE_INPUT, KINDS, PACKAGE, PROVIDER_CONFIG, type NativeKind } from "../../schema/pulumi-package-schema.js";
import { isSecretKey } from "../../lint/rules/util/secret-patterns.js";
import { containsUnknown } from "../unknown.js";
import { containsSecret, secretValue, unwrapSecrets } from "./secret-markers.js";
import type { CheckFailure, ProviderMethods } from "./server.js";

type Props = Record<string, unknown>;

/**
 * The provider's configuration as the shared resource code reads it (credentials.ts `Settings`):
 * `defectdojo:url` / `defectdojo:apiToken` answered from this package's `url` / `apiToken` (the
 * environment fallbacks stay in Settings), and `{ fromConfig: key }` references from `secrets`.
 */
export function nativeConfig(inputs: Props): ProviderConfig {
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  let secrets = inputs.secrets;
  // Stack config arrives as text: a map set with `--path` is JSON here (sdk config value.go).
  if (typeof secrets === "string") {
    try {
      secrets = JSON.parse(secrets) as unknown;
    } catch {
      // JSON.parse quotes the start of its input in its message, and that input is a secret.
      throw new Error(`${PACKAGE}:secrets must be a map of names to secrets: set each one with pulumi config set --secret --path '${PACKAGE}:secrets.<name>' <value>`);
    }
  }
  const named = secrets && typeof secrets === "object" ? (secrets as Record<string, unknown>) : {};
  return {
    get(key) {
      if (key === "defectdojo:url") return text(inputs.url);
      if (key === "defectdojo:apiToken") return text(inputs.apiToken);
      return text(named[key]) ?? text(named[key.replace(/^[^:]*:/, "")]);
    },
  };
}

/** The provider config keys that hold secrets, as the package schema marks them. */
const SECRET_CONFIG = Object.entries(PROVIDER_CONFIG).filter(([, p]) => p.secret).map(([key]) => key);

export function checkProviderConfig(news: Props): { inputs: Props; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const inputs: Props = { ...news };
  for (const key of SECRET_CONFIG) if (inputs[key] !== undefined) inputs[key] = secretValue(inputs[key]);
  // A url computed by the program is unknown during preview; it is checked once known.
  if (news.url !== undefined && !containsUnknown(news.url) && !(typeof news.url === "string" && /^https?:\/\//.test(news.url))) failures.push({ property: "url", reason: "must be DefectDojo's http(s) base URL" });
  // A key the schema does not know but whose name says secret (`apitoken`, a typo) is kept secret too.
  for (const key of Object.keys(inputs)) if (!(key in PROVIDER_CONFIG) && isSecretKey(key)) inputs[key] = secretValue(inputs[key]);
  return { inputs, failures };
}

/** `urn:pulumi:<stack>::<project>::<parent types$>defectdojo-jira:index:<Kind>::<name>` → kind and name. */
export function parseUrn(urn: string): { kind: NativeKind; name: string } {
  const parts = urn.split("::");
  const type = (parts[2] ?? "").split("$").pop() ?? "";
  const kind = type.split(":")[2] as NativeKind;
  if (!type.startsWith(`${PACKAGE}:`) || !KINDS.includes(kind)) throw new Error(`${PACKAGE}: unknown resource type ${type}`);
  return { kind, name: parts.slice(3).join("::") };
}

/**
 * A native resource's inputs as the shared resource code takes them: the name from the URN, and
 * the spec fields the native resources carry elsewhere (a link's `instanceId`, a webhook's `jira`)
 * given placeholders the JSON Schema accepts. A link's `spec.instance` only decides anything while
 * `instanceId` is unknown in a preview; then the old value stands, as a JiraInstance keeps its id.
 */
function toCore(kind: NativeKind, name: string, inputs: Props, olds?: Props): Props {
  const spec = { ...((inputs.spec as Props | undefined) ?? {}) };
  // The root program sends a link's document whole, its instance's name included: kept, so that the
  // lint digest of the document matches and messages name the instance as the document does.
  if ((kind === "ProductJiraLink" || kind === "EngagementJiraLink") && typeof spec.instance !== "string") {
    const known = typeof inputs.instanceId === "number";
    spec.instance = known ? `instance-${inputs.instanceId as number}` : (((olds?.spec as Props | undefined)?.instance as string | undefined) ?? "instance-unknown");
  }
  if (kind === "JiraWebhook") {
    spec.instance ??= "jira";
    spec.settings ??= "jira-settings";
  }
  return { ...inputs, name, spec };
}

/**
 * The inputs a program would write for these core inputs: what `pulumi import` prints, and what state
 * keeps. The names toCore filled in are the adapter's and go; those the program sent itself (the
 * root program sends documents whole) stay, so that a later diff compares the document's names.
 */
function programInputs(kind: NativeKind, core: Props, sent: Props = {}): Props {
  // The lint digest has done its work once check has run: it stays out of state.
  const { name: _name, linted: _linted, ...inputs } = core;
  const spec = { ...(inputs.spec as Props) };
  const sentSpec = (sent.spec ?? {}) as Props;
  const filled = kind === "ProductJiraLink" || kind === "EngagementJiraLink" ? ["instance"] : kind === "JiraWebhook" ? ["instance", "settings"] : [];
  for (const key of filled) if (sentSpec[key] === undefined) delete spec[key];
  for (const key of Object.keys(inputs)) if (inputs[key] === undefined) delete inputs[key];
  return { ...inputs, spec };
}

/** Secret markers of the inputs carried to the outputs of the same top-level keys. */
function keepSecrets(inputs: Props, outputs: Props): Props {
  const out: Props = { ...outputs };
  for (const key of Object.keys(inputs)) if (containsSecret(inputs[key]) && out[key] !== undefined) out[key] = secretValue(out[key]);
  return out;
}

const plain = (value: unknown): Props => JSON.parse(JSON.stringify(unwrapSecrets(value) ?? {})) as Props;

/**
 * The root program's outputs without what state already holds as the same resource's inputs: every
 * kind's outputs are its inputs plus DefectDojo's ids, and checkpoints rewrite the whole state twice
 * per created or deleted resource: a copy of each document in the outputs was an eighth of what every
 * one of those writes serialised. Only values equal to the inputs go (and the name, which is the
 * URN's), so `withInputs` gives back the outputs whole.
 */
function withoutInputs(outputs: Props, inputs: Props): Props {
  const plainInputs = plain(inputs);
  return Object.fromEntries(Object.entries(outputs).filter(([key, value]) => key !== "name" && !(key in plainInputs && isDeepStrictEqual(plain({ value }).value, plainInputs[key]))));
}

/** A resource's outputs whole: the state's inputs under what its outputs keep (all of it in stacks written before `withoutInputs`). */
function withInputs(outputs: Props, name: string, stated: Props | undefined): Props {
  return { name, ...(stated ? plain(stated) : {}), ...outputs };
}
const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * The shared resource code speaks of config documents (`options.adopt`); a native resource has those
 * switches at its top level, and it can be imported.
 */
export function inNativeTerms(error: unknown): unknown {
  if (error instanceof Error) error.message = error.message.replace(/options\.(adopt|allowDeleteWithJiraIssues|disableJiraOnDelete)\b/g, "$1").replace(" (Pulumi cannot import dynamic resources)", " (or pulumi import it)")
      .replace(/pulumi config set --secret ([\w.-]+) <value>/g, `pulumi config set --secret --path '${PACKAGE}:secrets.$1' <value>`)
      .replace(/\bdefectdojo:(url|apiToken)\b/g, `${PACKAGE}:$1`);
  return error;
}

/** The shared code's words for the root program's documents; only the dynamic provider's own limit goes. */
export function inDocumentTerms(error: unknown): unknown {
  if (error instanceof Error) error.message = error.message.replace(" (Pulumi cannot import dynamic resources)", "");
  return error;
}

/**
 * The Pulumi provider plugin's resource methods: each one calls the very provider of the kind that
 * the dynamic provider serves (resources/index.ts logicFor), in one context per plugin process, as the
 * dynamic provider's process has. What is native-only lives here: kinds from URNs, secret markers
 * (this server accepts secrets), and `read` without state, which is what `pulumi import` sends.
 */
export function nativeProvider(version: string, schemaPath: string, settings = new Settings(), context: ProviderContext = createContext(settings)): ProviderMethods {
  const of = (urn: string) => {
    const { kind, name } = parseUrn(urn);
    // What the call reports is shown under its resource.
    return { kind, name, impl: logicFor(kind, { ...context, notice: (message) => context.notice(message, urn) }) };
  };
  let configTree = false;
  /** Outputs as state keeps them: the root program's without its inputs; a native program's whole, as the package schema declares them. */
  const stored = (outputs: Props, inputs: Props): Props => (configTree ? withoutInputs(outputs, inputs) : outputs);
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      // The message is what the engine shows (server.ts sends it, redacted), in the words of what the user wrote.
      throw configTree ? inDocumentTerms(error) : inNativeTerms(error);
    }
  };

  /** `pulumi import`: no state, only the id. A starting spec from the live object, then the kind's own read. */
  async function importSeed(kind: NativeKind, name: string, id: string): Promise<Props | undefined> {
    const dd = context.client();
    if (kind === "JiraInstance") {
      const live: ApiJiraInstance = await dd.getInstance(Number(id));
      // DefectDojo never returns the password: the reference is named as `dojo-jira export` names it.
      const required = { url: live.url, username: live.username, epicNameId: live.epic_name_id, transitions: { reopen: live.open_status_key, close: live.close_status_key } };
      return { name, spec: { ...required, password: { fromConfig: `${camel(name)}Password` } } };
    }
    if (kind === "ProductJiraLink" || kind === "EngagementJiraLink") {
      const live: ApiJiraProject = await dd.getLink(Number(id));
      const target = kind === "ProductJiraLink" ? live.product : live.engagement;
      if (!target) throw new Error(`${kind} ${name}: DefectDojo's Jira link ${id} is not a${kind === "ProductJiraLink" ? " product" : "n engagement"} link`);
      const spec = kind === "ProductJiraLink" ? { product: (await dd.getProduct(target)).name } : { engagement: { id: target } };
      return { name, spec: { ...spec, instance: `instance-${live.jira_instance ?? 0}`, projectKey: live.project_key }, instanceId: live.jira_instance ?? 0, targetId: target };
    }
    throw new Error(`${PACKAGE}: import of ${kind} is not supported yet; use options.adopt (adopt: true) to take it over`);
  }

  /**
   * After an import the state has no fingerprint of the password. When the reference resolves, the
   * configured secret is taken as the one DefectDojo holds (it cannot be read back to compare), so
   * the pasted code previews empty and a later change of the secret shows; otherwise the first
   * `pulumi up` sends it once.
   */
  function fingerprintImported(core: Props): Props {
    const spec = core.spec as { password?: { fromConfig: string } | { fromEnv: string } };
    if (!spec.password) return core;
    const print = fingerprintFor("spec.password", undefined, () => settings.resolve(spec.password!, "import"), () => settings.fingerprintKey());
    return "failures" in print ? core : { ...core, passwordSalt: print.salt, passwordFingerprint: print.fingerprint };
  }

  return {
    version,
    getSchema: async () => readFileSync(schemaPath, "utf8"),
    checkConfig: checkProviderConfig,
    configure(inputs) {
      settings.configure(nativeConfig(inputs));
      configTree = inputs[CONFIG_TREE_INPUT] === true || inputs[CONFIG_TREE_INPUT] === "true";
    },

    async check(urn, olds, news) {
      const { kind, name, impl } = of(urn);
      const oldCore = olds && Object.keys(olds).length > 0 ? toCore(kind, name, plain(olds)) : undefined;
      const result = await run(() => impl.check(oldCore as never, toCore(kind, name, plain(news), oldCore) as never));
      // State keeps the inputs as the program wrote them (plus fingerprints): the name and the
      // placeholders are the adapter's, re-added for every call, and would only clutter `--diff`.
      return { inputs: result.inputs ? keepSecrets(news, programInputs(kind, result.inputs as Props, plain(news))) : undefined, failures: result.failures };
    },

    async diff(id, urn, olds, news, stated) {
      const { kind, name, impl } = of(urn);
      const old = withInputs(plain(olds), name, stated);
      return run(() => impl.diff(id, old as never, toCore(kind, name, plain(news), old) as never));
    },

    async create(urn, inputs) {
      const { kind, name, impl } = of(urn);
      const result = await run(() => impl.create(toCore(kind, name, plain(inputs)) as never));
      return { id: result.id, outs: keepSecrets(inputs, stored(plain(result.outs), inputs)) };
    },

    async read(id, urn, props, stated) {
      const { kind, name, impl } = of(urn);
      const outputs = plain(props);
      const imported = Object.keys(outputs).length === 0;
      const state = imported ? {} : withInputs(outputs, name, stated);
      const seed = imported ? await run(() => importSeed(kind, name, id)) : state;
      const result = await run(() => impl.read(id, seed as never));
      if (!result.id) return { id: "" };
      const outs = imported && kind === "JiraInstance" ? fingerprintImported(plain(result.props)) : plain(result.props);
      const inputs = plain(result.inputs);
      // The salt is the check's `olds` from then on: state inputs and outputs must carry the same one.
      const withSalts = imported && kind === "JiraInstance" ? { ...inputs, passwordSalt: outs.passwordSalt, passwordFingerprint: outs.passwordFingerprint } : inputs;
      // A refresh answers the inputs in the shape check stored them: otherwise every resource would
      // differ from its registration in the next deployment, and each unchanged one cost a state write.
      const shaped = imported ? programInputs(kind, withSalts) : programInputs(kind, withSalts, stated && Object.keys(stated).length > 0 ? plain(stated) : state);
      // Secret markers as state had them, in its inputs or in the outputs that kept the key.
      const marked = { ...(stated ?? {}), ...(props ?? {}) };
      return { id: result.id, props: keepSecrets(marked, stored(outs, shaped)), inputs: keepSecrets(marked, shaped) };
    },

    async update(id, urn, olds, news, stated) {
      const { kind, name, impl } = of(urn);
      const old = withInputs(plain(olds), name, stated);
      const result = await run(() => impl.update(id, old as never, toCore(kind, name, plain(news), old) as never));
      return { outs: keepSecrets(news, stored(plain(result.outs), news)) };
    },

    async delete(id, urn, props, stated) {
      const { kind, name, impl } = of(urn);
      const old = withInputs(plain(props), name, stated);
      await run(() => impl.delete(id, toCore(kind, name, old, old) as never));
    },
  };
}
