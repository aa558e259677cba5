import { createHash } from "node:crypto";
import type { JiraInstanceSpec, JiraWebhook, SecretRef } from "../../schema/config-types.js";
import { fingerprint, fingerprintFor } from "../fingerprint.js";
import { DEFECTDOJO_EVENTS, JiraWebhooks, type JiraWebhookRecord } from "../client/jira-webhooks.js";
import { Refusal } from "../refusal.js";
import type { ProviderContext } from "./context.js";
import type { OwnedTable } from "./ownership.js";
import type { ResourceLogic } from "./logic.js";
import { Secret } from "../secret.js";
import { validateUnlessLinted } from "../lint-digest.js";
import { optionFailures } from "../safety-options.js";
import { containsUnknown } from "../unknown.js";
import { waiversChanged } from "./spec-diff.js";
import { printable } from "../../text/printable.js";

type Spec = JiraWebhook["spec"];

export interface JiraWebhookInputs {
  name: string;
  /** Lint rules the document waives with a reasoned suppression. */
  waivedRules?: string[];
  /** The root program's digest of a document its lint passed (lint-digest.ts); never kept in state. */
  linted?: string;
  spec: Spec;
  /** The Jira site and its credentials (references), from the JiraInstance document. */
  jira: Pick<JiraInstanceSpec, "url" | "username" | "password" | "authKind">;
  /** The webhook secret (a reference), from the JiraSettings document. */
  webhookSecret: SecretRef;
  adopt?: boolean;
  urlSalt?: string;
  /** Keyed fingerprint of the full webhook URL (fingerprint.ts): the URL carries the secret, so state never holds it. */
  urlFingerprint?: string;
}

export interface JiraWebhookOutputs extends JiraWebhookInputs {
  webhookId: number;
}

