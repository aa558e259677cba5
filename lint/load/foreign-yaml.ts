import { API_VERSION, KINDS } from "../../schema/config-types.js";
import type { ParsedFile } from "./parse-file.js";

const OUR_API_VERSION = new RegExp(`apiVersion["']?\\s*:\\s*["']?${API_VERSION.split("/")[0]!.replaceAll("-", "\\-")}/`);

/**
 * A YAML file that is plainly not ours: it parsed cleanly and none of its documents names our
 * apiVersion, one of our kinds, or anything that looks like a slip of either ("defectdojo-jria/v1"
 * keeps a file in). A directory walk from a repository root meets GitHub workflows, Pulumi.yaml and
 * pre-commit configs; such files are skipped there, never when named on the command line.
 */
export function isForeignYaml(file: ParsedFile): boolean {
  if (file.problems.length > 0 || file.incomplete || file.documents.length === 0) return false;
  // Our apiVersion as a key's value anywhere in the file (a document written as a list item, or
  // nested under a key): ours, in a shape lint then explains, never skipped for removed.
  if (OUR_API_VERSION.test(file.source)) return false;
  return file.documents.every((document) => {
    if (document.hasSyntaxErrors) return false;
    const value = document.value;
    if (!value || typeof value !== "object" || Array.isArray(value)) return true;
    const { apiVersion, kind } = value as { apiVersion?: unknown; kind?: unknown };
    const looksOurs = (text: unknown) => typeof text === "string" && /dojo|jira/i.test(text);
    return !looksOurs(apiVersion) && !looksOurs(kind) && !(KINDS as readonly unknown[]).includes(kind);
  });
}
