import { resolve } from "node:path";
import { DEFAULT_MAX_FILE_BYTES, tooLarge } from "./decode-source.js";
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
  // One budget for the whole run: a tree of links to one large file must not hold a copy per link.
  const budget = FILES_AT_THE_LIMIT * (options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  let left = budget;
  const take = (bytes: number) => (left -= bytes) >= 0 || `not read: the files before it hold the ${(budget / 1024 / 1024).toFixed(1)} MB one run reads (${FILES_AT_THE_LIMIT} files at the size limit)`;
  return Promise.all(entries.map((entry) => loadEntry(entry, options, take)));
}

async function loadEntry(entry: FileEntry, options: LoadOptions, take: (bytes: number) => true | string): Promise<ParsedFile> {
  const name = entry.path === STDIN ? (options.stdinName ?? "<stdin>") : entry.path;
  if ("unreadable" in entry) return unreadable(name, entry.unreadable);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const bytes = entry.path === STDIN ? await readBounded(options.stdin ?? process.stdin, maxFileBytes) : readInsideTree(resolve(options.cwd, entry.path), entry.tree, maxFileBytes, entry.real);
  if (!(bytes instanceof Uint8Array)) return unreadable(name, bytes.problem);
  const taken = take(bytes.byteLength);
  if (taken !== true) return unreadable(name, taken);
  return parseFile(name, bytes, { maxFileBytes });
}

/** What one run reads in all, in files at the size limit of one. */
const FILES_AT_THE_LIMIT = 8;

/** Stdin up to the size limit: an endless pipe is cut off there, not buffered whole. */
async function readBounded(stream: NodeJS.ReadableStream, maxBytes: number): Promise<Uint8Array | { problem: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += bytes.byteLength;
    if (size > maxBytes) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      return { problem: tooLarge(size, maxBytes).replace(/^file is/, "stdin is at least") };
    }
    chunks.push(bytes);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function unreadable(file: string, why: string): ParsedFile {
  const parsed = parseFile(file, new Uint8Array());
  parsed.problems = [{ ruleId: "yaml-syntax", range: [0, 0], message: why }];
  parsed.incomplete = true; // not read: it may hold anything
  return parsed;
}
