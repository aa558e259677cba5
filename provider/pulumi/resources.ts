import * as pulumi from "@pulumi/pulumi";
import type { EngagementJiraLink as EngagementLinkDocument, JiraInstanceSpec, JiraSettings as JiraSettingsDocument, JiraWebhook as JiraWebhookDocument, ProductJiraLink as ProductLinkDocument, SecretRef } from "../../schema/config-types.js";
import { requireSecretReferences } from "./secret-config.js";
import { thinProvider } from "./thin-provider.js";

// One provider object per kind: Pulumi serializes each object once (it caches by object).
const instanceProvider = thinProvider("JiraInstance");
const productLinkProvider = thinProvider("ProductJiraLink");
const engagementLinkProvider = thinProvider("EngagementJiraLink");
const settingsProvider = thinProvider("JiraSettings");
const webhookProvider = thinProvider("JiraWebhook");
const MODULE = "defectdojo-jira";

export interface JiraInstanceArgs {
  /**
   * The instance as in a `JiraInstance` document's `spec` (see schema/defectdojo-jira.schema.json).
   * `password` is a reference (`{ fromConfig }` / `{ fromEnv }`) resolved inside the provider: the
   * secret never becomes an input, and state keeps only a salted fingerprint. Every field updates in
   * place; none forces a replacement.
   */
  spec: pulumi.Input<JiraInstanceSpec>;
  /** Take over an existing instance with the same configuration name instead of failing (Pulumi cannot import dynamic resources). */
  adopt?: pulumi.Input<boolean>;
  /** Lint rules waived for this resource (the root program passes the document's reasoned suppressions). */
  waivedRules?: string[];
}

/** A DefectDojo Jira configuration (`/api/v2/jira_instances/`). */
export class JiraInstance extends pulumi.dynamic.Resource {
  /** DefectDojo's id of the instance. */
  declare readonly dojoId: pulumi.Output<number>;
  declare readonly spec: pulumi.Output<JiraInstanceSpec>;

  constructor(name: string, args: JiraInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(instanceProvider, name, { name, spec: requireSecretReferences(args.spec, `JiraInstance ${name}: spec.password`), adopt: args.adopt, waivedRules: args.waivedRules, dojoId: undefined, passwordSalt: undefined, passwordFingerprint: undefined }, opts, MODULE, "JiraInstance");
  }
}

interface LinkArgs<Spec> {
  /** The link as in the document's `spec`; `spec.instance` is informational here, `instance` decides. */
  spec: pulumi.Input<Spec>;
  /** The JiraInstance this link uses. Changing it updates the link in place. */
  instance: JiraInstance;
  /** Take over the product's (engagement's) existing link instead of failing. */
  adopt?: pulumi.Input<boolean>;
  /**
   * Allow delete and replace while finding-to-Jira-issue mappings exist under the link. DefectDojo
   * then deletes every mapping: findings lose their Jira link for good. Prefer `spec.enabled: false`.
   * Must be applied (pulumi up) before the delete it is meant to allow.
   */
  allowDeleteWithJiraIssues?: pulumi.Input<boolean>;
  /** Lint rules waived for this resource. */
  waivedRules?: string[];
}

export type ProductJiraLinkArgs = LinkArgs<ProductLinkDocument["spec"]>;
export type EngagementJiraLinkArgs = LinkArgs<EngagementLinkDocument["spec"]>;

function linkProps<Spec>(name: string, args: LinkArgs<Spec>) {
  return { name, spec: args.spec, waivedRules: args.waivedRules, instanceId: args.instance.dojoId, adopt: args.adopt, allowDeleteWithJiraIssues: args.allowDeleteWithJiraIssues, dojoId: undefined, targetId: undefined };
}

/** Links a DefectDojo product to a Jira project. Changing the product replaces the link (delete first, refused while issues exist). */
export class ProductJiraLink extends pulumi.dynamic.Resource {
  declare readonly dojoId: pulumi.Output<number>;
  /** DefectDojo's id of the product. */
  declare readonly targetId: pulumi.Output<number>;

