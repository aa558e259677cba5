import type { JiraInstanceSpec } from "../../schema/config-types.js";
import type { ApiJiraInstance } from "../client/api-types.js";
import { DefectDojoError } from "../client/errors.js";
import { instanceToApi, INSTANCE_FIELDS, withConfigurationName } from "../client/mapping.js";
import { fingerprintFor, isFingerprintOf } from "../fingerprint.js";
import { printable } from "../../text/printable.js";
import { Refusal } from "../refusal.js";
import type { ProviderContext } from "./context.js";
import type { ResourceLogic } from "./logic.js";
import { validateUnlessLinted } from "../lint-digest.js";
import { optionFailures } from "../safety-options.js";
import { containsUnknown } from "../unknown.js";
import { adoptionPatch, changedPaths, patchFor, specFromLive, waiversChanged, type FieldTable } from "./spec-diff.js";

/** What the JiraInstance resource stores: its config, never the password, only a keyed fingerprint of it (fingerprint.ts). */
export interface JiraInstanceInputs {
  name: string;
  /** Lint rules the document waives with a reasoned suppression. */
  waivedRules?: string[];
  /** The root program's digest of a document its lint passed (lint-digest.ts); never kept in state. */
  linted?: string;
  spec: JiraInstanceSpec;
  adopt?: boolean;
  passwordSalt?: string;
  passwordFingerprint?: string;
}

export interface JiraInstanceOutputs extends JiraInstanceInputs {
  dojoId: number;
}

type Spec = JiraInstanceSpec & { configurationName: string };
const FIELDS = INSTANCE_FIELDS as FieldTable<Spec>;
const withName = (inputs: JiraInstanceInputs): Spec => withConfigurationName(inputs.spec, inputs.name);

