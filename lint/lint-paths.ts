import { runRules, type EngineOutput } from "./engine.js";
import { discoverFiles } from "./load/discover-files.js";
import { isForeignYaml } from "./load/foreign-yaml.js";
import { loadEntries } from "./load/load-entries.js";
import type { ParsedFile } from "./load/parse-file.js";
import { EMPTY_REPO_CONFIG, type RepoConfig } from "./repo-config.js";

export interface LintPathsOptions {
  cwd?: string;
  config?: RepoConfig;
  maxFileBytes?: number;
  /** Name shown for stdin. */
  stdinName?: string;
  stdin?: NodeJS.ReadableStream;
}

export interface LintReport extends EngineOutput {
  files: ParsedFile[];
  /** YAML files found in a directory that are plainly not dojo-jira config (isForeignYaml). */
  skipped: string[];
  /** Folders inside a walked directory that were not entered (node_modules, .git). */
  skippedDirectories: string[];
}

/** Lints files, directories, globs and `-` (stdin): the linter's one entry point with I/O. */
export async function lintPaths(operands: readonly string[], options: LintPathsOptions = {}): Promise<LintReport> {
  const cwd = options.cwd ?? process.cwd();
  const { entries, skippedDirectories } = await discoverFiles(operands, cwd);
  const loaded = await loadEntries(entries, { cwd, maxFileBytes: options.maxFileBytes, stdinName: options.stdinName, stdin: options.stdin });
  const walked = new Set(entries.filter((e) => "walked" in e && e.walked).map((e) => e.path));
  const skipped = loaded.filter((f) => walked.has(f.file) && isForeignYaml(f)).map((f) => f.file);
  const files = loaded.filter((f) => !skipped.includes(f.file)); // skipped is short: foreign files are few
  return { files, skipped, skippedDirectories, ...runRules(files, options.config ?? EMPTY_REPO_CONFIG) };
}
