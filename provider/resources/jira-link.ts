import type * as dynamic from "@pulumi/pulumi/dynamic/index.js";
import type { EngagementJiraLink, LinkFields, ProductJiraLink } from "../../schema/config-types.js";
import type { ApiJiraProject } from "../client/api-types.js";
import { DefectDojoError } from "../client/errors.js";
import { changedFields, linkToApi, LINK_FIELDS, stableJson } from "../client/mapping.js";
import { Refusal } from "../refusal.js";
import type { ProviderContext } from "../runtime.js";
import { containsUnknown, validateSpec } from "../validate.js";
import { changedPaths, patchFor, specFromLive, type FieldTable } from "./spec-diff.js";

type LinkSpec = ProductJiraLink["spec"] | EngagementJiraLink["spec"];
type LinkKind = "ProductJiraLink" | "EngagementJiraLink";

export interface JiraLinkInputs {
  name: string;
  /** Lint rules the document waives with a reasoned suppression. */
  waivedRules?: string[];
  spec: LinkSpec;
  /** DefectDojo id of the JiraInstance (an output of that resource). */
  instanceId: number;
  adopt?: boolean;
  allowDeleteWithJiraIssues?: boolean;
}

export interface JiraLinkOutputs extends JiraLinkInputs {
  dojoId: number;
  /** DefectDojo id of the product or engagement, resolved from the name at create. */
  targetId: number;
}

const FIELDS = LINK_FIELDS as FieldTable<LinkFields>;

export const productJiraLink = (context: ProviderContext) => jiraLink(context, "ProductJiraLink");
export const engagementJiraLink = (context: ProviderContext) => jiraLink(context, "EngagementJiraLink");

