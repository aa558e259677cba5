import { Readable } from "node:stream";
import { stringify } from "yaml";
import { lintPaths } from "../../lint/lint-paths.js";
import type { LintResult } from "../../lint/model.js";
import type { ConfigDocument } from "../../schema/config-types.js";

/** Lints config documents as one YAML stream on stdin, as `dojo-jira lint -` would. */
export async function lintDocuments(documents: ConfigDocument[]): Promise<LintResult[]> {
  const text = documents.map((d) => stringify(d)).join("---\n");
  return (await lintPaths(["-"], { stdin: Readable.from([text]), stdinName: "documents.yaml" })).results;
}
