import type * as pulumi from "@pulumi/pulumi";
// The SDK's parts this module uses, not its index: the index also loads the Automation API and what
// it needs (580 modules, about 0.3 s of a deployment's serial start) that a Pulumi program never uses.
import { RunError } from "@pulumi/pulumi/errors.js";
import { getProject } from "@pulumi/pulumi/metadata.js";
import { output } from "@pulumi/pulumi/output.js";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config.js";

/** `isConfigSecret` exists at run time but is marked internal in the typings. */
const runtime = runtimeConfig as unknown as { getConfig: (key: string) => string | undefined; isConfigSecret?: (key: string) => boolean };

function fullKey(key: string): string {
  return key.includes(":") ? key : `${getProject()}:${key}`;
}

/**
 * A stack config key that is set in plaintext. Such a value sits unencrypted in Pulumi.<stack>.yaml
 * and in the state's provider inputs, so a reference to it is refused: secrets must be set with
 * `pulumi config set --secret`.
 */
export function plaintextConfigKey(key: string): string | undefined {
  const full = fullKey(key);
  if (runtime.getConfig(full) === undefined) return undefined; // unset: the provider says so, with the command to set it
  return runtime.isConfigSecret?.(full) === false ? full : undefined;
}

function refusal(key: string, what: string): RunError {
  const short = key.startsWith(`${getProject()}:`) ? key.slice(getProject().length + 1) : key;
  return new RunError(`${what}: stack config ${short} is not a secret, so it would be stored in plaintext. Set it again with: pulumi config set --secret ${short} <value>`);
}

/** Every `{ fromConfig }` reference inside `value` must name a secret config key. */
export function requireSecretReferences<T>(value: pulumi.Input<T>, what: string): pulumi.Output<T> {
  return output(value).apply((plain) => checkSecretReferences(plain, what)) as pulumi.Output<T>;
}

/** requireSecretReferences for a value at hand: returns it, or throws the refusal. */
export function checkSecretReferences<T>(value: T, what: string): T {
  for (const key of configReferences(value)) {
    const plaintext = plaintextConfigKey(key);
    if (plaintext) throw refusal(plaintext, what);
  }
  return value;
}

/** Throws when a named provider setting (e.g. defectdojo:apiToken) is set in plaintext. */
export function requireSecretSetting(key: string, what: string): void {
  const plaintext = plaintextConfigKey(key);
  if (plaintext) throw refusal(plaintext, what);
}

/** A stack config value, by the key a reference or a setting names (the project's namespace by default). */
export function configValue(key: string): string | undefined {
  return runtime.getConfig(fullKey(key));
}

/** The stack config keys the `{ fromConfig }` references inside `value` name. */
export function configReferences(value: unknown): string[] {
  if (!value || typeof value !== "object") return [];
  if (Array.isArray(value)) return value.flatMap(configReferences);
  const record = value as Record<string, unknown>;
  if (typeof record.fromConfig === "string") return [record.fromConfig];
  return Object.values(record).flatMap(configReferences);
}
