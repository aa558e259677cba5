import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintPaths } from "../../lint/lint-paths.js";
import { holdsYaml } from "../../lint/load/discover-files.js";
import { ROOT } from "../helpers/run-cli.js";

// A document the walk does not read is one the program does not declare, and the engine deletes
// what is not declared: the walk skips only folders tools own, and says which.
describe("walking a config directory", () => {
  it("reads documents in folders named dist or .cache, and a .dojo-jira.yaml below the working directory", async () => {
    const tree = await mkdtemp(join(tmpdir(), "walk-"));
    const link = await readFile(join(ROOT, "examples/basic/product-links.yaml"), "utf8");
    for (const folder of ["dist", ".cache", "team"]) await mkdir(join(tree, folder));
    await writeFile(join(tree, "dist", "a.yaml"), link);
    await writeFile(join(tree, ".cache", "b.yml"), link.replaceAll("name: ", "name: cached-"));
    await writeFile(join(tree, "team", ".dojo-jira.yaml"), link.replaceAll("name: ", "name: team-"));
    const report = await lintPaths(["."], { cwd: tree });
    expect(report.files.map((f) => f.file).sort()).toEqual([join(".cache", "b.yml"), join("dist", "a.yaml"), join("team", ".dojo-jira.yaml")]);
    expect(report.skippedDirectories).toEqual([]);
  });

  it("skips node_modules and .git, names them, and tells one holding YAML files from one that does not", async () => {
    const tree = await mkdtemp(join(tmpdir(), "walk-"));
    await mkdir(join(tree, "team", "node_modules", "pkg"), { recursive: true });
    await mkdir(join(tree, ".git", "objects"), { recursive: true });
    await writeFile(join(tree, "team", "node_modules", "pkg", "hidden.yaml"), "apiVersion: defectdojo-jira/v1\n");
    await writeFile(join(tree, ".git", "objects", "ab"), "x");
    const report = await lintPaths(["."], { cwd: tree });
    expect(report.files).toEqual([]);
    expect(report.skippedDirectories.sort()).toEqual([".git", join("team", "node_modules")]);
    expect(await holdsYaml(join("team", "node_modules"), tree)).toBe(true);
    expect(await holdsYaml(".git", tree)).toBe(false);
  });

  it("counts a folder too large to look through as holding YAML", async () => {
    const tree = await mkdtemp(join(tmpdir(), "walk-"));
    for (let i = 0; i < 30; i++) await writeFile(join(tree, `f${i}.txt`), "");
    expect(await holdsYaml(".", tree, 20)).toBe(true);
    expect(await holdsYaml(".", tree, 40)).toBe(false);
  });
});
