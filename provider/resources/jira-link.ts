import { setTimeout as sleep } from "node:timers/promises";
import type { EngagementJiraLink, LinkFields, ProductJiraLink } from "../../schema/config-types.js";
import type { ApiJiraProject } from "../client/api-types.js";
import { DefectDojoError } from "../client/errors.js";
import { linkToApi, LINK_FIELDS, stableJson } from "../client/mapping.js";
import { Refusal } from "../refusal.js";
import type { ProviderContext } from "./context.js";
import type { ResourceLogic } from "./logic.js";
import { validateUnlessLinted } from "../lint-digest.js";
import { optionFailures } from "../safety-options.js";
import { containsUnknown } from "../unknown.js";
import { printable } from "../../text/printable.js";
import { adoptionPatch, changedPaths, patchFor, specFromLive, waiversChanged, type FieldTable } from "./spec-diff.js";

type LinkSpec = ProductJiraLink["spec"] | EngagementJiraLink["spec"];
type LinkKind = "ProductJiraLink" | "EngagementJiraLink";

export interface JiraLinkInputs {
  name: string;
  /** Lint rules the document waives with a reasoned suppression. */
  waivedRules?: string[];
  /** The root program's digest of a document its lint passed (lint-digest.ts); never kept in state. */
  linted?: string;
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
/** DELETE attempts for a link, each after a fresh count of its mappings. */
const DELETE_ATTEMPTS = 6;

export const productJiraLink = (context: ProviderContext) => jiraLink(context, "ProductJiraLink");
export const engagementJiraLink = (context: ProviderContext) => jiraLink(context, "EngagementJiraLink");

function jiraLink(context: ProviderContext, kind: LinkKind): ResourceLogic {
  const field = kind === "ProductJiraLink" ? "product" : "engagement";
  const describe = (spec: LinkSpec) => {
    if ("product" in spec) return typeof spec.product === "string" ? `product "${printable(spec.product)}"` : `product id ${spec.product.id}`;
    return "name" in spec.engagement ? `engagement "${printable(spec.engagement.name)}" of product "${printable(spec.engagement.product)}"` : `engagement id ${spec.engagement.id}`;
  };

  /** Product or engagement id from its name (`fresh`: asking DefectDojo, not the snapshot); links never create what they point at. */
  async function resolveTarget(spec: LinkSpec, fresh = false): Promise<number> {
    const dd = context.client();
    if ("product" in spec) {
      if (typeof spec.product !== "string") {
        if (!(await context.cache.productExists(spec.product.id))) throw new Refusal(`${describe(spec)} does not exist in DefectDojo; create the product first (links never create products)`);
        return spec.product.id;
      }
      const product = fresh ? await dd.findProductByName(spec.product) : await context.cache.productByName(spec.product);
      if (!product) throw new Refusal(`${describe(spec)} does not exist in DefectDojo; create the product first (links never create products)`);
      return product.id;
    }
    if ("id" in spec.engagement) {
      if (!(await dd.engagementExists(spec.engagement.id))) throw new Refusal(`${describe(spec)} does not exist in DefectDojo; create it first`);
      return spec.engagement.id;
    }
    const product = fresh ? await dd.findProductByName(spec.engagement.product) : await context.cache.productByName(spec.engagement.product);
    const engagement = product && (await dd.findEngagement(product.id, spec.engagement.name));
    if (!engagement) throw new Refusal(`${describe(spec)} does not exist in DefectDojo; create it first`);
    return engagement.id;
  }

  /**
   * Whether the new spec points at another DefectDojo object. Decided from resolved ids, so that
   * `product: Payments API` → `product: { id: 1 }` (the same product) is no replace; a name that
   * resolves elsewhere in the snapshot is asked again before a replace is planned.
   */
  async function movesTarget(olds: JiraLinkOutputs, news: JiraLinkInputs): Promise<boolean> {
    if (targetOf(olds.spec) === targetOf(news.spec)) return false;
    if (("product" in olds.spec) !== ("product" in news.spec) || typeof olds.targetId !== "number") return true;
    return (await existingTarget(news.spec)) !== olds.targetId && (await existingTarget(news.spec, true)) !== olds.targetId;
  }

  /**
   * The target's id, or undefined when it does not exist (a replace is planned, and the create
   * refuses it with the reason). Any other failure fails the diff: a transient error must never plan
   * a delete.
   */
  function existingTarget(spec: LinkSpec, fresh = false): Promise<number | undefined> {
    return resolveTarget(spec, fresh).catch((error: unknown) => {
      if (error instanceof Refusal) return undefined;
      throw error;
    });
  }

  /**
   * A JiraInstance keeps its DefectDojo id for life (it is never replaced), so while an instance is
   * being updated in a preview its unknown id is the same id: the link changes only if its document
   * names another instance.
   */
  const instanceChanges = (olds: JiraLinkOutputs, news: JiraLinkInputs) =>
    containsUnknown(news.instanceId) ? olds.spec.instance !== news.spec.instance : olds.instanceId !== news.instanceId;

  const body = (inputs: JiraLinkInputs, targetId: number) => ({ ...linkToApi(inputs.spec), jira_instance: inputs.instanceId, [field]: targetId });
  const targetOf = (spec: LinkSpec) => stableJson("product" in spec ? spec.product : spec.engagement);

  return {
    async check(olds: JiraLinkInputs, news: JiraLinkInputs) {
      const failures = [...optionFailures(news), ...(await validateUnlessLinted(kind, news.name, news.spec, news.waivedRules, news.linted))];
      if (failures.length > 0) return { failures };
      // What `up` would refuse is refused in preview too: a new target must exist. An unchanged one
      // is not asked again, so a no-op deployment still makes no call.
      if (!olds?.spec || targetOf(olds.spec) !== targetOf(news.spec)) {
        context.links.expect(); // likely a create, which asks whether the target has a link
        try {
          await resolveTarget(news.spec);
        } catch (error) {
          if (error instanceof Refusal) return { failures: [{ property: `spec.${field}`, reason: `${kind} ${news.name}: ${error.message}` }] };
          throw error;
        }
      }
      return { inputs: news };
    },

    async diff(id: string, olds: JiraLinkOutputs, news: JiraLinkInputs) {
      // Moving a link to another product or engagement is a new DefectDojo object: a replace, made
      // first (as Pulumi replaces by default), its old link deleted with the deletes. By then every
      // resource of the deployment has been diffed and every adoption made, so a document that takes
      // the old link over (two documents swapping targets) is known and keeps it. A delete first
      // would run while later resources are still being diffed, and delete what one of them is
      // about to adopt. What would refuse the move is asked here, before anything is made. The old
      // link is then claimed as left: no other document adopts it unless the move goes ahead, and
      // a document that adopts (or declares) it takes it over, while its own delete keeps nothing.
      const replaces = (await movesTarget(olds, news)) ? [`spec.${field}`] : [];
      if (replaces.length === 0) context.claims.claimDeclared("jira_projects", Number(id), news.name, "its Jira link");
      else {
        try {
          await refuseUnsafeMove(Number(id), olds, news);
        } catch (error) {
          context.claims.claim("jira_projects", Number(id), news.name); // refused: it stays this resource's, and no one else's to adopt
          throw error;
        }
        context.claims.leaving("jira_projects", Number(id), news.name);
      }
      const changes = [
        ...replaces,
        ...(replaces.length === 0 && targetOf(olds.spec) !== targetOf(news.spec) ? [`spec.${field}`] : []), // same target, written another way: state only
        ...changedPaths(FIELDS, olds.spec, news.spec),
        ...(instanceChanges(olds, news) ? ["instanceId"] : []),
        ...(Boolean(olds.adopt) !== Boolean(news.adopt) ? ["options.adopt"] : []),
        ...(olds.name !== news.name ? ["name"] : []),
        ...(waiversChanged(olds, news) ? ["waivedRules"] : []), // a rename (alias) rewrites state, nothing in DefectDojo
        ...(Boolean(olds.allowDeleteWithJiraIssues) !== Boolean(news.allowDeleteWithJiraIssues) ? ["options.allowDeleteWithJiraIssues"] : []),
      ];
      if (replaces.length === 0) context.claims.keep("jira_projects", Number(id), news.name);
      return { changes: changes.length > 0, replaces, deleteBeforeReplace: false };
    },

    create: createLink,

    async read(id: string, props: JiraLinkOutputs) {
      const linkId = Number(id);
      const dd = context.client();
      let live: ApiJiraProject;
      // A refresh reads every link: one shared list instead of a GET each. A link missing from that
      // list, or a list that fails, is asked for alone: only DefectDojo's 404 for this very link
      // takes it out of state.
      const [listed] = await context.links.where((link) => link.id === linkId, async () => []);
      try {
        live = listed ?? (await dd.getLink(linkId));
      } catch (error) {
        if (error instanceof DefectDojoError && error.status === 404) return {};
        throw error;
      }
      const spec = specFromLive(FIELDS, props.spec, live as unknown as Record<string, unknown>) as LinkSpec;
      const inputs: JiraLinkInputs = { name: props.name, waivedRules: props.waivedRules, spec, instanceId: live.jira_instance ?? 0, adopt: props.adopt, allowDeleteWithJiraIssues: props.allowDeleteWithJiraIssues };
      return { id, props: { ...inputs, dojoId: live.id, targetId: props.targetId }, inputs };
    },

    async update(id: string, olds: JiraLinkOutputs, news: JiraLinkInputs) {
      const patch = patchFor(FIELDS, changedPaths(FIELDS, olds.spec, news.spec), news.spec);
      if (olds.instanceId !== news.instanceId) patch.jira_instance = news.instanceId;
      if (Object.keys(patch).length > 0) context.links.wrote(await context.client().patchLink(Number(id), patch));
      return { outs: { ...news, dojoId: Number(id), targetId: olds.targetId } satisfies JiraLinkOutputs };
    },

    async delete(id: string, props: JiraLinkOutputs) {
      const linkId = Number(id);
      const owner = context.claims.keeperOf("jira_projects", linkId, props.name);
      if (owner !== undefined) {
        // A rename without renamedFrom: the new name adopted this very link, which must stay.
        context.notice(`${kind} ${props.name} left the stack; its DefectDojo link (id ${linkId}) stays, managed by ${printable(owner)}`);
        return;
      }
      if (props.allowDeleteWithJiraIssues === true) await context.client().deleteLink(linkId);
      else await deleteKeepingMappings(linkId, props);
      context.links.removed(linkId);
      context.claims.release("jira_projects", linkId);
    },
  };

  /**
   * A move is refused, before anything is made, when its old link's delete would be refused (Jira
   * issue mappings under it, without an applied allow flag; the delete counts again) or when its
   * new target already has a link and the document does not take it over (adopt).
   */
  async function refuseUnsafeMove(linkId: number, olds: JiraLinkOutputs, news: JiraLinkInputs): Promise<void> {
    if (olds.allowDeleteWithJiraIssues !== true) {
      const issues = await context.client().countJiraIssues(linkId);
      if (issues !== "gone" && issues > 0) throw mappingsRefusal(olds, issues, news.spec);
    }
    const targetId = await existingTarget(news.spec);
    const [existing] = targetId === undefined ? [] : await linksOn(targetId);
    if (existing && news.adopt !== true) {
      throw new Refusal(`${kind} ${news.name}: moving to ${describe(news.spec)}, which already has a Jira link in DefectDojo (id ${existing.id}, project ${printable(existing.project_key || "-")}); nothing was deleted. To take that link over, set options.adopt: true (two documents swapping targets: both)`);
    }
  }

  /** The refusal of a delete or a move that would erase the Jira issue mappings under a link. */
  function mappingsRefusal(props: JiraLinkOutputs, issues: number, move?: LinkSpec): Refusal {
    const what = `${describe(props.spec)} has ${issues} finding${issues === 1 ? "" : "s"} linked to Jira issues in project ${printable(props.spec.projectKey)}`;
    const erase = "would erase those mappings for good (the Jira issues stay, the findings lose them)";
    return new Refusal(
      move
        ? `refusing to move ${kind} ${props.name} to ${describe(move)}: ${what}, and a move deletes this link, which ${erase}. To keep them, leave this link where it is and declare the new target in a document of its own. To move anyway, first apply options.allowDeleteWithJiraIssues: true on this link`
        : `refusing to delete ${kind} ${props.name}: ${what}, and deleting the link ${erase}. To disconnect safely, keep the document and set spec.enabled: false. To delete anyway, first apply options.allowDeleteWithJiraIssues: true on this link`,
    );
  }

  /** The links DefectDojo has on a product or engagement, from the shared list or asked alone. */
  function linksOn(targetId: number): Promise<ApiJiraProject[]> {
    const target = field === "product" ? { product: targetId } : { engagement: targetId };
    return context.links.where((link) => link[field] === targetId, () => context.client().linksOf(target));
  }

  async function createLink(inputs: JiraLinkInputs) {
    const targetId = await resolveTarget(inputs.spec);
    // One create per target at a time in this process: two documents naming one product (by name
    // and by id) must not both find it free.
    return context.links.exclusive(`${field}:${targetId}`, () => createOn(inputs, targetId));
  }

  async function createOn(inputs: JiraLinkInputs, targetId: number) {
    const dd = context.client();
    // Asked of DefectDojo for every create, from a list at most a second old (fresh-list.ts): a link
    // made by hand a minute ago must be seen, or DefectDojo would end up with two links for the
    // target and silently use the hand-made one.
    const existing = await linksOn(targetId);
    const desired = body(inputs, targetId);
    let live: ApiJiraProject;
    if (existing.length > 1) {
      throw new Refusal(`${kind} ${inputs.name}: ${describe(inputs.spec)} has ${existing.length} Jira links in DefectDojo (ids ${existing.map((e) => e.id).join(", ")}), and DefectDojo silently uses only the first; remove the extra ones`);
    } else if (existing[0]) {
      if (inputs.adopt !== true) {
        throw new Refusal(`${kind} ${inputs.name}: ${describe(inputs.spec)} already has a Jira link in DefectDojo (id ${existing[0].id}, project ${printable(existing[0].project_key || "-")}). To manage it from this config, set options.adopt: true (Pulumi cannot import dynamic resources)`);
      }
      context.claims.refuseAdoptionIfOwned("jira_projects", existing[0].id, inputs.name, `the Jira link of ${describe(inputs.spec)}`);
      context.claims.adopted("jira_projects", existing[0].id, inputs.name);
      const patch = adoptionPatch(FIELDS, inputs.spec, existing[0] as unknown as Record<string, unknown>);
      if (existing[0].jira_instance !== inputs.instanceId) patch.jira_instance = inputs.instanceId;
      live = Object.keys(patch).length > 0 ? await dd.patchLink(existing[0].id, patch) : existing[0];
    } else {
      live = await dd.createLink(desired);
    }
    context.links.wrote(live);
    context.claims.claim("jira_projects", live.id, inputs.name);
    return { id: String(live.id), outs: { ...inputs, dojoId: live.id, targetId } satisfies JiraLinkOutputs };
  }

  /**
   * Deleting a link cascades away every finding-to-issue mapping under it (reference §1.5), so the
   * delete goes ahead only while there is none, with the window as small as the API allows: the
   * link is disabled first (DefectDojo pushes nothing through a disabled link), the mappings are
   * counted right before every DELETE attempt, and no DELETE is ever retried without that count.
   * What remains is a push that passed its `enabled` check before the PATCH and records its mapping
   * between the last count and the DELETE: one round trip. A refused delete switches on again a
   * link it switched off, so that link was off for two round trips; counting before the PATCH as
   * well would spare that at the price of a call on every delete, and is what this order saves.
   * The PATCH is sent whatever state says; whether to switch the link on again is read live.
   */
  async function deleteKeepingMappings(linkId: number, props: JiraLinkOutputs): Promise<void> {
    const dd = context.client();
    // Switched off whatever state or the list says (a stale "off" must not skip it). Whether to switch
    // it on again after a refusal follows the link as it was a moment ago: one switched off by
    // hand stays off.
    const [live] = await context.links.where((link) => link.id === linkId, async () => [await dd.getLink(linkId)]).catch(() => []);
    let switchedOff = (live?.enabled ?? props.spec.enabled) !== false;
    // Whether DefectDojo answered the switch-off (a failure may still have been applied: a timeout, a 5xx).
    let switchedOffSurely = true;
    try {
      await dd.patchLink(linkId, { enabled: false }).then(context.links.wrote.bind(context.links), (error: unknown) => {
        // Gone already: the count below tells a deleted link from a 404 that is not.
        if (error instanceof DefectDojoError && error.status === 404) return void (switchedOff = false);
        // Refused outright (400, 403, …): nothing was switched off.
        if (error instanceof DefectDojoError && error.status >= 400 && error.status < 500) switchedOff = false;
        switchedOffSurely = false;
        throw error;
      });
      const started = Date.now();
      for (let attempt = 1; ; attempt++) {
        const issues = await dd.countJiraIssues(linkId);
        if (issues === "gone") return;
        if (issues > 0) throw mappingsRefusal(props, issues);
        try {
          await dd.deleteLinkOnce(linkId);
          return;
        } catch (error) {
          // Again only within one call's deadline in all: a DefectDojo that never answers a DELETE
          // would otherwise hold the run for a deadline per attempt.
          const wait = dd.http.backoff(attempt);
          if (!(error instanceof DefectDojoError && error.status === 0) || attempt === DELETE_ATTEMPTS || Date.now() - started + wait > dd.http.deadlineMs) throw error;
          await sleep(wait);
        }
      }
    } catch (error) {
      // Not deleted: leave the link as it was. The error that matters is the first one, but a link
      // left off stops every push, so the message says so.
      if (!switchedOff) throw error;
      const restored = await dd.patchLink(linkId, { enabled: true }).then(
        (link) => (context.links.wrote(link), true),
        () => false,
      );
      if (restored || !(error instanceof Error)) throw error;
      error.message += switchedOffSurely
        ? `. The link was switched off for the delete and could not be switched on again: enable it in DefectDojo by hand (pulumi refresh shows it off)`
        : `. The link may have been switched off for the delete (DefectDojo gave no answer) and could not be switched on again: check it in DefectDojo and enable it by hand if it is off (pulumi refresh shows it)`;
      throw error;
    }
  }
}
