import { spawn } from "node:child_process";
import { CLI, type CliRun } from "../helpers/run-cli.js";

export const FORMAT_NAMES = ["stylish", "json", "sarif", "junit", "github"] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export interface RunOptions {
  cwd: string;
  /** Placed before the inherited environment, so it comes first in /proc/self/environ. */
  env?: NodeJS.ProcessEnv;
  stdin?: string | Buffer;
  /** Node flags, e.g. a CI-sized heap. */
  nodeArgs?: string[];
  timeoutMs?: number;
}

/**
 * Like run-cli's runCli, but a run that hangs on hostile input is killed (status null) instead
 * of hanging the test run, and the caller's variables come first in the child's environment.
 */
export function runCliBounded(args: string[], options: RunOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI, ...args], { cwd: options.cwd, env: { ...options.env, ...process.env, ...options.env, NO_COLOR: "1" } });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? "");
  });
}

/** Runs `dojo-jira lint <operands>` once per output format, as a user would. */
export async function lintInEveryFormat(operands: string[], options: RunOptions): Promise<Record<FormatName, CliRun>> {
  const runs = await Promise.all(FORMAT_NAMES.map((format) => runCliBounded(["lint", ...operands, "--format", format], options)));
  return Object.fromEntries(FORMAT_NAMES.map((format, i) => [format, runs[i]!])) as Record<FormatName, CliRun>;
}

/**
 * Which canaries (by label, never by value: test output must not print a secret either) appear
 * in which format's stdout or stderr. Case-insensitive: a did-you-mean may upper-case a value.
 */
export function leaks(runs: Record<FormatName, CliRun>, canaries: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [format, run] of Object.entries(runs)) {
    const out = `${run.stdout}\n${run.stderr}`.toLowerCase();
    for (const [label, value] of Object.entries(canaries)) {
      if (out.includes(value.toLowerCase())) found.push(`${label} in ${format}`);
    }
  }
  return found;
}
