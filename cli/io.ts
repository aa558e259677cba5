/** Exit codes shared by every command. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

export class CliUsageError extends Error {}

export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True once stdout's reader has gone (`| head -1`): a command that only prints may stop early. */
  stdoutClosed?: () => boolean;
  stdin: NodeJS.ReadableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}
