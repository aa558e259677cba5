import { execFile } from "node:child_process";
import { chmod, cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/run-cli.js";

// scripts/install-pulumi.sh decides between an installed CLI and a Go build. Each case runs the real
// script in a copy of the project layout, with a PATH made for it (node, coreutils, and fakes).
let work: string;
const run = async (pathDirs: string[], project: string) => {
  try {
    const { stdout, stderr } = await promisify(execFile)("bash", [join(project, "scripts/install-pulumi.sh")], { env: { PATH: [...pathDirs, "/usr/bin", "/bin"].join(":"), HOME: join(work, "home") } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

async function project(name: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(join(dir, "scripts"), { recursive: true });
  await cp(join(ROOT, "scripts/install-pulumi.sh"), join(dir, "scripts/install-pulumi.sh"));
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

async function fakePulumi(name: string, version: string, withHost: boolean): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "pulumi"), `#!/bin/sh\n[ "$1" = version ] && echo ${version}\n`);
  await chmod(join(dir, "pulumi"), 0o755);
  if (withHost) {
    await writeFile(join(dir, "pulumi-language-nodejs"), "#!/bin/sh\n");
    await chmod(join(dir, "pulumi-language-nodejs"), 0o755);
  }
  return dir;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "install-pulumi-"));
  await mkdir(join(work, "home"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe("install-pulumi.sh", () => {
  it("uses any installed CLI from the minimum version on, without building", async () => {
    const newer = await fakePulumi("newer", "v3.250.0", true);
    const result = await run([newer], await project("p1"));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("using the installed Pulumi CLI v3.250.0");
    const dir = result.stdout.trim().split("\n").pop()!;
    expect(dir).toMatch(/\.cache\/pulumi\/shim$/); // a bare binary gets the dynamic-provider plugin beside it
    expect(result.stderr).not.toContain("building");
  });

  it("an installed CLI without a Python language host, and nothing to make ours: one line, not a failure", async () => {
    const newer = await fakePulumi("newer-nopython", "v3.250.0", true);
    const result = await run([newer], await project("p4"));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("no pulumi-language-python beside the CLI or on PATH");
    expect(result.stderr).toContain("using the installed Pulumi CLI v3.250.0");
  });

  it("ignores a CLI older than the minimum, saying why, and without Go says so in one line", async () => {
    const older = await fakePulumi("older", "v3.100.0", true);
    const result = await run([older], await project("p2"));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("ignoring");
    expect(result.stderr).toContain("needs Pulumi 3.216.0 or later");
    expect(result.stderr.trim().split("\n").pop()).toMatch(/^install-pulumi: no Pulumi CLI 3\.216\.0\+ found, and Go \(1\.25\.11 or later\) is needed to build one here; install Pulumi \(.*\) or Go, then run this again$/);
  });

  it("ignores a CLI without its Node.js language host", async () => {
    const bare = await fakePulumi("bare", "v3.250.0", false);
    const result = await run([bare], await project("p3"));
    expect(result.stderr).toContain("no pulumi-language-nodejs beside it or on PATH");
  });
});
