import { resolve } from "node:path";
import { buffer } from "node:stream/consumers";
import { DEFAULT_MAX_FILE_BYTES } from "./decode-source.js";
import { STDIN, type FileEntry } from "./discover-files.js";
import { parseFile, type ParsedFile } from "./parse-file.js";
import { readInsideTree } from "./read-inside-tree.js";

export interface LoadOptions {
  cwd: string;
  maxFileBytes?: number;
  stdinName?: string;
  stdin?: NodeJS.ReadableStream;
}

/**
 * Reads and parses every entry. Splitting large trees over worker threads was measured and
 * dropped: on this 2-core machine 1,000 and 5,000 files parsed no faster (yaml's parser is
 * allocation-bound, and each thread pays its own JIT warm-up and a structured clone back).
 */
export function loadEntries(entries: readonly FileEntry[], options: LoadOptions): Promise<ParsedFile[]> {
  return Promise.all(entries.map((entry) => loadEntry(entry, options)));
}

export async function loadEntry(entry: FileEntry, options: LoadOptions): Promise<ParsedFile> {
  const name = entry.path === STDIN ? (options.stdinName ?? "<stdin>") : entry.path;
  if ("unreadable" in entry) return unreadable(name, entry.unreadable);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const bytes = entry.path === STDIN ? new Uint8Array(await buffer(options.stdin ?? process.stdin)) : readInsideTree(resolve(options.cwd, entry.path), entry.tree, maxFileBytes);
  if (!(bytes instanceof Uint8Array)) return unreadable(name, bytes.problem);
  return parseFile(name, bytes, { maxFileBytes });
}

function unreadable(file: string, why: string): ParsedFile {
  const parsed = parseFile(file, new Uint8Array());
  parsed.problems = [{ ruleId: "yaml-syntax", range: [0, 0], message: why }];
  parsed.incomplete = true; // not read: it may hold anything
  return parsed;
}
