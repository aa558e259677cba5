import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { promisify } from "node:util";
import { runRules } from "../lint/engine.js";
import { lintPaths } from "../lint/lint-paths.js";
import { parseFile, type ParsedFile } from "../lint/load/parse-file.js";
import type { ConfigDocument } from "../schema/config-types.js";

const git = promisify(execFile);

export interface Snapshot {
  label: string;
  /** Valid documents, each with the file it came from. */
  documents: Array<{ file: string; config: ConfigDocument }>;
}

/** The config tree at a git revision, or in a directory (`rev` naming an existing directory). */
export async function configAt(rev: string, path: string, cwd: string): Promise<Snapshot> {
  const isDir = await stat(`${cwd}/${rev}`).then((s) => s.isDirectory(), () => false);
  if (isDir) {
    const report = await lintPaths([rev], { cwd });
    return { label: rev, documents: report.valid.map((v) => ({ file: v.document.file.slice(rev.length).replace(/^\//, ""), config: v.config })) };
  }
  let listing: string;
  try {
    // -z: names as they are; without it git quotes non-ASCII, tabs, quotes and newlines.
    listing = (await git("git", ["ls-tree", "-r", "-z", "--name-only", rev, "--", path], { cwd, maxBuffer: 64 << 20 })).stdout;
  } catch (error) {
    throw new Error(`"${rev}" is neither a directory nor a git revision here (${(error as { stderr?: string }).stderr?.trim() ?? "git failed"})`);
  }
  const files: ParsedFile[] = [];
  for (const file of listing.split("\0").filter((f) => /\.ya?ml$/.test(f) && !f.endsWith(".dojo-jira.yaml"))) {
    const { stdout } = await git("git", ["show", `${rev}:${file}`], { cwd, encoding: "buffer", maxBuffer: 64 << 20 });
    files.push(parseFile(file.slice(path === "." ? 0 : path.replace(/\/?$/, "/").length), stdout as unknown as Buffer));
  }
  return { label: rev, documents: runRules(files).valid.map((v) => ({ file: v.document.file, config: v.config })) };
}
