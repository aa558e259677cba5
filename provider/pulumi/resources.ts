import * as pulumi from "@pulumi/pulumi";
import type { EngagementJiraLink as EngagementLinkDocument, JiraInstanceSpec, ProductJiraLink as ProductLinkDocument } from "../../schema/config-types.js";
import { thinProvider } from "./thin-provider.js";

// One provider object per kind: Pulumi serializes each object once (it caches by object).
const instanceProvider = thinProvider("JiraInstance");
const productLinkProvider = thinProvider("ProductJiraLink");
const engagementLinkProvider = thinProvider("EngagementJiraLink");
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
}

/** A DefectDojo Jira configuration (`/api/v2/jira_instances/`). */
export class JiraInstance extends pulumi.dynamic.Resource {
  /** DefectDojo's id of the instance. */
  declare readonly dojoId: pulumi.Output<number>;
  declare readonly spec: pulumi.Output<JiraInstanceSpec>;

  constructor(name: string, args: JiraInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(instanceProvider, name, { name, spec: args.spec, adopt: args.adopt, dojoId: undefined, passwordSalt: undefined, passwordFingerprint: undefined }, opts, MODULE, "JiraInstance");
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
}

export type ProductJiraLinkArgs = LinkArgs<ProductLinkDocument["spec"]>;
export type EngagementJiraLinkArgs = LinkArgs<EngagementLinkDocument["spec"]>;

function linkProps<Spec>(name: string, args: LinkArgs<Spec>) {
  return { name, spec: args.spec, instanceId: args.instance.dojoId, adopt: args.adopt, allowDeleteWithJiraIssues: args.allowDeleteWithJiraIssues, dojoId: undefined, targetId: undefined };
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
