#!/usr/bin/env node
import { EXIT, type CommandIO } from "./io.js";
import { main } from "./main.js";
import { quietOutput } from "./quiet-output.js";

// Both streams once, here: every command ends quietly when its reader goes away.
const stdout = quietOutput(process.stdout);
const stderr = quietOutput(process.stderr);
const io: CommandIO = {
  stdout: stdout.write,
  stderr: stderr.write,
  stdoutClosed: stdout.closed,
  stdin: process.stdin,
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
};
const status = await main(process.argv.slice(2), io);
process.exitCode = stdout.failed() || stderr.failed() ? EXIT.usage : status;
