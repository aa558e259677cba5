import { readdir, realpath, stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";

export class UsageError extends Error {}

/** A file to lint, or one that could not even be opened (reported, not thrown). */
export type FileEntry = { path: string } | { path: string; unreadable: string };

const YAML_FILE = /\.ya?ml$/i;
const SKIPPED_DIRS = new Set(["node_modules", ".git", "dist", ".cache"]);
export const STDIN = "-";

/**
 * Expands command-line operands into files: `-` is stdin, directories are walked
 * for *.yaml / *.yml (symlink loops are detected by real path), globs are expanded.
 * A missing operand is a usage error, as in other linters.
 */
export async function discoverFiles(operands: readonly string[], cwd = process.cwd()): Promise<FileEntry[]> {
  const found = new Map<string, FileEntry>();
  const add = (entry: FileEntry) => found.has(entry.path) || found.set(entry.path, entry);
  for (const operand of operands) {
    if (operand === STDIN) {
      add({ path: STDIN });
      continue;
    }
    let info;
    try {
      info = await stat(resolve(cwd, operand));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ELOOP") {
        add({ path: operand, unreadable: "symbolic link loop" });
        continue;
      }
      // Loaded only when a glob is given: most runs name files or directories.
      const { glob, isDynamicPattern } = await import("tinyglobby");
      if (isDynamicPattern(operand)) {
        const matches = await glob(operand, { cwd, onlyFiles: true, followSymbolicLinks: false, ignore: ["**/node_modules/**"] });
        if (matches.length === 0) throw new UsageError(`no files match "${operand}"`);
        for (const match of matches.sort()) add({ path: match });
        continue;
      }
      throw new UsageError(`no such file or directory: ${operand}`);
    }
    if (info.isDirectory()) {
      for (const path of await walk(cwd, operand, new Set())) add({ path });
    } else {
      add({ path: operand });
    }
  }
  return [...found.values()];
}

async function walk(cwd: string, dir: string, seen: Set<string>): Promise<string[]> {
  const real = await realpath(resolve(cwd, dir));
  if (seen.has(real)) return []; // a symlink cycle leads back here
  seen.add(real);
  const entries = await readdir(resolve(cwd, dir), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...(await walk(cwd, path, seen)));
    } else if (entry.isSymbolicLink()) {
      try {
        const target = await stat(resolve(cwd, path));
        if (target.isDirectory()) files.push(...(await walk(cwd, path, seen)));
        else if (YAML_FILE.test(entry.name)) files.push(path);
      } catch {
        if (YAML_FILE.test(entry.name)) files.push(path); // dangling or looping: reading it reports why
      }
    } else if (YAML_FILE.test(entry.name) && entry.name !== ".dojo-jira.yaml") {
      files.push(path);
    }
  }
  return files;
}
