import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { buffer } from "node:stream/consumers";
import { runRules, type EngineOutput } from "./engine.js";
import { discoverFiles, STDIN } from "./load/discover-files.js";
import { parseFile, type ParsedFile } from "./load/parse-file.js";
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
}

/** Lints files, directories, globs and `-` (stdin): the linter's one entry point with I/O. */
export async function lintPaths(operands: readonly string[], options: LintPathsOptions = {}): Promise<LintReport> {
  const cwd = options.cwd ?? process.cwd();
  const entries = await discoverFiles(operands, cwd);
  const files = await Promise.all(
    entries.map(async (entry): Promise<ParsedFile> => {
      const name = entry.path === STDIN ? (options.stdinName ?? "<stdin>") : entry.path;
      if ("unreadable" in entry) return unreadable(name, entry.unreadable);
      let bytes: Uint8Array;
      try {
        bytes = entry.path === STDIN ? new Uint8Array(await buffer(options.stdin ?? process.stdin)) : await readFile(resolve(cwd, entry.path));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return unreadable(name, code === "ELOOP" ? "symbolic link loop" : code === "EISDIR" ? "is a directory" : `cannot read (${code ?? "error"})`);
      }
      return parseFile(name, bytes, { maxFileBytes: options.maxFileBytes });
    }),
  );
  return { files, ...runRules(files, options.config ?? EMPTY_REPO_CONFIG) };
}

function unreadable(file: string, why: string): ParsedFile {
  const parsed = parseFile(file, new Uint8Array());
  parsed.problems = [{ ruleId: "yaml-syntax", range: [0, 0], message: why }];
  return parsed;
}
