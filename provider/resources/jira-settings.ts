import type { JiraSettings } from "../../schema/config-types.js";
import { settingsFieldsNamedIn } from "../client/mapping.js";
import { fingerprint, fingerprintFor } from "../fingerprint.js";
import { Refusal } from "../refusal.js";
import { printable } from "../../text/printable.js";
import type { ProviderContext } from "./context.js";
import type { ResourceLogic } from "./logic.js";
import { Secret } from "../secret.js";
import { validateUnlessLinted } from "../lint-digest.js";
import { optionFailures } from "../safety-options.js";
import { containsUnknown } from "../unknown.js";
import { changedPaths, patchFor, specFromLive, waiversChanged, type FieldTable } from "./spec-diff.js";

type Spec = JiraSettings["spec"];

export interface JiraSettingsInputs {
  name: string;
  /** Lint rules the document waives with a reasoned suppression. */
  waivedRules?: string[];
  /** The root program's digest of a document its lint passed (lint-digest.ts); never kept in state. */
  linted?: string;
  spec: Spec;
  /** Take over a settings row whose Jira is already switched on (by hand, or by another stack). */
  adopt?: boolean;
  disableJiraOnDelete?: boolean;
  secretSalt?: string;
  /** Keyed fingerprint of the webhook secret (fingerprint.ts): DefectDojo returns the secret in clear, state never holds it. */
  secretFingerprint?: string;
}

export interface JiraSettingsOutputs extends JiraSettingsInputs {
  settingsId: number;
}

const named = (spec: Spec) => settingsFieldsNamedIn(spec) as FieldTable<Spec>;

export function jiraSettings(context: ProviderContext): ResourceLogic {
  const key = () => context.settings.fingerprintKey();
  const secretOf = (inputs: JiraSettingsInputs) => (inputs.spec.webhookSecret ? context.settings.resolve(inputs.spec.webhookSecret, `JiraSettings ${inputs.name}: spec.webhookSecret`) : undefined);

  async function apply(id: number, inputs: JiraSettingsInputs, live: Record<string, unknown>, previous?: Spec): Promise<void> {
    const table = named(inputs.spec);
    const paths = previous ? changedPaths(table, previous, inputs.spec) : Object.keys(table).filter((p) => JSON.stringify(table[p]!.toApi(inputs.spec)) !== JSON.stringify(live[table[p]!.api]));
    const patch = patchFor(table, paths, inputs.spec);
    const secret = secretOf(inputs);
    if (secret && secret.reveal() !== live.jira_webhook_secret) patch.jira_webhook_secret = secret;
    if (Object.keys(patch).length > 0) await context.client().patchSystemSettings(id, patch);
  }

  return {
    async check(olds: JiraSettingsInputs, news: JiraSettingsInputs) {
      const failures = [...optionFailures(news), ...(await validateUnlessLinted("JiraSettings", news.name, news.spec, news.waivedRules, news.linted))];
      if (failures.length > 0) return { failures };
      if (!news.spec.webhookSecret || containsUnknown(news.spec.webhookSecret)) return { inputs: news };
      const print = fingerprintFor("spec.webhookSecret", olds?.secretSalt, () => {
        const secret = secretOf(news)!;
        if (secret.reveal().length > 64) throw new Error("the webhook secret is longer than the 64 characters DefectDojo stores");
        return secret;
      }, key);
      return "failures" in print ? print : { inputs: { ...news, secretSalt: print.salt, secretFingerprint: print.fingerprint } };
    },

    async diff(id: string, olds: JiraSettingsOutputs, news: JiraSettingsInputs) {
      context.claims.claimDeclared("system_settings", Number(id), news.name, "DefectDojo's System Settings");
      context.claims.keep("system_settings", Number(id), news.name); // the one row, never replaced
      const changes = changedPaths(named(news.spec), olds.spec, news.spec).length > 0 || olds.secretFingerprint !== news.secretFingerprint || Boolean(olds.disableJiraOnDelete) !== Boolean(news.disableJiraOnDelete) || Boolean(olds.adopt) !== Boolean(news.adopt) || waiversChanged(olds, news);
      return { changes };
    },

    /**
     * A singleton: "create" takes over the one settings row and sets the named fields. The same
     * ownership rule as every kind: a row whose Jira is already on was set up by someone (a person,
     * another stack), so taking it over needs options.adopt.
     */
    async create(inputs: JiraSettingsInputs) {
      const live = await context.client().getSystemSettings();
      if (live.enable_jira === true && inputs.adopt !== true) {
        throw new Refusal(`JiraSettings ${inputs.name}: Jira is already switched on in DefectDojo's System Settings (by hand, or by another stack). To manage these settings from this config, set options.adopt: true (Pulumi cannot import dynamic resources)`);
      }
      context.claims.refuseAdoptionIfOwned("system_settings", live.id, inputs.name, "DefectDojo's System Settings");
      context.claims.adopted("system_settings", live.id, inputs.name); // the one row always exists
      await apply(live.id, inputs, live);
      context.claims.claim("system_settings", live.id, inputs.name);
      return { id: String(live.id), outs: { ...inputs, settingsId: live.id } satisfies JiraSettingsOutputs };
    },

    async read(id: string, props: JiraSettingsOutputs) {
      const live = await context.client().getSystemSettings();
      const spec = specFromLive(named(props.spec), props.spec, live);
      const liveSecret = typeof live.jira_webhook_secret === "string" && props.secretSalt ? fingerprint(new Secret(live.jira_webhook_secret), props.secretSalt, key()) : undefined;
      const inputs: JiraSettingsInputs = { ...props, spec, secretFingerprint: props.spec.webhookSecret ? liveSecret : undefined };
      delete (inputs as Partial<JiraSettingsOutputs>).settingsId;
      return { id, props: { ...inputs, settingsId: live.id }, inputs };
    },

    async update(id: string, olds: JiraSettingsOutputs, news: JiraSettingsInputs) {
      const live = await context.client().getSystemSettings();
      await apply(Number(id), news, live, olds.spec);
      return { outs: { ...news, settingsId: Number(id) } satisfies JiraSettingsOutputs };
    },

    async delete(id: string, props: JiraSettingsOutputs) {
      const owner = context.claims.keeperOf("system_settings", Number(id), props.name);
      if (owner !== undefined) {
        context.notice(`JiraSettings ${props.name} left the stack; DefectDojo's settings stay as they are, managed by ${printable(owner)}`);
        return;
      }
      if (props.disableJiraOnDelete === true) {
        await context.client().patchSystemSettings(Number(id), { enable_jira: false });
        context.notice(`JiraSettings ${props.name} removed from the stack; Jira switched off in DefectDojo (options.disableJiraOnDelete)`);
      } else {
        context.notice(`JiraSettings ${props.name} removed from the stack; DefectDojo's settings were left as they are (set options.disableJiraOnDelete to switch Jira off)`);
      }
    },
  };
}
