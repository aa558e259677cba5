// `prepare` runs the build when npm installs the package from git. For a *global* git install
// (`npm install -g git+…`, which is how pre-commit installs node hooks), npm 11 extracts the clone's
// dependencies into the global prefix instead of the clone, so the build finds none of its tools
// (`Cannot find package 'ajv'`). Then they are installed into the clone first, without scripts.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const missing = ["typescript/bin/tsc", "ajv", "json-schema-to-typescript"].filter((id) => {
  try {
    require.resolve(id);
    return false;
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  console.error(`dojo-jira prepare: build tools missing (${missing.join(", ")}); installing them into ${process.cwd()}`);
  // The outer npm's settings (global, prefix, …) arrive as npm_config_* variables: not for this install.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_config_")));
  execFileSync("npm", ["install", "--include=dev", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund", "--global=false", `--prefix=${process.cwd()}`], { stdio: "inherit", env });
}
execFileSync(process.execPath, [new URL("build.mjs", import.meta.url).pathname], { stdio: "inherit" });
