import { readdir, realpath, stat } from "node:fs/promises";
import { dirname, join, relative, resolve, isAbsolute, sep } from "node:path";
import { REPO_CONFIG_FILE } from "../repo-config.js";

export class UsageError extends Error {}

/**
 * The tree an operand names: a file is read only if its real path stays inside it, so a
 * symlink in a pull request (`config/x.yaml -> ../.git/config`) cannot make lint print a
 * file from elsewhere. `label` is how messages name the tree (as the user wrote it).
 */
export interface Tree {
  real: string;
  label: string;
}

/** A file to lint, or one that could not even be opened (reported, not thrown). */
export type FileEntry =
  | {
      path: string;
      tree?: Tree;
      /** found by walking a directory, not named */
      walked?: true;
      /** Its real path, known from the walk: a regular file (not a symlink) in a directory whose real path the walk resolved. */
      real?: string;
    }
  | { path: string; unreadable: string };

const YAML_FILE = /\.ya?ml$/i;
/** Folders tools own, never walked: a checkout's history and installed packages (thousands of files). */
const SKIPPED_DIRS = new Set(["node_modules", ".git"]);

/** What a walk found: the files, and the folders it did not enter (SKIPPED_DIRS). */
export interface Discovered {
  entries: FileEntry[];
  skippedDirectories: string[];
}
export const STDIN = "-";

/**
 * Inside the tree, and not inside a folder the walk skips: linting from the checkout root makes
 * `.git/` part of the tree, and `config/x.yaml -> ../.git/config` must still not be read.
 */
export function isInside(real: string, tree: Tree): boolean {
  const rel = relative(tree.real, real);
  if (rel.startsWith("..") || isAbsolute(rel)) return false;
  return !rel.split(sep).some((segment) => SKIPPED_DIRS.has(segment));
}

export function outsideTree(tree: Tree): string {
  return `symbolic link leads outside ${tree.label}; not read`;
}

/**
 * Expands command-line operands into files: `-` is stdin, directories are walked
 * for *.yaml / *.yml (symlink loops are detected by real path), globs are expanded.
 * A file operand's tree is its directory, a glob's is its static prefix.
 * A missing operand is a usage error, as in other linters.
 */
export async function discoverFiles(operands: readonly string[], cwd = process.cwd()): Promise<Discovered> {
  const found = new Map<string, FileEntry>();
  const skippedDirectories: string[] = [];
  const add = (entry: FileEntry) => found.has(entry.path) || found.set(entry.path, entry);
  const treeOf = async (label: string): Promise<Tree> => ({ real: await realpath(resolve(cwd, label)), label });
  const workingDirectory = await realpath(cwd);
  for (const operand of operands) {
    if (operand === STDIN) {
      add({ path: STDIN });
      continue;
    }
    if (await leavesWorkingDirectory(operand, cwd, workingDirectory)) {
      add({ path: operand, unreadable: "symbolic link leads outside the working directory; not read" });
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
        const segments = operand.split("/");
        const tree = await treeOf(segments.slice(0, segments.findIndex((s) => isDynamicPattern(s))).join("/") || ".");
        for (const match of matches.sort()) add({ path: match, tree });
        continue;
      }
      throw new UsageError(`no such file or directory: ${operand}`);
    }
    if (info.isDirectory()) {
      for (const entry of await walk(cwd, operand, await treeOf(operand), new Set(), skippedDirectories)) add(entry);
    } else {
      add({ path: operand, tree: await treeOf(dirname(operand)) });
    }
  }
  return { entries: [...found.values()], skippedDirectories };
}

/**
 * Whether an operand written inside the working directory leads out of it: the tree of an operand is
 * where it really is, so a pull request that makes `config` a symlink to `..` would otherwise make
 * the runner's files the tree. A path written outside (absolute, `../`) is the caller's choice. A
 * glob is judged by its static prefix.
 */
async function leavesWorkingDirectory(operand: string, cwd: string, workingDirectory: string): Promise<boolean> {
  const staticPart = operand.split("/").findIndex((segment) => /[*?[\]{}]/.test(segment));
  const written = resolve(cwd, staticPart < 0 ? operand : operand.split("/").slice(0, staticPart).join("/") || ".");
  if (!within(resolve(cwd), written)) return false;
  const real = await realpath(written).catch(() => undefined);
  return real !== undefined && !within(workingDirectory, real);
}

const within = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
};

async function walk(cwd: string, dir: string, tree: Tree, seen: Set<string>, skipped: string[]): Promise<FileEntry[]> {
  const real = await realpath(resolve(cwd, dir));
  if (seen.has(real)) return []; // a symlink cycle leads back here
  seen.add(real);
  const entries = await readdir(resolve(cwd, dir), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  const files: FileEntry[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED_DIRS.has(entry.name)) skipped.push(path);
      else files.push(...(await walk(cwd, path, tree, seen, skipped)));
    } else if (entry.isSymbolicLink()) {
      let target;
      try {
        target = await stat(resolve(cwd, path));
      } catch {
        if (YAML_FILE.test(entry.name)) files.push({ path, tree }); // dangling or looping: reading it reports why
        continue;
      }
      if (!target.isDirectory()) {
        if (YAML_FILE.test(entry.name)) files.push({ path, tree, walked: true }); // reading checks where it leads
      } else if (!isInside(await realpath(resolve(cwd, path)), tree)) {
        files.push({ path, unreadable: outsideTree(tree) });
      } else {
        files.push(...(await walk(cwd, path, tree, seen, skipped)));
      }
    } else if (YAML_FILE.test(entry.name) && resolve(cwd, path) !== resolve(cwd, REPO_CONFIG_FILE)) {
      // A realpath per file was a tenth of a 1,000-file run; opening with O_NOFOLLOW still refuses
      // a file swapped for a symlink since.
      files.push({ path, tree, walked: true, real: join(real, entry.name) });
    }
  }
  return files;
}

/**
 * Whether a folder the walk skipped holds a YAML file, looking at `limit` entries at most: a
 * folder too large to look through counts as holding one.
 */
export async function holdsYaml(dir: string, cwd = process.cwd(), limit = 10_000): Promise<boolean> {
  const pending = [resolve(cwd, dir)];
  let looked = 0;
  while (pending.length > 0) {
    const folder = pending.pop()!;
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (++looked > limit) return true;
      if (entry.isDirectory()) pending.push(join(folder, entry.name));
      else if (YAML_FILE.test(entry.name)) return true;
    }
  }
  return false;
}
