import type { ConfigDocument, LinkDocument } from "../../schema/config-types.js";
import type { LoadedDocument, OffsetRange, Severity } from "../model.js";
import type { ParsedFile } from "../load/parse-file.js";
import type { SiteFacts } from "../repo-config.js";
import type { SchemaCheck } from "../schema-check.js";

/** What `--explain` prints and SARIF carries: why the rule exists, with a bad and a good example. */
export interface RuleDocs {
  summary: string;
  details: string;
  bad: string;
  good: string;
}

/** A document that passed the schema, with its config typed from the schema. */
export interface ValidDocument<T extends ConfigDocument = ConfigDocument> {
  document: LoadedDocument;
  config: T;
}

export interface RuleContext {
  files: readonly ParsedFile[];
  documents: readonly LoadedDocument[];
  schema: ReadonlyMap<LoadedDocument, SchemaCheck>;
  valid: readonly ValidDocument[];
  site: SiteFacts;
  /** Ids of every rule, for rules that validate references to rules. */
  ruleIds: ReadonlySet<string>;
  /** Messages may quote values: the engine masks whatever the loader found secret, in every message. */
  report(where: { file: string }, range: OffsetRange, message: string): void;
}

export interface Rule {
  id: string;
  severity: Severity;
  /** What it reports depends on other documents of the tree, so a part of the tree that cannot be read may hide it. */
  acrossDocuments?: true;
  /** Asks the live Jira: runs only with `lint --online` (lint/online/). */
  online?: true;
  docs: RuleDocs;
  check(context: RuleContext): void;
}

/** Valid documents of one kind, typed. */
export function ofKind<K extends ConfigDocument["kind"]>(
  valid: readonly ValidDocument[],
  kind: K,
): Array<ValidDocument<Extract<ConfigDocument, { kind: K }>>> {
  return valid.filter((v): v is ValidDocument<Extract<ConfigDocument, { kind: K }>> => v.config.kind === kind);
}

/** Valid product and engagement links, typed. */
export function links(valid: readonly ValidDocument[]): Array<ValidDocument<LinkDocument>> {
  return valid.filter((v): v is ValidDocument<LinkDocument> => v.config.kind === "ProductJiraLink" || v.config.kind === "EngagementJiraLink");
}