export function jiraInstance(context: ProviderContext): ResourceLogic {
  const password = (inputs: JiraInstanceInputs) => context.settings.resolve(inputs.spec.password, `JiraInstance ${inputs.name}: spec.password`);
  const key = () => context.settings.fingerprintKey();

  /**
   * The live instance this resource would take over: the one with its configuration name, else (for
   * adoption) the one unnamed instance with its URL. DefectDojo stores "" when the API omits the name,
   * and instances older than the field have it; `export` names those after their id.
   */
  async function findExisting(inputs: JiraInstanceInputs, name: string): Promise<ApiJiraInstance | undefined> {
    // Shared by the instance creates of one second (fresh-list.ts): there is no filter by name.
    const all = await context.instances.all();
    const named = all.filter((i) => i.configuration_name === name);
    const unnamed = inputs.adopt === true && named.length === 0 ? all.filter((i) => i.configuration_name === "" && i.url === inputs.spec.url) : [];
    const candidates = named.length > 0 ? named : unnamed;
    if (candidates.length > 1) {
      const what = named.length > 0 ? `named "${printable(name)}"` : `without a name for ${printable(inputs.spec.url)}`;
      throw new Refusal(`JiraInstance ${inputs.name}: DefectDojo has ${candidates.length} Jira instances ${what} (ids ${candidates.map((e) => e.id).join(", ")}); rename or remove all but one, or give this one another configurationName`);
    }
    return candidates[0];
  }

  return {
    async check(olds: JiraInstanceInputs, news: JiraInstanceInputs) {
      const failures = [...optionFailures(news), ...(await validateUnlessLinted("JiraInstance", news.name, news.spec, news.waivedRules, news.linted))];
      if (failures.length > 0) return { failures };
      if (containsUnknown(news.spec.password)) return { inputs: news };
      const print = fingerprintFor("spec.password", olds?.passwordSalt, () => password(news), key);
      return "failures" in print ? print : { inputs: { ...news, passwordSalt: print.salt, passwordFingerprint: print.fingerprint } };
    },

    async diff(id: string, olds: JiraInstanceOutputs, news: JiraInstanceInputs) {
      context.claims.claimDeclared("jira_instances", Number(id), news.name, "its Jira instance");
      context.claims.keep("jira_instances", Number(id), news.name); // never replaced
      const changes = changedPaths(FIELDS, withName(olds), withName(news)).map((p) => `spec.${p}`);
      if (olds.passwordFingerprint !== news.passwordFingerprint) changes.push("spec.password");
      if (Boolean(olds.adopt) !== Boolean(news.adopt)) changes.push("options.adopt");
      if (waiversChanged(olds, news)) changes.push("waivedRules");
      // The dynamic-provider protocol carries only "changed or not" (and replaces); the engine shows the input diff.
      return { changes: changes.length > 0 };
    },

    async create(inputs: JiraInstanceInputs) {
      const dd = context.client();
      const secret = password(inputs);
      const body = instanceToApi(inputs.spec, inputs.name, secret);
      const name = String(body.configuration_name);
      const existing = await findExisting(inputs, name);
      let live: ApiJiraInstance;
      if (existing) {
        if (inputs.adopt !== true) {
          throw new Refusal(`JiraInstance ${inputs.name}: DefectDojo already has a Jira instance named "${printable(name)}" (id ${existing.id}). To manage it from this config, set options.adopt: true (Pulumi cannot import dynamic resources); to create a separate one, choose another configurationName`);
        }
        context.claims.refuseAdoptionIfOwned("jira_instances", existing.id, inputs.name, `the Jira instance "${printable(existing.configuration_name || existing.url)}"`);
        context.claims.adopted("jira_instances", existing.id, inputs.name);
        // Adoption writes only what differs in meaning, and the password: it cannot be read back.
        live = await dd.patchInstance(existing.id, { ...adoptionPatch(FIELDS, withName(inputs), existing as unknown as Record<string, unknown>), password: secret });
      } else {
        live = await dd.createInstance(body, secret);
      }
      context.instances.wrote(live);
      context.claims.claim("jira_instances", live.id, inputs.name);
      return { id: String(live.id), outs: { ...inputs, dojoId: live.id } satisfies JiraInstanceOutputs };
    },

    async read(id: string, props: JiraInstanceOutputs) {
      let live: ApiJiraInstance;
      try {
        live = await context.client().getInstance(Number(id));
      } catch (error) {
        if (error instanceof DefectDojoError && error.status === 404) return {}; // deleted out of band: leaves the state
        throw error;
      }
      const spec = specFromLive(FIELDS, withName(props), live as unknown as Record<string, unknown>);
      if (props.spec.configurationName === undefined && spec.configurationName === props.name) delete (spec as Partial<Spec>).configurationName;
      const inputs: JiraInstanceInputs = { name: props.name, waivedRules: props.waivedRules, spec, adopt: props.adopt, passwordSalt: props.passwordSalt, passwordFingerprint: props.passwordFingerprint };
      return { id, props: { ...inputs, dojoId: live.id }, inputs };
    },

    async update(id: string, olds: JiraInstanceOutputs, news: JiraInstanceInputs) {
      const paths = changedPaths(FIELDS, withName(olds), withName(news));
      const patch = patchFor(FIELDS, paths, withName(news));
      if (olds.passwordFingerprint !== news.passwordFingerprint) {
        const secret = password(news);
        if (!isFingerprintOf(olds.passwordFingerprint, olds.passwordSalt, secret, key())) patch.password = secret;
      }
      if (Object.keys(patch).length > 0) context.instances.wrote(await context.client().patchInstance(Number(id), patch));
      return { outs: { ...news, dojoId: Number(id) } satisfies JiraInstanceOutputs };
    },

    async delete(id: string, props: JiraInstanceOutputs) {
      const dd = context.client();
      const owner = context.claims.keeperOf("jira_instances", Number(id), props.name);
      if (owner !== undefined) {
        context.notice(`JiraInstance ${props.name} left the stack; its DefectDojo instance (id ${id}) stays, managed by ${printable(owner)}`);
        return;
      }
      // DefectDojo answers a bare 500 when links still use the instance (PROTECT): say which ones instead.
      const users = await dd.linksUsingInstance(Number(id));
      if (users.length > 0) {
        const names = await Promise.all(users.slice(0, 10).map(async (l) => (l.product ? `product "${printable((await dd.getProduct(l.product)).name)}"` : `engagement ${l.engagement}`) + ` (project ${printable(l.project_key || "-")})`));
        throw new Refusal(`refusing to delete JiraInstance ${props.name}: ${users.length} link(s) still use it: ${names.join(", ")}${users.length > 10 ? ", …" : ""}. Remove or repoint those links first`);
      }
      await dd.deleteInstance(Number(id));
      context.instances.removed(Number(id));
      context.claims.release("jira_instances", Number(id));
    },
  };
}
