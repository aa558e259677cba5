import { existsSync, readdirSync, readFileSync } from "node:fs";
import { delimiter, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { pulumiHome } from "../provider/pulumi-home.js";
import { PACKAGE } from "../schema/pulumi-package-schema.js";

/** This package's plugin folder (bin/, beside dist/). */
const PLUGIN_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../bin");
const truthy = (value: string | undefined) => /^(?:1|true)$/i.test(value ?? "");

/**
 * The root program's resources are the provider plugin's, which the engine finds only where the
 * project names its folder (Pulumi.yaml `plugins.providers`), among installed plugins, or (unless
 * ambient plugins are ignored) on PATH. A project made by an earlier `dojo-jira init` names none:
 * said here, with the lines to add, before anything is declared, instead of the engine's "no
 * resource plugin found in the workspace" after the stack's first registration.
 */
export function missingPluginEntry(projectDir: string): string | undefined {
  const file = join(projectDir, "Pulumi.yaml");
  if (!existsSync(file)) return undefined; // Pulumi.yml, or a project elsewhere: the engine says what it misses
  let project: unknown;
  try {
    project = parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  const named = project as { plugins?: { providers?: unknown }; packages?: unknown } | null;
  const providers = named?.plugins?.providers;
  if (Array.isArray(providers) && providers.some((p) => (p as { name?: unknown } | null)?.name === PACKAGE)) return undefined;
  // `packages: { defectdojo-jira: <folder or source> }` names it too (Pulumi 3.160 and later).
  if (named?.packages && typeof named.packages === "object" && PACKAGE in named.packages) return undefined;
  // A provider the operator started by hand and attached (PULUMI_DEBUG_PROVIDERS=defectdojo-jira:<port>).
  if ((process.env.PULUMI_DEBUG_PROVIDERS ?? "").split(",").some((entry) => entry.startsWith(`${PACKAGE}:`))) return undefined;
  if (installed() || (!truthy(process.env.PULUMI_IGNORE_AMBIENT_PLUGINS) && onPath(`pulumi-resource-${PACKAGE}`))) return undefined;
  // As the project names the package (a symbolic link to it, as `npm link` makes, resolves elsewhere).
  const installedHere = join("node_modules", "dojo-jira", "bin");
  const path = existsSync(join(projectDir, installedHere, `pulumi-resource-${PACKAGE}`)) ? installedHere : relative(projectDir, PLUGIN_DIR) || ".";
  return `${file} names no provider plugin ${PACKAGE}. The root program's resources are that plugin's, which ships with dojo-jira; add to Pulumi.yaml:\n\nplugins:\n  providers:\n    - name: ${PACKAGE}\n      path: ${path}\n\nNothing was changed.`;
}

function installed(): boolean {
  try {
    return readdirSync(join(pulumiHome(), "plugins")).some((entry) => entry.startsWith(`resource-${PACKAGE}-v`));
  } catch {
    return false;
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => dir !== "" && existsSync(join(dir, command)));
}
