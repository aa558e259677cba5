import { realpath } from "node:fs/promises";
import { dirname } from "node:path";
import type { SeveritySetting } from "./model.js";
import { isRecord } from "./load/parse-file.js";
import { readInsideTree } from "./load/read-inside-tree.js";
import { MAX_COMMENT_LINES, scanCommentLines } from "./load/count-nodes.js";
import { readPlainYaml } from "./load/read-plain-yaml.js";
import { yaml } from "./load/yaml-on-demand.js";
import { yamlMessage } from "./load/yaml-message.js";

/** Facts about the DefectDojo site that rules need (DefectDojo settings the config cannot see). */
export interface SiteFacts {
  /** DefectDojo's `DD_JIRA_EXTRA_ISSUE_TYPES`. */
  extraIssueTypes: string[];
  /** Priority names the Jira site has beyond Jira's defaults. */
  extraPriorityNames: string[];
}

export interface RepoConfig {
  rules: Record<string, SeveritySetting>;
  site: SiteFacts;
}

export const REPO_CONFIG_FILE = ".dojo-jira.yaml";
/**
 * A repository config names a few dozen rules and site facts: 64 KB is hundreds of times that, and
 * it comes with the pull request, which must not make lint parse megabytes of keys before it starts.
 */
const MAX_REPO_CONFIG_BYTES = 64 * 1024;
export const EMPTY_REPO_CONFIG: RepoConfig = { rules: {}, site: { extraIssueTypes: [], extraPriorityNames: [] } };

export class RepoConfigError extends Error {}

const SEVERITIES = new Set(["error", "warning", "info", "off"]);

/**
 * Reads `.dojo-jira.yaml`: data only, never code, so linting a checkout cannot
 * run anything from it. A missing file is the empty config; a bad one is a usage error.
 * It comes with the pull request like the linted files, so the found one is read under the same
 * terms: a regular file whose real path stays in the working directory. One named with
 * --config is the caller's choice, but it too must be a regular file.
 */
export async function loadRepoConfig(
  path: string,
  knownRules: ReadonlySet<string>,
  required = false,
  /** How messages name the file (the path as the user gave it). */
  label = path,
): Promise<RepoConfig> {
  const tree = required ? undefined : { real: await realpath(dirname(path)), label: "." };
  const bytes = readInsideTree(path, tree, MAX_REPO_CONFIG_BYTES);
  if (!(bytes instanceof Uint8Array)) {
    if (!required && bytes.code === "ENOENT") return EMPTY_REPO_CONFIG;
    throw new RepoConfigError(`${label}: ${bytes.problem.replace(/, over the .* limit \(--max-file-size\)$/, `, over the ${MAX_REPO_CONFIG_BYTES / 1024} KB a repository config may hold`)}`);
  }
  const text = new TextDecoder().decode(bytes);
  if (scanCommentLines(text).pastLimit !== undefined) throw new RepoConfigError(`${label}: more than ${MAX_COMMENT_LINES} comment lines; not read`);
  // One plain document reads as yaml would read it (read-plain-yaml.ts); anything else goes to yaml itself,
  // document markers included: the reader drops empty documents that yaml counts.
  const plain = /^(?:---|\.\.\.)/m.test(text) ? undefined : readPlainYaml(text);
  const raw: unknown = plain?.length === 1 ? plain[0]!.value : fullyParsed(text, label);
  if (!isRecord(raw)) throw new RepoConfigError(`${label}: must be a mapping with "rules" and/or "site"`);
  const unknownTop = Object.keys(raw).filter((k) => k !== "rules" && k !== "site");
  if (unknownTop.length > 0) throw new RepoConfigError(`${label}: unknown key "${unknownTop[0]}" (allowed: rules, site)`);

  const rules: Record<string, SeveritySetting> = {};
  if (raw.rules !== undefined) {
    if (!isRecord(raw.rules)) throw new RepoConfigError(`${label}: "rules" must map rule ids to error|warning|info|off`);
    for (const [id, severity] of Object.entries(raw.rules)) {
      if (!knownRules.has(id)) throw new RepoConfigError(`${label}: unknown rule "${id}" in "rules" (see dojo-jira lint --list-rules)`);
      if (typeof severity !== "string" || !SEVERITIES.has(severity)) {
        throw new RepoConfigError(`${label}: rules.${id} must be one of error, warning, info, off`);
      }
      rules[id] = severity as SeveritySetting;
    }
  }
  const site = { ...EMPTY_REPO_CONFIG.site };
  if (raw.site !== undefined) {
    if (!isRecord(raw.site)) throw new RepoConfigError(`${label}: "site" must be a mapping`);
    for (const [key, value] of Object.entries(raw.site)) {
      if (key !== "extraIssueTypes" && key !== "extraPriorityNames") {
        throw new RepoConfigError(`${label}: unknown key "site.${key}" (allowed: extraIssueTypes, extraPriorityNames)`);
      }
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v.trim() !== "")) {
        throw new RepoConfigError(`${label}: site.${key} must be a list of names`);
      }
      site[key] = value.map((v: string) => v.trim());
    }
  }
  return { rules, site };
}

function fullyParsed(text: string, label: string): unknown {
  const doc = yaml().parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) throw new RepoConfigError(`${label}: ${yamlMessage(doc.errors[0]!)}`);
  return doc.toJS({ maxAliasCount: 10 }) ?? {};
}
