// Builds into a fresh folder and then swaps it in, so that a `dojo-jira` already running from dist/
// (an editor, a hook, a second terminal) never sees a half-written tree while `npm test` rebuilds.
import { execFileSync } from "node:child_process";
import { rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";

const root = new URL("../", import.meta.url);
const at = (path) => new URL(path, root).pathname;
const run = (file, args) => execFileSync(process.execPath, [file, ...args], { cwd: at("."), stdio: "inherit" });

run(at("scripts/build-schema.mjs"), []);
await rm(at("dist.next"), { recursive: true, force: true });
run(createRequire(import.meta.url).resolve("typescript/bin/tsc"), ["-p", "tsconfig.json", "--outDir", "dist.next"]);
await rm(at("dist.old"), { recursive: true, force: true });
await rename(at("dist"), at("dist.old")).catch((error) => {
  if (error.code !== "ENOENT") throw error;
});
await rename(at("dist.next"), at("dist"));
await rm(at("dist.old"), { recursive: true, force: true });
