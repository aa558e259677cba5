import { DefectDojoClient } from "../provider/client/defectdojo-client.js";
import type { HttpOptions } from "../provider/client/http.js";
import { Secret } from "../provider/secret.js";
import { baseUrl } from "./base-url.js";
import { CliUsageError, type CommandIO } from "./io.js";

/** The DefectDojo a command talks to: `--defectdojo-url` (or DEFECTDOJO_URL) and DEFECTDOJO_API_TOKEN. */
export function defectDojoFromEnv(io: CommandIO, flag: string | undefined, options: Partial<HttpOptions> = {}): { client: DefectDojoClient; url: string } {
  const given = flag ?? io.env.DEFECTDOJO_URL;
  const token = io.env.DEFECTDOJO_API_TOKEN;
  if (!given || !token) throw new CliUsageError("set DEFECTDOJO_URL (or --defectdojo-url) and DEFECTDOJO_API_TOKEN");
  const url = baseUrl(given, flag === undefined ? "DEFECTDOJO_URL" : "--defectdojo-url");
  return { client: new DefectDojoClient({ ...options, url, token: new Secret(token) }), url };
}
