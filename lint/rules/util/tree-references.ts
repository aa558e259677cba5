import { API_VERSION, KINDS, type Kind } from "../../../schema/config-types.js";
import type { LoadedDocument } from "../../model.js";
import type { RuleContext } from "../rule.js";
import { closest } from "./did-you-mean.js";
import { INSTANCE_REFERRERS, rawSpec } from "./raw.js";

/** The reference fields of a spec, and the kinds whose documents have them. */
const REFERRERS = { instance: INSTANCE_REFERRERS, settings: new Set(["JiraWebhook"]) } as const;

export interface TreeReferences {
  /** Names of `kind` that documents define for certain. */
  defined(kind: Kind): Set<string>;
  /**
   * Could a document the linter cannot take at its word (a syntax error, an unknown kind, no
   * readable name, a file not read whole) define `name`? Then "not defined" would be a guess.
   */
  mayDefine(kind: Kind, name: string): boolean;
  /** Names used through `spec.<field>`, and whether such a document might use any name at all. */
  used(field: keyof typeof REFERRERS): { names: Set<string>; any: boolean };
}

/**
 * Who defines and who uses what across the tree, with doubt where the tree cannot be read: a
 * broken or invalid document is present but unreadable, never absent. Its own mistake is reported
 * where it is; cross-document rules stay silent on what it might define or use.
 */
export function treeReferences(context: Pick<RuleContext, "files" | "documents" | "schema">): TreeReferences {
  const incomplete = context.files.some((f) => f.incomplete);
  const kinds = new Map(context.documents.map((d) => [d, presumedKinds(d)]));
  // A name the schema refuses (`Corp Jira`) is not the name its links were written against.
  const nameUnsure = (d: LoadedDocument) => {
    const check = context.schema.get(d);
    return d.name === undefined || (check?.status === "invalid" && check.errors.some((e) => e.instancePath === "/metadata/name"));
  };
  return {
    defined: (kind) => new Set(context.documents.filter((d) => d.kind === kind && d.name !== undefined).map((d) => d.name!)),
    mayDefine: (kind, name) => incomplete || context.documents.some((d) => kinds.get(d)!.has(kind) && (d.name === name || nameUnsure(d))),
    used(field) {
      const names = new Set<string>();
      let any = incomplete;
      for (const document of context.documents) {
        const presumed = kinds.get(document)!;
        if (![...REFERRERS[field]].some((k) => presumed.has(k))) continue;
        const reference = rawSpec(document)?.[field];
        if (typeof reference === "string") names.add(reference);
        // A referrer without a readable reference meant to name something; a document of any kind did not say so.
        else if (document.value === undefined || presumed.size < KINDS.length) any = true;
      }
      return { names, any };
    },
  };
}

const ALL: ReadonlySet<string> = new Set(KINDS);
const NONE: ReadonlySet<string> = new Set();

/**
 * The kinds a document may be: its own; the known kind a misspelt one is near; any, when it is
 * ours (our apiVersion, or unreadable and naming our format somewhere) without a kind to go by.
 * YAML that is not ours (a CI workflow, broken or not) is none.
 */
function presumedKinds(document: LoadedDocument): ReadonlySet<string> {
  const kind = document.kind;
  if (kind !== undefined && ALL.has(kind)) return new Set([kind]);
  const near = kind === undefined ? undefined : closest(kind, KINDS);
  if (near) return new Set([near]);
  const ours = document.apiVersion === API_VERSION || document.mentionsOurFormat === true;
  return ours ? ALL : NONE;
}
