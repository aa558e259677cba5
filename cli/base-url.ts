import { CliUsageError } from "./io.js";

/**
 * A server's base URL as given on the command line or in the environment, without trailing
 * slashes. A `user:password@` part is refused, not dropped: every message that names the server
 * would echo it, and fetch itself refuses such a URL with a message quoting it whole (webhook
 * secret included). Credentials have their own environment variables.
 */
export function baseUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not echoed: a URL that does not parse may still hold a password.
    throw new CliUsageError(`${source} is not a URL; give the base URL, e.g. https://host.corp.example`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new CliUsageError(`${source} must start with https://`);
  if (url.username || url.password) {
    url.username = url.password = "";
    throw new CliUsageError(`${source} must not carry a user name or password: give ${url.href} and the credentials in the environment (see --help)`);
  }
  return url.href.replace(/\/+$/, "");
}
