#!/usr/bin/env node
import type { CommandIO } from "./io.js";
import { main } from "./main.js";

const io: CommandIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stdin: process.stdin,
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
};
process.exitCode = await main(process.argv.slice(2), io);
