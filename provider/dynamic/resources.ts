import type * as pulumi from "@pulumi/pulumi";
// The SDK's parts this module uses, not its index: the index also loads the Automation API and what
// it needs (580 modules, about 0.3 s of a deployment's serial start) that a Pulumi program never uses.
import { CustomResource } from "@pulumi/pulumi/resource.js";
import type { EngagementJiraLink as EngagementLinkDocument, JiraInstanceSpec, JiraSettings as JiraSettingsDocument, JiraWebhook as JiraWebhookDocument, ProductJiraLink as ProductLinkDocument, SecretRef } from "../../schema/config-types.js";
import type { ResourceKind } from "./runtime.js";
import { requireSecretReferences } from "./secret-config.js";
import { dynamicType, providerSource } from "./thin-provider.js";

/**
 * What `pulumi.dynamic.Resource` registers (type `pulumi-nodejs:dynamic/<module>:<type>`, served by
 * the same dynamic-provider host), with a `__provider` of our own writing instead of a closure
 * serialized per kind: a few hundred bytes of state less per copy, and no serializer run.
 */
abstract class DynamicResource extends CustomResource {
  /**
   * `exposed`: the outputs the class declares. Only those and the inputs that have a value become
   * properties: the SDK makes an Output, with its promises, for every key it is given, while an
   * undefined input is never sent and an undeclared output is kept in state all the same.
   */
  constructor(kind: ResourceKind, name: string, inputs: pulumi.Inputs, exposed: readonly string[], opts?: pulumi.CustomResourceOptions) {
    const props: pulumi.Inputs = { __provider: providerSource(kind) };
    for (const [key, value] of Object.entries(inputs)) if (value !== undefined) props[key] = value;
    for (const key of exposed) props[key] ??= undefined;
    // The SDK keeps the constructor's call stack as the resource's source position, in state and in
    // every registration. Here that stack is this file, never the document in the config tree, so
    // it is left empty: about 0.2 KB of state per resource, and a full stack rendered through
    // source-map-support for each one.
    const prepare = Error.prepareStackTrace;
    Error.prepareStackTrace = () => "";
    try {
      super(dynamicType(kind), name, props, opts);
    } finally {
      Error.prepareStackTrace = prepare;
    }
  }
}

/** What the root program passes along with every document whose lint it ran. */
export interface LintedArgs {
  /** Lint rules waived for this resource (the root program passes the document's reasoned suppressions). */
  waivedRules?: string[];
  /** Set by the root program for a document its lint passed: check then skips linting it again (lint-digest.ts). */
  linted?: string;
}

export interface JiraInstanceArgs extends LintedArgs {
  /**
   * The instance as in a `JiraInstance` document's `spec` (see schema/defectdojo-jira.schema.json).
   * `password` is a reference (`{ fromConfig }` / `{ fromEnv }`) resolved inside the provider: the
   * secret never becomes an input, and state keeps only a salted fingerprint. Every field updates in
   * place; none forces a replacement.
   */
  spec: pulumi.Input<JiraInstanceSpec>;
  /** Take over an existing instance with the same configuration name instead of failing (Pulumi cannot import dynamic resources). */
  adopt?: pulumi.Input<boolean>;
}

/**
 * How a resource's secret references are vetted: `requireSecretReferences` (an Output, for inputs that
 * may be Outputs) in the classes below, `checkSecretReferences` (the value at hand) in the root program.
 */
export type SecretReferenceCheck = <T>(value: T, what: string) => T | pulumi.Output<T>;

/** The inputs of a JiraInstance besides `__provider`, as the class and the root program (declare.ts) register them. */
export function instanceInputs(name: string, args: JiraInstanceArgs, vet: SecretReferenceCheck = requireSecretReferences): pulumi.Inputs {
  return { name, spec: vet(args.spec, `JiraInstance ${name}: spec.password`), adopt: args.adopt, waivedRules: args.waivedRules, linted: args.linted };
}

/** A DefectDojo Jira configuration (`/api/v2/jira_instances/`). */
export class JiraInstance extends DynamicResource {
  /** DefectDojo's id of the instance. */
  declare readonly dojoId: pulumi.Output<number>;
  declare readonly spec: pulumi.Output<JiraInstanceSpec>;

  constructor(name: string, args: JiraInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super("JiraInstance", name, instanceInputs(name, args), ["dojoId", "spec"], opts);
  }
}

/** What a link takes besides its instance, which the class gets as a resource and the root program as a declared one. */
export interface LinkInputArgs<Spec> extends LintedArgs {
  /** The link as in the document's `spec`; `spec.instance` is informational here, `instance` decides. */
  spec: pulumi.Input<Spec>;
  /** Take over the product's (engagement's) existing link instead of failing. */
  adopt?: pulumi.Input<boolean>;
  /**
   * Allow delete and replace while finding-to-Jira-issue mappings exist under the link. DefectDojo
   * then deletes every mapping: findings lose their Jira link for good. Prefer `spec.enabled: false`.
   * Must be applied (pulumi up) before the delete it is meant to allow.
   */
  allowDeleteWithJiraIssues?: pulumi.Input<boolean>;
}

interface LinkArgs<Spec> extends LinkInputArgs<Spec> {
  /** The JiraInstance this link uses. Changing it updates the link in place. */
  instance: JiraInstance;
}

