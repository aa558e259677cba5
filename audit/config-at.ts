import { execFile, spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { runRules } from "../lint/engine.js";
import { lintPaths } from "../lint/lint-paths.js";
import { DEFAULT_MAX_FILE_BYTES } from "../lint/load/decode-source.js";
import { parseFile } from "../lint/load/parse-file.js";
import { snapshotOf, type Snapshot, type Unread } from "./snapshot.js";

const git = promisify(execFile);

/** Blobs larger than the linter reads are reported, not loaded: reading one would cost its size in memory. */
const MAX_BLOB_BYTES = DEFAULT_MAX_FILE_BYTES;

/** The config tree at a git revision, or in a directory (`rev` naming an existing directory). */
export async function configAt(rev: string, path: string, cwd: string): Promise<Snapshot> {
  const dir = resolve(cwd, rev);
  if (await stat(dir).then((s) => s.isDirectory(), () => false)) {
    // Linted from inside the directory, so that files are named as in a revision (relative to it).
    const report = await lintPaths(["."], { cwd: dir });
    return snapshotOf(rev, report.files, report.results);
  }
  const entries = (await listTree(rev, path, cwd)).filter((e) => /\.ya?ml$/.test(e.file) && !e.file.endsWith(".dojo-jira.yaml"));
  const skipped: Unread[] = [];
  const readable: typeof entries = [];
  for (const entry of entries) {
    if (entry.size > MAX_BLOB_BYTES) skipped.push({ file: entry.file, blob: entry.blob, reason: `skipped: larger than ${MAX_BLOB_BYTES / 2 ** 20} MB` });
    else readable.push(entry);
  }
  const contents = await readBlobs(readable.map((e) => e.blob), cwd);
  const files = readable.map((e, i) => parseFile(e.file, contents[i]!));
  return snapshotOf(rev, files, runRules(files).results, { skipped, blobs: new Map(readable.map((e) => [e.file, e.blob])) });
}

/** The blobs under `path` at `rev`, named relative to it, with their sizes: what to read is decided before reading anything. */
async function listTree(rev: string, path: string, cwd: string): Promise<Array<{ blob: string; size: number; file: string }>> {
  let listing: string;
  try {
    // -z: names as they are; without it git quotes non-ASCII, tabs, quotes and newlines.
    listing = (await git("git", ["ls-tree", "-r", "-z", "-l", rev, "--", path], { cwd, maxBuffer: 64 << 20 })).stdout;
  } catch (error) {
    throw new Error(`"${rev}" is neither a directory nor a git revision here (${(error as { stderr?: string }).stderr?.trim() ?? "git failed"})`);
  }
  const prefix = path === "." ? 0 : path.replace(/\/?$/, "/").length;
  // `<mode> blob <id> <padded size>\t<path>`; submodules (commit entries) are not ours to read.
  return listing.split("\0").flatMap((record) => {
    const entry = /^\d+ blob ([0-9a-f]+) +(\d+)\t(.*)$/s.exec(record);
    return entry ? [{ blob: entry[1]!, size: Number(entry[2]), file: entry[3]!.slice(prefix) }] : [];
  });
}

/** Blob contents, in order, from one `git cat-file --batch`: one process per revision, not one per file. */
async function readBlobs(ids: readonly string[], cwd: string): Promise<Buffer[]> {
  if (ids.length === 0) return [];
  const child = spawn("git", ["cat-file", "--batch"], { cwd, stdio: ["pipe", "pipe", "ignore"] });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  const exited = new Promise<number | null>((resolve, reject) => child.once("error", reject).once("close", resolve));
  child.stdin.end(ids.map((id) => `${id}\n`).join(""));
  if ((await exited) !== 0) throw new Error("git cat-file failed");
  // Each object comes as `<id> blob <size>\n<content>\n`.
  const output = Buffer.concat(chunks);
  let at = 0;
  return ids.map((id) => {
    const header = output.indexOf(0x0a, at);
    const [, type, size] = output.toString("latin1", at, header).split(" ");
    if (type !== "blob") throw new Error(`git cat-file: ${id} is not a blob`);
    at = header + 1 + Number(size) + 1;
    return output.subarray(header + 1, at - 1);
  });
}
