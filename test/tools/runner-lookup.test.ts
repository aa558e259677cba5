import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalStack } from "../../provider/local-stack.js";
import { ROOT } from "../helpers/run-cli.js";

// The bundled CLI's dynamic-provider shim and Node.js language host find @pulumi/pulumi's runners by
// walking node_modules folders instead of asking node. The walk must land where node would: from the
// physical path (node resolves symbolic links first), never in a node_modules/node_modules.
const SHIM = join(ROOT, "tools/pulumi/pulumi-resource-pulumi-nodejs");
let work: string;

/** A fake @pulumi/pulumi under `dir` whose runners only say which copy they are. */
async function fakePulumi(dir: string, label: string): Promise<void> {
  for (const runner of ["run", "dynamic-provider"]) {
    await mkdir(join(dir, "@pulumi/pulumi/cmd", runner), { recursive: true });
    await writeFile(join(dir, "@pulumi/pulumi/cmd", runner, "index.js"), `console.log("${label} ${runner}")`);
  }
}

/** The shim run from `cwd` as a shell reaches it (a logical path, symbolic links kept). */
async function shimFrom(cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)("sh", ["-c", `cd "$1" && sh "$2"`, "sh", cwd, SHIM]);
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "runner-lookup-"));
  // ws/proj is a symbolic link to real/proj, which has no node_modules of its own: node looks in
  // real/node_modules; the logical parent ws/node_modules holds another copy.
  await mkdir(join(work, "real/proj"), { recursive: true });
  await fakePulumi(join(work, "real/node_modules"), "physical");
  await fakePulumi(join(work, "ws/node_modules"), "logical");
  await symlink("../real/proj", join(work, "ws/proj"));
  // Node never looks in a node_modules/node_modules.
  await mkdir(join(work, "nested/node_modules/pkg"), { recursive: true });
  await fakePulumi(join(work, "nested/node_modules"), "right");
  await fakePulumi(join(work, "nested/node_modules/node_modules"), "wrong");
  await mkdir(join(work, "bare"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe("finding @pulumi/pulumi's runners as node would", () => {
  it("the shim follows the physical path of a symbolically linked project", async () => {
    expect(await shimFrom(join(work, "ws/proj"))).toEqual({ code: 0, out: "physical dynamic-provider\n" });
  });

  it("the shim never looks in a node_modules/node_modules", async () => {
    expect(await shimFrom(join(work, "nested/node_modules/pkg"))).toEqual({ code: 0, out: "right dynamic-provider\n" });
  });

  it("without @pulumi/pulumi anywhere, the shim says so in one line and fails", async () => {
    const result = await shimFrom(join(work, "bare"));
    expect(result.code).toBe(1);
    expect(result.out.trim().split("\n")).toEqual([expect.stringContaining("@pulumi/pulumi is not installed next to the program")]);
  });

  it("the language host runs the runner of the physical path too", async () => {
    const proj = join(work, "real/proj");
    await writeFile(join(proj, "Pulumi.yaml"), "name: lookup\nruntime: nodejs\nmain: index.js\n");
    await writeFile(join(proj, "index.js"), "");
    const stack = new LocalStack(join(work, "ws/proj"), join(work, "pulumi"), LocalStack.uniqueName("lookup"), await LocalStack.installCli(ROOT));
    await stack.init({}, {});
    // As a shell leaves it after `cd ws/proj`: the CLI takes the logical path from PWD.
    const preview = await stack.run(["preview"], { env: { PWD: join(work, "ws/proj") } });
    await stack.remove();
    expect(preview.output).toContain("physical run");
    expect(preview.output).not.toContain("logical run");
  }, 120_000);
});

describe("Pulumi.yaml's runtime options, read as Pulumi's own Node.js host reads them", () => {
  it("nodeargs go before the runner, split as a shell would; typescript is on unless switched off; a wrong type is named", async () => {
    const proj = join(work, "options");
    await mkdir(join(proj, "node_modules/@pulumi/pulumi/cmd/run"), { recursive: true });
    await writeFile(join(proj, "node_modules/@pulumi/pulumi/cmd/run/index.js"), `console.log("runner", JSON.stringify(process.execArgv), process.env.PULUMI_NODEJS_TYPESCRIPT ?? "no-typescript")`);
    await writeFile(join(proj, "index.js"), "");
    await writeFile(join(proj, "Pulumi.yaml"), "name: options\nruntime: nodejs\nmain: index.js\n");
    const stack = new LocalStack(proj, join(work, "options-pulumi"), LocalStack.uniqueName("options"), await LocalStack.installCli(ROOT));
    await stack.init({}, {});
    const previewWith = async (options: string) => {
      await writeFile(join(proj, "Pulumi.yaml"), `name: options\nruntime:\n  name: nodejs\n${options}main: index.js\n`);
      return (await stack.run(["preview"])).output;
    };
    try {
      expect(await previewWith("")).toContain("runner [] true");
      expect(await previewWith(`  options:\n    typescript: false\n    nodeargs: --stack-trace-limit=0 '--title=a b'\n`)).toContain(`runner ["--stack-trace-limit=0","--title=a b"] no-typescript`);
      expect(await previewWith(`  options:\n    typescript: "no"\n`)).toContain("typescript option must be a boolean");
    } finally {
      await stack.remove();
    }
  }, 120_000);
});
