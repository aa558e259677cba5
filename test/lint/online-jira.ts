import { JiraEmulator, type JiraEmulatorOptions } from "../../emulators/jira/server.js";
import type { EmulatorRequest, EmulatorResponse } from "../../emulators/http.js";

/**
 * The Jira emulator plus the issue search (`/search` on Data Center, `/search/jql` on Cloud),
 * which `lint --online` needs to find issues whose transitions show a project's workflow and the
 * emulator does not serve yet. Only `project = "KEY"` queries, which is all lint asks.
 */
export class SearchingJira extends JiraEmulator {
  protected override handle(request: EmulatorRequest): EmulatorResponse {
    const search = /^\/rest\/api\/(?:2|3|latest)\/search(\/jql)?$/.exec(request.url.pathname);
    const served = search && (search[1] === "/jql") === (this.flavour === "cloud");
    if (!served || request.method !== "GET" || request.url.pathname.startsWith("/_emulator/")) return super.handle(request);
    // Authenticated like every other call: ask the emulator for /myself with the same headers.
    const auth = super.handle({ ...request, url: new URL("/rest/api/2/myself", request.url) });
    if (auth.status !== 200) return auth;
    const key = /project\s*=\s*"?([A-Z][A-Z0-9_]*)"?/.exec(request.url.searchParams.get("jql") ?? "")?.[1];
    const issues = [...this.issues.values()].filter((i) => i.project === key).map((i) => ({ key: i.key, fields: { status: { name: i.status.name } } }));
    return { status: 200, json: { issues, total: issues.length, startAt: 0, maxResults: 50 } };
  }
}

export async function startSearchingJira(options: JiraEmulatorOptions): Promise<SearchingJira> {
  return new SearchingJira(options).start();
}
