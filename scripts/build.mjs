// Builds into a fresh folder of its own and then swaps it in, so that a `dojo-jira` already running
// from dist/ (an editor, a hook, a second terminal) never sees a half-written tree while `npm test`
// rebuilds, and two builds at once (two terminals) cannot tear each other's output apart.
import { execFileSync } from "node:child_process";
import { readFile, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";

const root = new URL("../", import.meta.url);
const at = (path) => new URL(path, root).pathname;
const run = (file, args) => execFileSync(process.execPath, [file, ...args], { cwd: at("."), stdio: "inherit" });
const next = `dist.next-${process.pid}`;
const replaced = [];

run(at("scripts/build-schema.mjs"), []);
try {
  run(createRequire(import.meta.url).resolve("typescript/bin/tsc"), ["-p", "tsconfig.json", "--outDir", next]);
  run(at("scripts/build-pulumi-schema.mjs"), [next]);
  // The generated SDKs (npm run build:sdks) stay while the schema they were generated from is the
  // one just built: a rebuild of unrelated code does not cost them; a changed schema drops them.
  const text = (path) => readFile(at(path), "utf8").catch(() => undefined);
  const sdkSchema = await text("dist/sdk/schema.json");
  if (sdkSchema !== undefined && sdkSchema === (await text(`${next}/provider/native/schema.json`))) await rename(at("dist/sdk"), at(`${next}/sdk`)).catch(() => {});
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(at(next), at("dist"));
      break;
    } catch (error) {
      if (!["ENOTEMPTY", "EEXIST"].includes(error.code) || attempt === 10) throw error;
      const old = `dist.old-${process.pid}-${attempt}`;
      await rename(at("dist"), at(old)).catch((e) => {
        if (e.code !== "ENOENT") throw e;
      });
      replaced.push(old);
    }
  }
} finally {
  await Promise.all([next, ...replaced].map((dir) => rm(at(dir), { recursive: true, force: true })));
}
