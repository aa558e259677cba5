import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync } from "node:fs";
import { isInside, outsideTree, type Tree } from "./discover-files.js";
import { tooLarge } from "./decode-source.js";

/**
 * The bytes of a regular file whose real path stays inside `tree`, or why it was not read.
 * Nothing else is opened for reading: a symlink out of the tree could show `.git/config` or
 * `/proc/self/environ`, a FIFO would block forever and `/dev/zero` would never end.
 * Synchronous on purpose: for a thousand small files it costs less CPU than the thread pool.
 */
export function readInsideTree(path: string, tree: Tree | undefined, maxBytes: number, knownReal?: string): Uint8Array | { problem: string; code?: string } {
  let fd: number;
  try {
    const real = knownReal ?? realpathSync.native(path);
    if (tree && !isInside(real, tree)) return { problem: outsideTree(tree) };
    // Non-blocking, so that opening a FIFO without a writer returns at once; fstat then refuses it.
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: openProblem(code), code };
  }
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) return { problem: "is a directory" };
    if (!info.isFile()) return { problem: "not a regular file; not read" };
    // Checked before reading: an 8 GB file must not be loaded to be refused.
    if (info.size > maxBytes) return { problem: tooLarge(info.size, maxBytes) };
    return readFileSync(fd);
  } catch (error) {
    return { problem: openProblem((error as NodeJS.ErrnoException).code) };
  } finally {
    closeSync(fd);
  }
}

function openProblem(code: string | undefined): string {
  return code === "ELOOP" ? "symbolic link loop" : code === "EISDIR" ? "is a directory" : `cannot read (${code ?? "error"})`;
}
