import { locate } from "../../model.js";
import { isRecord } from "../../load/parse-file.js";
import type { LoadedDocument } from "../../model.js";

/** `spec` of a document as a plain record, whatever the schema said about it. */
export function rawSpec(document: LoadedDocument): Record<string, unknown> | undefined {
  const value = document.value;
  return isRecord(value) && isRecord(value.spec) ? value.spec : undefined;
}

export const LINK_KINDS: ReadonlySet<string> = new Set(["ProductJiraLink", "EngagementJiraLink"]);
/** Kinds whose `spec.instance` names a JiraInstance. */
export const INSTANCE_REFERRERS: ReadonlySet<string> = new Set([...LINK_KINDS, "JiraWebhook"]);

/** "file:line" of a document's name, for messages that point at another place. */
export function placeOf(document: LoadedDocument, position: (offset: number) => { line: number }): string {
  return `${document.file}:${position(locate(document, ["metadata", "name"])[0]).line}`;
}
