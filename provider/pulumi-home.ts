import { homedir } from "node:os";
import { join } from "node:path";

/** Pulumi's home folder, as the CLI finds it: PULUMI_HOME when set (and not empty), else ~/.pulumi. */
export function pulumiHome(): string {
  return process.env.PULUMI_HOME || join(homedir(), ".pulumi");
}