  constructor(name: string, args: ProductJiraLinkArgs, opts?: pulumi.CustomResourceOptions) {
    super(productLinkProvider, name, linkProps(name, args), { ...opts, dependsOn: opts?.dependsOn ?? args.instance }, MODULE, "ProductJiraLink");
  }
}

/** Links one engagement to a Jira project, overriding its product's link. */
export class EngagementJiraLink extends pulumi.dynamic.Resource {
  declare readonly dojoId: pulumi.Output<number>;
  /** DefectDojo's id of the engagement. */
  declare readonly targetId: pulumi.Output<number>;

  constructor(name: string, args: EngagementJiraLinkArgs, opts?: pulumi.CustomResourceOptions) {
    super(engagementLinkProvider, name, linkProps(name, args), { ...opts, dependsOn: opts?.dependsOn ?? args.instance }, MODULE, "EngagementJiraLink");
  }
}

export interface JiraSettingsArgs {
  /** The Jira part of System Settings; only the fields given are managed. `webhookSecret` is a reference. */
  spec: pulumi.Input<JiraSettingsDocument["spec"]>;
  /** Take over settings whose Jira is already switched on (by hand, or by another stack) instead of failing. */
  adopt?: pulumi.Input<boolean>;
  /** On delete, switch Jira off (by default a delete leaves DefectDojo's settings as they are). */
  disableJiraOnDelete?: pulumi.Input<boolean>;
  /** Lint rules waived for this resource. */
  waivedRules?: string[];
}

/** DefectDojo's System Settings, Jira part: a singleton that create adopts. */
export class JiraSettings extends pulumi.dynamic.Resource {
  declare readonly settingsId: pulumi.Output<number>;

  constructor(name: string, args: JiraSettingsArgs, opts?: pulumi.CustomResourceOptions) {
    super(settingsProvider, name, { name, spec: requireSecretReferences(args.spec, `JiraSettings ${name}: spec.webhookSecret`), waivedRules: args.waivedRules, adopt: args.adopt, disableJiraOnDelete: args.disableJiraOnDelete, settingsId: undefined, secretSalt: undefined, secretFingerprint: undefined }, opts, MODULE, "JiraSettings");
  }
}

export interface JiraWebhookArgs {
  /** Name, JQL scope and enabled flag of the webhook, and DefectDojo's URL as Jira reaches it. */
  spec: pulumi.Input<JiraWebhookDocument["spec"]>;
  /** The Jira site the webhook is registered in, with admin credentials (references). Changing the site replaces the webhook. */
  jira: pulumi.Input<Pick<JiraInstanceSpec, "url" | "username" | "password" | "authKind">>;
  /** The webhook secret DefectDojo checks (a reference, as in JiraSettings). A rotation updates the webhook. */
  webhookSecret: pulumi.Input<SecretRef>;
  settings: JiraSettings;
  adopt?: pulumi.Input<boolean>;
  /** Lint rules waived for this resource. */
  waivedRules?: string[];
}

/** The webhook in Jira that sends comments and resolutions to DefectDojo. Its URL (it carries the secret) is never stored. */
export class JiraWebhook extends pulumi.dynamic.Resource {
  declare readonly webhookId: pulumi.Output<number>;

  constructor(name: string, args: JiraWebhookArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      webhookProvider,
      name,
      { name, spec: args.spec, waivedRules: args.waivedRules, jira: requireSecretReferences(args.jira, `JiraWebhook ${name}: the Jira password`), webhookSecret: requireSecretReferences(args.webhookSecret, `JiraWebhook ${name}: the webhook secret`), adopt: args.adopt, webhookId: undefined, urlSalt: undefined, urlFingerprint: undefined },
      { ...opts, dependsOn: opts?.dependsOn ?? args.settings },
      MODULE,
      "JiraWebhook",
    );
  }
}
