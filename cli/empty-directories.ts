import { stat } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";

/**
 * The directory operands under which not one file was found. A CI job pointed at the wrong
 * folder would otherwise pass green on nothing (`✔ 0 files`); ESLint, too, fails a pattern that
 * matches nothing. Files are named as the linter names them, relative to `cwd` or absolute.
 */
export async function directoriesWithoutFiles(operands: readonly string[], files: readonly string[], cwd: string): Promise<string[]> {
  const found = files.map((file) => resolve(cwd, file));
  const empty: string[] = [];
  for (const operand of operands) {
    if (operand === "-") continue;
    const dir = resolve(cwd, operand);
    // Globs and missing paths are the file discovery's to report.
    if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) continue;
    // The operand itself among the files: reported as unreadable (a symlink out of the working directory).
    const inside = (file: string) => {
      const rel = relative(dir, file);
      return !rel.startsWith("..") && !isAbsolute(rel);
    };
    if (!found.some(inside)) empty.push(operand);
  }
  return empty;
}
