import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lintPaths } from "../../lint/lint-paths.js";
import type { LintResult } from "../../lint/model.js";

// A small valid config tree, and a way to break it one mistake at a time.

export const INSTANCE = `apiVersion: defectdojo-jira/v1
kind: JiraInstance
metadata:
  name: corp-jira
spec:
  url: https://corp.atlassian.net
  username: svc
  password: { fromConfig: corpJiraToken }
  epicNameId: 10011
  transitions: { reopen: 11, close: 31 }
`;

export const LINK = `apiVersion: defectdojo-jira/v1
kind: ProductJiraLink
metadata:
  name: payments-api
spec:
  product: Payments API
  instance: corp-jira
  projectKey: PAY
`;

export const SETTINGS = `apiVersion: defectdojo-jira/v1
kind: JiraSettings
metadata:
  name: jira-settings
spec:
  enableJira: true
  enableWebhook: true
  webhookSecret: { fromConfig: hookSecret }
`;

export const WEBHOOK = `apiVersion: defectdojo-jira/v1
kind: JiraWebhook
metadata:
  name: hook
spec:
  instance: corp-jira
  settings: jira-settings
  defectDojoUrl: https://dojo.example
  jql: project = PAY
`;

/** Replaces `from` (which must occur) in `text`. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

async function lintFiles(files: Record<string, string | Buffer>): Promise<LintResult[]> {
  const cwd = await mkdtemp(join(tmpdir(), "dojo-jira-tree-"));
  for (const [name, text] of Object.entries(files)) await writeFile(join(cwd, name), text);
  return (await lintPaths(["."], { cwd })).results;
}

/** Lints files written to a fresh folder: `file:line rule` of every result. */
export async function lintTree(files: Record<string, string | Buffer>): Promise<string[]> {
  return (await lintFiles(files)).map((r) => `${r.file}:${r.range.start.line} ${r.ruleId}`);
}

/** Lints files written to a fresh folder: `file:line rule: message` of every result. */
export async function messages(files: Record<string, string | Buffer>): Promise<string[]> {
  return (await lintFiles(files)).map((r) => `${r.file}:${r.range.start.line} ${r.ruleId}: ${r.message}`);
}
