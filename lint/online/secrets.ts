import { isOwnCredential } from "../../provider/credentials.js";
import { Secret } from "../../provider/secret.js";
import type { SecretRef } from "../../schema/config-types.js";

/**
 * The environment variable that stands in for a stack secret: Pulumi alone can decrypt
 * `fromConfig` references, so `lint --online` reads DOJO_JIRA_SECRET_<KEY> instead, the key in
 * upper snake case (corpJiraToken -> DOJO_JIRA_SECRET_CORP_JIRA_TOKEN, jira:token -> …_JIRA_TOKEN).
 */
export function stackSecretVariable(key: string): string {
  const snake = key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  return `DOJO_JIRA_SECRET_${snake.toUpperCase()}`;
}

export type ResolvedPassword = { secret: Secret; source: string } | { missing: string };

/** A CI job's own tokens: lint runs in one, and a pull request writes the references. */
const CI_TOKENS = /^(?:GITHUB_TOKEN|ACTIONS_\w+|CI_JOB_TOKEN|CI_JOB_JWT\w*|SYSTEM_ACCESSTOKEN)$/;

/** Resolves a password reference from the environment; says how to provide it when it cannot. */
export function resolvePassword(ref: SecretRef, env: NodeJS.ProcessEnv): ResolvedPassword {
  const named = "fromEnv" in ref ? ref.fromEnv : ref.fromConfig;
  if (isOwnCredential(named) || CI_TOKENS.test(named)) {
    return { missing: `${named} holds the credentials of DefectDojo, Pulumi or the CI job, never a Jira password; nothing was sent` };
  }
  if ("fromEnv" in ref) {
    const value = env[ref.fromEnv];
    return value ? { secret: new Secret(value), source: `environment variable ${ref.fromEnv}` } : { missing: `environment variable ${ref.fromEnv} is not set` };
  }
  const variable = stackSecretVariable(ref.fromConfig);
  const value = env[variable];
  return value
    ? { secret: new Secret(value), source: `${variable} (for stack secret ${ref.fromConfig})` }
    : { missing: `the password is stack secret ${ref.fromConfig}, which only Pulumi can decrypt; set ${variable} to check it` };
}
