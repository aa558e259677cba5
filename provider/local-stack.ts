import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";

export interface PulumiRun {
  code: number;
  output: string;
}

/** A resource as `pulumi stack export` has it: the fields the demo, tests and benches read. */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  parent?: string;
  provider?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/**
 * A Pulumi stack on a local file backend, driven through the real `pulumi` CLI: what the demo
 * and the end-to-end tests use. Everything (state, PULUMI_HOME) lives under `workDir`.
 */
export class LocalStack {
  readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly projectDir: string,
    readonly workDir: string,
    readonly stack: string,
    pulumiBin: string,
    extraEnv: NodeJS.ProcessEnv = {},
  ) {
    this.env = {
      ...process.env,
      PATH: `${pulumiBin}:${process.env.PATH ?? ""}`,
      PULUMI_HOME: join(workDir, "home"),
      // metadata=skip: gocloud's file bucket otherwise hashes every state write (MD5) into an .attrs
      // file beside it that Pulumi never reads; with checkpoints rewriting the whole state twice per
      // created resource, that was about 0.3 s of a create of 200 links. Writes stay atomic (temp + rename).
      PULUMI_BACKEND_URL: `file://${join(workDir, "state")}?metadata=skip`,
      PULUMI_CONFIG_PASSPHRASE: "dojo-jira-local-stack",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
      ...extraEnv,
    };
  }

  /**
   * A stack name no person picks: the stack's config file (Pulumi.<stack>.yaml) lives in the
   * project folder, so a fixed name would collide with a user's own stack of that name there.
   */
  static uniqueName(purpose: string): string {
    return `dojo-jira-${purpose}-${process.pid}-${randomBytes(3).toString("hex")}`;
  }

  /**
   * Finds or builds the CLI (scripts/install-pulumi.sh) and returns the directory holding it. The
   * script's progress lines pass through to stderr as they come; a failure is its last line.
   */
  static installCli(projectDir: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn("bash", [join(projectDir, "scripts/install-pulumi.sh")], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let lastLine = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => {
        process.stderr.write(chunk);
        lastLine = chunk.toString().trim().split("\n").pop() ?? lastLine;
      });
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(stdout.trim().split("\n").pop()!) : reject(new Error(lastLine.replace(/^install-pulumi: /, "") || `scripts/install-pulumi.sh exited with ${code}`))));
    });
  }

  async init(config: Record<string, string>, secrets: Record<string, string>): Promise<void> {
    await mkdir(join(this.workDir, "state"), { recursive: true });
    await mkdir(join(this.workDir, "home"), { recursive: true });
    await this.must(["stack", "init"]);
    for (const [key, value] of Object.entries(config)) await this.must(["config", "set", key, value]);
    for (const [key, value] of Object.entries(secrets)) await this.must(["config", "set", "--secret", key, value]);
  }

  /** Runs `pulumi <args>` for this stack; `echo` streams the output as it comes. */
  run(args: string[], options: { echo?: (text: string) => void; env?: NodeJS.ProcessEnv } = {}): Promise<PulumiRun> {
    return new Promise((resolve, reject) => {
      const child = spawn("pulumi", [...args, "--stack", this.stack, "--non-interactive"], { cwd: this.projectDir, env: { ...this.env, ...options.env } });
      let output = "";
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        options.echo?.(chunk.toString());
      };
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? 1, output }));
    });
  }

  async must(args: string[], options: Parameters<LocalStack["run"]>[1] = {}): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed (${result.code}):\n${result.output}`);
    return result.output;
  }

  /** The stack's resources, as `pulumi stack export` has them. */
  async resources(): Promise<StateResource[]> {
    const exported = await this.must(["stack", "export"]);
    // Anything the CLI says before the document (a warning line) is not JSON.
    return (JSON.parse(exported.slice(exported.indexOf("{"))) as { deployment: { resources: StateResource[] } }).deployment.resources;
  }

  up(options: Parameters<LocalStack["run"]>[1] = {}): Promise<PulumiRun> {
    return this.run(["up", "--yes", "--skip-preview"], options);
  }

  async remove(): Promise<void> {
    await this.run(["stack", "rm", "--yes", "--force"]);
    await rm(this.workDir, { recursive: true, force: true });
  }
}
