import type { SecretRef } from "../schema/config-types.js";
import { Secret } from "./secret.js";

/** The stack config as the dynamic-provider host hands it to `configure` (reference §1). */
export interface ProviderConfig {
  get(key: string): string | undefined;
}

/** Config keys and environment variables that hold this tool's own credentials, never a reference's value. */
const OWN_CREDENTIALS = /^(?:(?:[\w-]+:)?apiToken|DEFECTDOJO_API_TOKEN|PULUMI_ACCESS_TOKEN|PULUMI_CONFIG_PASSPHRASE(?:_FILE)?)$/;

/** Whether a reference names the credentials of DefectDojo or Pulumi themselves. */
export const isOwnCredential = (name: string): boolean => OWN_CREDENTIALS.test(name);

/** Where the provider process gets settings: stack config first, then the environment. */
export class Settings {
  private config: ProviderConfig = { get: () => undefined };
  /** Bumped by every configure, so that clients built from older settings are rebuilt. */
  generation = 0;

  configure(config: ProviderConfig): void {
    this.config = config;
    this.generation++;
  }

  defectDojo(): { url: string; token: Secret } {
    const url = this.config.get("defectdojo:url") ?? process.env.DEFECTDOJO_URL;
    const token = this.config.get("defectdojo:apiToken") ?? process.env.DEFECTDOJO_API_TOKEN;
    if (!url || !token) {
      throw new Error("DefectDojo connection not configured: set defectdojo:url and defectdojo:apiToken (pulumi config set --secret defectdojo:apiToken …), or DEFECTDOJO_URL and DEFECTDOJO_API_TOKEN");
    }
    return { url, token: new Secret(token) };
  }

  /** The key of secret fingerprints in state: a secret that state does not hold (see fingerprint.ts). */
  fingerprintKey(): Secret {
    return this.defectDojo().token;
  }

  /** Resolves a secret reference; the message on failure says how to set it, never a value. */
  resolve(ref: SecretRef, what: string): Secret {
    const named = "fromEnv" in ref ? ref.fromEnv : ref.fromConfig;
    if (isOwnCredential(named)) {
      // A Jira password or webhook secret is sent to the Jira or DefectDojo the config names: naming
      // the tool's own credentials there would hand them to whoever wrote that URL.
      throw new Error(`${what}: ${named} holds the credentials of DefectDojo or Pulumi themselves and cannot be used as a Jira password or webhook secret`);
    }
    if ("fromEnv" in ref) {
      const value = process.env[ref.fromEnv];
      if (value === undefined || value === "") throw new Error(`${what}: environment variable ${ref.fromEnv} is not set`);
      return new Secret(value);
    }
    const value = this.config.get(ref.fromConfig);
    if (value === undefined || value === "") throw new Error(`${what}: stack config ${ref.fromConfig} is not set (pulumi config set --secret ${ref.fromConfig} <value>)`);
    return new Secret(value);
  }
}
