import * as pulumi from "@pulumi/pulumi";

/** `pulumi.runtime.isConfigSecret` exists at run time but is marked internal in the typings. */
const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };

function fullKey(key: string): string {
  return key.includes(":") ? key : `${pulumi.getProject()}:${key}`;
}

/**
 * A stack config key that is set in plaintext. Such a value sits unencrypted in Pulumi.<stack>.yaml
 * and in the state's provider inputs, so a reference to it is refused: secrets must be set with
 * `pulumi config set --secret`.
 */
export function plaintextConfigKey(key: string): string | undefined {
  const full = fullKey(key);
  if (pulumi.runtime.getConfig(full) === undefined) return undefined; // unset: the provider says so, with the command to set it
  return runtime.isConfigSecret?.(full) === false ? full : undefined;
}

function refusal(key: string, what: string): pulumi.RunError {
  const short = key.startsWith(`${pulumi.getProject()}:`) ? key.slice(pulumi.getProject().length + 1) : key;
  return new pulumi.RunError(`${what}: stack config ${short} is not a secret, so it would be stored in plaintext. Set it again with: pulumi config set --secret ${short} <value>`);
}

/** Every `{ fromConfig }` reference inside `value` must name a secret config key. */
export function requireSecretReferences<T>(value: pulumi.Input<T>, what: string): pulumi.Output<T> {
  return pulumi.output(value).apply((plain) => {
    for (const key of configReferences(plain)) {
      const plaintext = plaintextConfigKey(key);
      if (plaintext) throw refusal(plaintext, what);
    }
    return plain;
  }) as pulumi.Output<T>;
}

/** Throws when a named provider setting (e.g. defectdojo:apiToken) is set in plaintext. */
export function requireSecretSetting(key: string, what: string): void {
  const plaintext = plaintextConfigKey(key);
  if (plaintext) throw refusal(plaintext, what);
}

function configReferences(value: unknown): string[] {
  if (!value || typeof value !== "object") return [];
  if (Array.isArray(value)) return value.flatMap(configReferences);
  const record = value as Record<string, unknown>;
  if (typeof record.fromConfig === "string") return [record.fromConfig];
  return Object.values(record).flatMap(configReferences);
}