export type ProductJiraLinkArgs = LinkArgs<ProductLinkDocument["spec"]>;
export type EngagementJiraLinkArgs = LinkArgs<EngagementLinkDocument["spec"]>;

/** The inputs of a link besides `__provider` and `instanceId` (its instance's `dojoId`). */
export function linkInputs<Spec>(name: string, args: LinkInputArgs<Spec>): pulumi.Inputs {
  return { name, spec: args.spec, waivedRules: args.waivedRules, linted: args.linted, adopt: args.adopt, allowDeleteWithJiraIssues: args.allowDeleteWithJiraIssues };
}
const linkProps = <Spec>(name: string, args: LinkArgs<Spec>) => ({ ...linkInputs(name, args), instanceId: args.instance.dojoId });
const LINK_OUTPUTS = ["dojoId", "targetId"] as const;

/** Links a DefectDojo product to a Jira project. Changing the product replaces the link (delete first, refused while issues exist). */
export class ProductJiraLink extends DynamicResource {
  declare readonly dojoId: pulumi.Output<number>;
  /** DefectDojo's id of the product. */
  declare readonly targetId: pulumi.Output<number>;

  constructor(name: string, args: ProductJiraLinkArgs, opts?: pulumi.CustomResourceOptions) {
    super("ProductJiraLink", name, linkProps(name, args), LINK_OUTPUTS, { ...opts, dependsOn: opts?.dependsOn ?? args.instance });
  }
}

/** Links one engagement to a Jira project, overriding its product's link. */
export class EngagementJiraLink extends DynamicResource {
  declare readonly dojoId: pulumi.Output<number>;
  /** DefectDojo's id of the engagement. */
  declare readonly targetId: pulumi.Output<number>;

  constructor(name: string, args: EngagementJiraLinkArgs, opts?: pulumi.CustomResourceOptions) {
    super("EngagementJiraLink", name, linkProps(name, args), LINK_OUTPUTS, { ...opts, dependsOn: opts?.dependsOn ?? args.instance });
  }
}

export interface JiraSettingsArgs extends LintedArgs {
  /** The Jira part of System Settings; only the fields given are managed. `webhookSecret` is a reference. */
  spec: pulumi.Input<JiraSettingsDocument["spec"]>;
  /** Take over settings whose Jira is already switched on (by hand, or by another stack) instead of failing. */
  adopt?: pulumi.Input<boolean>;
  /** On delete, switch Jira off (by default a delete leaves DefectDojo's settings as they are). */
  disableJiraOnDelete?: pulumi.Input<boolean>;
}

/** The inputs of a JiraSettings besides `__provider`. */
export function settingsInputs(name: string, args: JiraSettingsArgs, vet: SecretReferenceCheck = requireSecretReferences): pulumi.Inputs {
  return { name, spec: vet(args.spec, `JiraSettings ${name}: spec.webhookSecret`), waivedRules: args.waivedRules, linted: args.linted, adopt: args.adopt, disableJiraOnDelete: args.disableJiraOnDelete };
}

/** DefectDojo's System Settings, Jira part: a singleton that create adopts. */
export class JiraSettings extends DynamicResource {
  declare readonly settingsId: pulumi.Output<number>;

  constructor(name: string, args: JiraSettingsArgs, opts?: pulumi.CustomResourceOptions) {
    super("JiraSettings", name, settingsInputs(name, args), ["settingsId"], opts);
  }
}

/** What a webhook takes besides its settings, which the class gets as a resource and the root program as a declared one. */
export interface JiraWebhookInputArgs extends LintedArgs {
  /** Name, JQL scope and enabled flag of the webhook, and DefectDojo's URL as Jira reaches it. */
  spec: pulumi.Input<JiraWebhookDocument["spec"]>;
  /** The Jira site the webhook is registered in, with admin credentials (references). Changing the site replaces the webhook. */
  jira: pulumi.Input<Pick<JiraInstanceSpec, "url" | "username" | "password" | "authKind">>;
  /** The webhook secret DefectDojo checks (a reference, as in JiraSettings). A rotation updates the webhook. */
  webhookSecret: pulumi.Input<SecretRef>;
  adopt?: pulumi.Input<boolean>;
}

export interface JiraWebhookArgs extends JiraWebhookInputArgs {
  settings: JiraSettings;
}

/** The inputs of a JiraWebhook besides `__provider`. */
export function webhookInputs(name: string, args: JiraWebhookInputArgs, vet: SecretReferenceCheck = requireSecretReferences): pulumi.Inputs {
  return { name, spec: args.spec, waivedRules: args.waivedRules, linted: args.linted, jira: vet(args.jira, `JiraWebhook ${name}: the Jira password`), webhookSecret: vet(args.webhookSecret, `JiraWebhook ${name}: the webhook secret`), adopt: args.adopt };
}

/** The webhook in Jira that sends comments and resolutions to DefectDojo. Its URL (it carries the secret) is never stored. */
export class JiraWebhook extends DynamicResource {
  declare readonly webhookId: pulumi.Output<number>;

  constructor(name: string, args: JiraWebhookArgs, opts?: pulumi.CustomResourceOptions) {
    super("JiraWebhook", name, webhookInputs(name, args), ["webhookId"], { ...opts, dependsOn: opts?.dependsOn ?? args.settings });
  }
}
