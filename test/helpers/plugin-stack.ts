import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import { LocalStack } from "../../provider/local-stack.js";

/**
 * A stack of the program in `app` on the provider plugin, configured only through the plugin's own
 * stack config: no DEFECTDOJO_* in the environment, so the credentials must come through Configure.
 */
export async function pluginStack(options: { app: string; work: string; purpose: string; bin: string; dojo: DefectDojoEmulator; jiraToken: string; env?: Record<string, string | undefined> }): Promise<LocalStack> {
  const { app, work, purpose, bin, dojo, jiraToken, env = {} } = options;
  const stack = new LocalStack(app, join(work, "pulumi"), LocalStack.uniqueName(purpose), bin, { DEFECTDOJO_URL: undefined, DEFECTDOJO_API_TOKEN: undefined, ...env });
  await stack.init({ "defectdojo-jira:url": dojo.url }, { "defectdojo-jira:apiToken": dojo.token });
  await stack.must(["config", "set", "--secret", "--path", "defectdojo-jira:secrets.corpJiraToken", jiraToken]);
  return stack;
}

/** What a plugin test made: its stack, its emulator, its folder. */
export async function disposeAll(stack: LocalStack | undefined, dojo: DefectDojoEmulator | undefined, work: string | undefined): Promise<void> {
  await stack?.remove();
  await dojo?.close();
  if (work) await rm(work, { recursive: true, force: true });
}