function jiraLink(context: ProviderContext, kind: LinkKind): dynamic.ResourceProvider {
  const field = kind === "ProductJiraLink" ? "product" : "engagement";
  const describe = (spec: LinkSpec) => {
    if ("product" in spec) return typeof spec.product === "string" ? `product "${spec.product}"` : `product id ${spec.product.id}`;
    return "name" in spec.engagement ? `engagement "${spec.engagement.name}" of product "${spec.engagement.product}"` : `engagement id ${spec.engagement.id}`;
  };

  /** Product or engagement id from its name; links never create what they point at. */
  async function resolveTarget(spec: LinkSpec): Promise<number> {
    const dd = context.client();
    if ("product" in spec) {
      if (typeof spec.product !== "string") return spec.product.id;
      const product = await context.cache.productByName(spec.product);
      if (!product) throw new Refusal(`${describe(spec)} does not exist in DefectDojo; create the product first (links never create products)`);
      return product.id;
    }
    if ("id" in spec.engagement) return spec.engagement.id;
    const product = await context.cache.productByName(spec.engagement.product);
    const engagement = product && (await dd.findEngagement(product.id, spec.engagement.name));
    if (!engagement) throw new Refusal(`${describe(spec)} does not exist in DefectDojo; create it first`);
    return engagement.id;
  }

  const body = (inputs: JiraLinkInputs, targetId: number) => ({ ...linkToApi(inputs.spec), jira_instance: inputs.instanceId, [field]: targetId });
  const targetOf = (spec: LinkSpec) => stableJson("product" in spec ? spec.product : spec.engagement);

  return {
    async check(_olds: JiraLinkInputs, news: JiraLinkInputs) {
      const failures = validateSpec(kind, news.name, news.spec);
      return failures.length > 0 ? { failures } : { inputs: news };
    },

    async diff(_id: string, olds: JiraLinkOutputs, news: JiraLinkInputs) {
      // Moving a link to another product or engagement is a new DefectDojo object: replace, deleting
      // first, so that delete safety runs before anything new exists.
      const replaces = targetOf(olds.spec) !== targetOf(news.spec) ? [`spec.${field}`] : [];
      const changes = [
        ...replaces,
        ...changedPaths(FIELDS, olds.spec, news.spec),
        ...(containsUnknown(news.instanceId) || olds.instanceId !== news.instanceId ? ["instanceId"] : []),
        ...(Boolean(olds.adopt) !== Boolean(news.adopt) ? ["options.adopt"] : []),
        ...(olds.name !== news.name ? ["name"] : []), // a rename (alias) rewrites state, nothing in DefectDojo
        ...(Boolean(olds.allowDeleteWithJiraIssues) !== Boolean(news.allowDeleteWithJiraIssues) ? ["options.allowDeleteWithJiraIssues"] : []),
      ];
      return { changes: changes.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 };
    },

    async create(inputs: JiraLinkInputs) {
      const dd = context.client();
      const targetId = await resolveTarget(inputs.spec);
      const target = field === "product" ? { product: targetId } : { engagement: targetId };
      const existing = await context.cache.linksOf(target);
      const desired = body(inputs, targetId);
      let live: ApiJiraProject;
      if (existing.length > 1) {
        throw new Refusal(`${kind} ${inputs.name}: ${describe(inputs.spec)} has ${existing.length} Jira links in DefectDojo (ids ${existing.map((e) => e.id).join(", ")}), and DefectDojo silently uses only the first; remove the extra ones`);
      } else if (existing[0]) {
        if (!inputs.adopt) {
          throw new Refusal(`${kind} ${inputs.name}: ${describe(inputs.spec)} already has a Jira link in DefectDojo (id ${existing[0].id}, project ${existing[0].project_key || "-"}). To manage it from this config, set options.adopt: true (Pulumi cannot import dynamic resources)`);
        }
        const patch = changedFields(desired, existing[0]);
        live = Object.keys(patch).length > 0 ? await dd.patchLink(existing[0].id, patch) : existing[0];
      } else {
        live = await dd.createLink(desired);
        await context.cache.remember(live);
      }
      return { id: String(live.id), outs: { ...inputs, dojoId: live.id, targetId } satisfies JiraLinkOutputs };
    },

    async read(id: string, props: JiraLinkOutputs) {
      let live: ApiJiraProject;
      try {
        live = await context.client().getLink(Number(id));
      } catch (error) {
        if (error instanceof DefectDojoError && error.status === 404) return {};
        throw error;
      }
      const spec = specFromLive(FIELDS, props.spec, live as unknown as Record<string, unknown>) as LinkSpec;
      const inputs: JiraLinkInputs = { name: props.name, spec, instanceId: live.jira_instance ?? 0, adopt: props.adopt, allowDeleteWithJiraIssues: props.allowDeleteWithJiraIssues };
      return { id, props: { ...inputs, dojoId: live.id, targetId: props.targetId }, inputs };
    },

    async update(id: string, olds: JiraLinkOutputs, news: JiraLinkInputs) {
      const patch = patchFor(FIELDS, changedPaths(FIELDS, olds.spec, news.spec), news.spec);
      if (olds.instanceId !== news.instanceId) patch.jira_instance = news.instanceId;
      if (Object.keys(patch).length > 0) await context.client().patchLink(Number(id), patch);
      return { outs: { ...news, dojoId: Number(id), targetId: olds.targetId } satisfies JiraLinkOutputs };
    },

    async delete(id: string, props: JiraLinkOutputs) {
      const dd = context.client();
      if (!props.allowDeleteWithJiraIssues) {
        // Deleting a link cascades away every finding-to-issue mapping under it (reference §1.5).
        const issues = await dd.countJiraIssues(Number(id)).catch((error: unknown) => {
          if (error instanceof DefectDojoError && error.status === 404) return 0;
          throw error;
        });
        if (issues > 0) {
          throw new Refusal(
            `refusing to delete ${kind} ${props.name}: ${describe(props.spec)} has ${issues} finding${issues === 1 ? "" : "s"} linked to Jira issues in project ${props.spec.projectKey}, and deleting the link would erase those mappings for good (the Jira issues stay, the findings lose them). ` +
              `To disconnect safely, keep the document and set spec.enabled: false. To delete anyway, first apply options.allowDeleteWithJiraIssues: true on this link`,
          );
        }
      }
      await dd.deleteLink(Number(id));
      await context.cache.forget(Number(id));
    },
  };
}
