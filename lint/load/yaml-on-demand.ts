import { createRequire } from "node:module";

type Yaml = typeof import("yaml");
let loaded: Yaml | undefined;

/**
 * The yaml package, loaded on first use. Its 72 modules take 25–40 ms to load, a fifth of a
 * one-file lint; the plain reader (read-plain-yaml.ts) reads clean files without it, so a
 * pre-commit run on clean files never pays for it. yaml's entry for Node is CommonJS under both
 * `import` and `require`, so this is the very module instance a static import would give.
 */
export function yaml(): Yaml {
  return (loaded ??= createRequire(import.meta.url)("yaml") as Yaml);
}
