import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";

/**
 * The server an acceptance file runs against: DEFECTDOJO_URL / DEFECTDOJO_API_TOKEN when both are
 * set (a throwaway DefectDojo: the suite writes), else a fresh emulator. Everything goes through
 * DefectDojo's public API, so both get the same code.
 */
export interface AcceptanceServer {
  url: string;
  token: string;
  external: boolean;
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** One request, whatever it answers, for checks on status codes and bodies. */
  raw(method: string, path: string, init?: { body?: string; authorization?: string | null }): Promise<{ status: number; text: string; json: () => Record<string, unknown>; location: string | null }>;
  list<T = Record<string, unknown>>(path: string): Promise<T[]>;
  close(): Promise<void>;
}

/** A run-unique prefix for every name a file creates, so its cleanup finds exactly those. */
export const runPrefix = (label: string) => `dojo-jira-${label}-${Date.now().toString(36)}`;

export async function acceptanceServer(): Promise<AcceptanceServer> {
  const env = process.env;
  const external = env.DEFECTDOJO_URL && env.DEFECTDOJO_API_TOKEN ? { url: env.DEFECTDOJO_URL.replace(/\/+$/, ""), token: env.DEFECTDOJO_API_TOKEN } : undefined;
  const emulator: DefectDojoEmulator | undefined = external ? undefined : await startDefectDojoEmulator();
  const url = external?.url ?? emulator!.url;
  const token = external?.token ?? emulator!.token;
  const raw: AcceptanceServer["raw"] = async (method, path, init = {}) => {
    const authorization = init.authorization === undefined ? `Token ${token}` : init.authorization;
    const response = await fetch(`${url}/api/v2/${path}`, {
      method,
      headers: { ...(authorization ? { Authorization: authorization } : {}), ...(init.body !== undefined ? { "Content-Type": "application/json" } : {}) },
      body: init.body,
      redirect: "manual",
    });
    const text = await response.text();
    return { status: response.status, text, json: () => JSON.parse(text) as Record<string, unknown>, location: response.headers.get("location") };
  };
  const api: AcceptanceServer["api"] = async <T>(method: string, path: string, body?: unknown) => {
    const response = await raw(method, path, { body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status >= 300) throw new Error(`${method} ${path} -> ${response.status}: ${response.text.slice(0, 300)}`);
    return (response.text ? JSON.parse(response.text) : undefined) as T;
  };
  return {
    url,
    token,
    external: Boolean(external),
    api,
    raw,
    list: async <T>(path: string) => (await api<{ results: T[] }>("GET", `${path}${path.includes("?") ? "&" : "?"}limit=1000`)).results,
    close: async () => emulator?.close(),
  };
}
