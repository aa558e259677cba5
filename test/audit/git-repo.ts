import { execFileSync, spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ROOT } from "../helpers/run-cli.js";

/** A throw-away git repository holding a config tree under `config/`, for diff and log tests. */
export async function configRepo(prefix: string) {
  const dir = await mkdtemp(join(tmpdir(), `dojo-jira-${prefix}-`));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "auditor@corp.example");
  git("config", "user.name", "Ada Auditor");
  await cp(join(ROOT, "examples/basic"), join(dir, "config"), { recursive: true });
  return {
    dir,
    git,
    async write(file: string, text: string) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), text);
    },
    commit(message: string) {
      git("add", "-A");
      git("commit", "-qm", message);
    },
    /** Stores `bytes` bytes of YAML comment lines as a blob, streamed: the test never holds them. */
    async bigBlob(bytes: number): Promise<string> {
      const child = spawn("git", ["hash-object", "-w", "--stdin"], { cwd: dir });
      let id = "";
      child.stdout.on("data", (d: Buffer) => (id += d.toString()));
      const done = new Promise<number | null>((resolve) => child.on("close", resolve));
      const line = Buffer.from(`# ${"padding ".repeat(12)}\n`);
      const chunk = Buffer.concat(Array.from({ length: Math.ceil((1 << 20) / line.length) }, () => line));
      for (let written = 0; written < bytes; written += chunk.length) {
        if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once("drain", resolve));
      }
      child.stdin.end();
      if ((await done) !== 0) throw new Error("git hash-object failed");
      return id.trim();
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A product link document, as examples/basic writes them. */
export const linkYaml = (name: string, product: string, projectKey: string) =>
  `apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: ${name}\nspec:\n  product: ${product}\n  instance: corp-jira\n  projectKey: ${projectKey}\n`;
