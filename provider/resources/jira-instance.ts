import type * as dynamic from "@pulumi/pulumi/dynamic/index.js";
import type { JiraInstanceSpec } from "../../schema/config-types.js";
import type { ApiJiraInstance } from "../client/api-types.js";
import { DefectDojoError } from "../client/errors.js";
import { changedFields, instanceToApi, INSTANCE_FIELDS, withConfigurationName } from "../client/mapping.js";
import { fingerprintFor } from "../fingerprint.js";
import { Refusal } from "../refusal.js";
import type { ProviderContext } from "../runtime.js";
import { containsUnknown, validateSpec } from "../validate.js";
import { changedPaths, patchFor, specFromLive, type FieldTable } from "./spec-diff.js";

/** What the JiraInstance resource stores: its config, never the password, only a salted fingerprint of it. */
export interface JiraInstanceInputs {
  name: string;
  /** Lint rules the document waives with a reasoned suppression. */
  waivedRules?: string[];
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

export function jiraInstance(context: ProviderContext): dynamic.ResourceProvider {
  const password = (inputs: JiraInstanceInputs) => context.settings.resolve(inputs.spec.password, `JiraInstance ${inputs.name}: spec.password`);

  return {
    async check(olds: JiraInstanceInputs, news: JiraInstanceInputs) {
      const failures = validateSpec("JiraInstance", news.name, news.spec, news.waivedRules);
      if (failures.length > 0) return { failures };
      if (containsUnknown(news.spec.password)) return { inputs: news };
      const print = fingerprintFor("spec.password", olds?.passwordSalt, () => password(news));
      return "failures" in print ? print : { inputs: { ...news, passwordSalt: print.salt, passwordFingerprint: print.fingerprint } };
    },

    async diff(_id: string, olds: JiraInstanceOutputs, news: JiraInstanceInputs) {
      const changes = changedPaths(FIELDS, withName(olds), withName(news)).map((p) => `spec.${p}`);
      if (olds.passwordFingerprint !== news.passwordFingerprint) changes.push("spec.password");
      if (Boolean(olds.adopt) !== Boolean(news.adopt)) changes.push("options.adopt");
      // The dynamic-provider protocol carries only "changed or not" (and replaces); the engine shows the input diff.
      return { changes: changes.length > 0 };
    },

    async create(inputs: JiraInstanceInputs) {
      const dd = context.client();
      const secret = password(inputs);
      const body = instanceToApi(inputs.spec, inputs.name, secret);
      const name = String(body.configuration_name);
      const existing = await dd.findInstancesByName(name);
      let live: ApiJiraInstance;
      if (existing.length > 1) {
        throw new Refusal(`JiraInstance ${inputs.name}: DefectDojo has ${existing.length} Jira instances named "${name}" (ids ${existing.map((e) => e.id).join(", ")}); rename or remove all but one, or give this one another configurationName`);
      } else if (existing[0]) {
        if (!inputs.adopt) {
          throw new Refusal(`JiraInstance ${inputs.name}: DefectDojo already has a Jira instance named "${name}" (id ${existing[0].id}). To manage it from this config, set options.adopt: true (Pulumi cannot import dynamic resources); to create a separate one, choose another configurationName`);
        }
        // Adoption: take the object over, then bring it to the declared state (password included: it cannot be read).
        live = await dd.patchInstance(existing[0].id, { ...changedFields(body, existing[0]), password: secret });
      } else {
        live = await dd.createInstance(body, secret);
      }
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
      const inputs: JiraInstanceInputs = { name: props.name, spec, adopt: props.adopt, passwordSalt: props.passwordSalt, passwordFingerprint: props.passwordFingerprint };
      return { id, props: { ...inputs, dojoId: live.id }, inputs };
    },

    async update(id: string, olds: JiraInstanceOutputs, news: JiraInstanceInputs) {
      const paths = changedPaths(FIELDS, withName(olds), withName(news));
      const patch = patchFor(FIELDS, paths, withName(news));
      if (olds.passwordFingerprint !== news.passwordFingerprint) patch.password = password(news);
      if (Object.keys(patch).length > 0) await context.client().patchInstance(Number(id), patch);
      return { outs: { ...news, dojoId: Number(id) } satisfies JiraInstanceOutputs };
    },

    async delete(id: string, props: JiraInstanceOutputs) {
      const dd = context.client();
      // DefectDojo answers a bare 500 when links still use the instance (PROTECT): say which ones instead.
      const users = await dd.linksUsingInstance(Number(id));
      if (users.length > 0) {
        const names = await Promise.all(users.slice(0, 10).map(async (l) => (l.product ? `product "${(await dd.getProduct(l.product)).name}"` : `engagement ${l.engagement}`) + ` (project ${l.project_key || "-"})`));
        throw new Refusal(`refusing to delete JiraInstance ${props.name}: ${users.length} link(s) still use it: ${names.join(", ")}${users.length > 10 ? ", …" : ""}. Remove or repoint those links first`);
      }
      await dd.deleteInstance(Number(id));
    },
  };
}