const webhookName = (spec: Spec) => spec.webhookName ?? "DefectDojo";
/** A Jira site's URL as one spelling: scheme and host in lower case, no default port, no trailing slash. */
function siteOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, "")}`;
  } catch {
    return url.replace(/\/+$/, "");
  }
}
const WEBHOOKS = "jira_webhooks ";
/** A webhook's `self` as the claims journal keeps it: hashed, since a hostile Jira could put anything there. */
const identityOf = (hook: JiraWebhookRecord) => createHash("sha256").update(hook.self).digest("hex");
/** Whose webhooks: ids are per Jira site. */
const webhooksOf = (jira: JiraWebhookInputs["jira"]): OwnedTable => `${WEBHOOKS}${siteOf(jira.url)}`;

export function jiraWebhook(context: ProviderContext): ResourceLogic {
  const site = (inputs: JiraWebhookInputs) =>
    new JiraWebhooks({
      url: inputs.jira.url,
      username: inputs.jira.username,
      password: context.settings.resolve(inputs.jira.password, `JiraWebhook ${inputs.name}: the JiraInstance password`),
      bearer: inputs.jira.authKind === "dataCenterPat",
    });
  const key = () => context.settings.fingerprintKey();
  const webhookUrl = (inputs: JiraWebhookInputs) =>
    new Secret(`${inputs.spec.defectDojoUrl.replace(/\/+$/, "")}/jira/webhook/${context.settings.resolve(inputs.webhookSecret, `JiraWebhook ${inputs.name}: the webhook secret`).reveal()}`);
  const desired = (inputs: JiraWebhookInputs) => ({ name: webhookName(inputs.spec), url: webhookUrl(inputs), events: DEFECTDOJO_EVENTS, jql: inputs.spec.jql, enabled: inputs.spec.enabled ?? true });
  const same = (a: Spec, b: Spec) => webhookName(a) === webhookName(b) && a.jql === b.jql && (a.enabled ?? true) === (b.enabled ?? true);

  /**
   * Who manages this very webhook under another spelling of its site (`localhost` for `127.0.0.1`):
   * a resource of this deployment that adopted or keeps the same id there. Jira names a webhook by
   * its own base URL (`self`), whatever host name it was asked by: the webhook is one when its
   * `self` through the old site is the one the adoption saw, or the one the keeper's site answers
   * now. Two Jiras that merely share an id each keep their own; a site that cannot be asked fails
   * the delete, to be tried again.
   */
  async function sameWebhookElsewhere(props: JiraWebhookOutputs, id: number): Promise<string | undefined> {
    const claims = context.claims.elsewhereInFamily(WEBHOOKS, webhooksOf(props.jira), id);
    if (claims.length === 0) return undefined;
    const live = await site(props).get(id);
    if (!live) return undefined; // gone already: nothing to keep
    const identity = identityOf(live);
    for (const claim of claims) {
      if (claim.identity !== undefined) {
        if (claim.identity === identity) return claim.owner;
        continue;
      }
      const place = claim.place as JiraWebhookInputs["jira"] | undefined;
      if (!place) continue;
      const there = await site({ ...props, name: claim.owner, jira: place }).get(id);
      if (there && identityOf(there) === identity) return claim.owner;
    }
    return undefined;
  }

  return {
    async check(olds: JiraWebhookInputs, news: JiraWebhookInputs) {
      const failures = [...optionFailures(news), ...(await validateUnlessLinted("JiraWebhook", news.name, news.spec, news.waivedRules, news.linted))];
      if (failures.length > 0) return { failures };
      if (containsUnknown(news.webhookSecret) || containsUnknown(news.spec)) return { inputs: news };
      const print = fingerprintFor("webhookSecret", olds?.urlSalt, () => webhookUrl(news), key);
      return "failures" in print ? print : { inputs: { ...news, urlSalt: print.salt, urlFingerprint: print.fingerprint } };
    },

    async diff(id: string, olds: JiraWebhookOutputs, news: JiraWebhookInputs) {
      const table = webhooksOf(olds.jira);
      // Another site is another webhook, made before the old one goes: a site that cannot be reached
      // fails the create and leaves the working webhook. The same Jira under another name after all
      // is found by the create (adopted, or refused without adopt), and the old name's delete leaves it.
      const replaces = siteOf(olds.jira.url) !== siteOf(news.jira.url) ? ["jira.url"] : [];
      // The old webhook is left, as a moving link's (jira-link.ts).
      if (replaces.length === 0) context.claims.claimDeclared(table, Number(id), news.name, "its Jira webhook");
      else context.claims.leaving(table, Number(id), news.name);
      const changes = replaces.length > 0 || olds.jira.url !== news.jira.url || !same(olds.spec, news.spec) || olds.urlFingerprint !== news.urlFingerprint || Boolean(olds.adopt) !== Boolean(news.adopt) || waiversChanged(olds, news);
      // Where to ask for it again: the site and its user, the password as the reference it is.
      if (replaces.length === 0) context.claims.keep(table, Number(id), news.name, olds.jira);
      return { changes, replaces };
    },

    async create(inputs: JiraWebhookInputs) {
      const jira = site(inputs);
      const existing = (await jira.list()).filter((w) => w.name === webhookName(inputs.spec));
      let hook: JiraWebhookRecord;
      if (existing[0]) {
        if (inputs.adopt !== true) throw new Refusal(`JiraWebhook ${inputs.name}: Jira already has a webhook named "${webhookName(inputs.spec)}" (id ${existing[0].id}). To manage it from this config, set options.adopt: true; or choose another webhookName`);
        context.claims.refuseAdoptionIfOwned(webhooksOf(inputs.jira), existing[0].id, inputs.name, `Jira's webhook "${printable(webhookName(inputs.spec))}"`);
        context.claims.adopted(webhooksOf(inputs.jira), existing[0].id, inputs.name, identityOf(existing[0]));
        hook = await jira.save(desired(inputs), existing[0].id);
      } else {
        hook = await jira.save(desired(inputs));
        context.claims.claim(webhooksOf(inputs.jira), hook.id, inputs.name);
      }
      return { id: String(hook.id), outs: { ...inputs, webhookId: hook.id } satisfies JiraWebhookOutputs };
    },

    async read(id: string, props: JiraWebhookOutputs) {
      const hook = await site(props).get(Number(id));
      if (!hook) return {};
      const spec: Spec = { ...props.spec, jql: hook.jql, enabled: hook.enabled };
      if (hook.name !== webhookName(props.spec)) spec.webhookName = hook.name;
      if (spec.jql === undefined) delete spec.jql;
      const inputs: JiraWebhookInputs = { ...props, spec, urlFingerprint: props.urlSalt ? fingerprint(hook.url, props.urlSalt, key()) : undefined };
      delete (inputs as Partial<JiraWebhookOutputs>).webhookId;
      return { id, props: { ...inputs, webhookId: hook.id }, inputs };
    },

    async update(id: string, _olds: JiraWebhookOutputs, news: JiraWebhookInputs) {
      await site(news).save(desired(news), Number(id));
      return { outs: { ...news, webhookId: Number(id) } satisfies JiraWebhookOutputs };
    },

    async delete(id: string, props: JiraWebhookOutputs) {
      const table = webhooksOf(props.jira);
      const owner = context.claims.keeperOf(table, Number(id), props.name) ?? (await sameWebhookElsewhere(props, Number(id)));
      if (owner !== undefined) {
        // A rename without renamedFrom: the new name adopted this very webhook, which must stay.
        context.notice(`JiraWebhook ${props.name} left the stack; its Jira webhook (id ${id}) stays, managed by ${printable(owner)}`);
        return;
      }
      await site(props).delete(Number(id));
      context.claims.release(table, Number(id));
    },
  };
}
