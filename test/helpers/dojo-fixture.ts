import type { DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import type { EmulatorRequest, EmulatorResponse, LoopbackEmulator } from "../../emulators/http.js";
import { API_VERSION, type ConfigDocument } from "../../schema/config-types.js";

type Handler = (request: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;

/**
 * Puts a hostile or racing DefectDojo (or Jira) in front of the emulator: `around` sees every
 * request and may answer it itself, act before or after passing it on, or let it through (return
 * undefined). Returns a function that takes the interception away.
 */
export function intercept(emulator: LoopbackEmulator, around: (request: EmulatorRequest, next: Handler) => EmulatorResponse | undefined | Promise<EmulatorResponse | undefined>): () => void {
  const target = emulator as unknown as { handle: Handler };
  const original = target.handle.bind(emulator);
  target.handle = async (request) => (await around(request, original)) ?? original(request);
  return () => {
    target.handle = original;
  };
}

/** The five severity-to-priority fields every Jira instance needs, as DefectDojo's API names them. */
export const API_SEVERITIES = { info_mapping_severity: "Lowest", low_mapping_severity: "Low", medium_mapping_severity: "Medium", high_mapping_severity: "High", critical_mapping_severity: "Highest" } as const;

/** A Jira instance as `POST /jira_instances/` takes it: every required field, overridable. */
export const apiInstance = (fields: Record<string, unknown> = {}) => ({ url: "https://corp.atlassian.net", username: "svc@corp.example", password: "jira-password-value", epic_name_id: 10011, open_status_key: 11, close_status_key: 31, ...API_SEVERITIES, ...fields });

/** DefectDojo's public API, as a hand-made change (click-ops) would use it. */
export function dojoApi(dojo: DefectDojoEmulator) {
  return async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${dojo.url}/api/v2/${path}`, { method, headers: { Authorization: `Token ${dojo.token}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} -> ${response.status}: ${text.slice(0, 200)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

export const instanceDoc = (name: string, extra: { spec?: Record<string, unknown>; options?: Record<string, unknown>; renamedFrom?: string[] } = {}): ConfigDocument =>
  ({
    apiVersion: API_VERSION,
    kind: "JiraInstance",
    metadata: { name, ...(extra.renamedFrom ? { renamedFrom: extra.renamedFrom } : {}) },
    ...(extra.options ? { options: extra.options } : {}),
    spec: { url: "https://corp.atlassian.net", username: "svc@corp.example", password: { fromConfig: "corpJiraToken" }, epicNameId: 10011, transitions: { reopen: 11, close: 31 }, ...extra.spec },
  }) as ConfigDocument;

export const productLinkDoc = (name: string, product: string | { id: number }, extra: { spec?: Record<string, unknown>; options?: Record<string, unknown>; renamedFrom?: string[]; instance?: string } = {}): ConfigDocument =>
  ({
    apiVersion: API_VERSION,
    kind: "ProductJiraLink",
    metadata: { name, ...(extra.renamedFrom ? { renamedFrom: extra.renamedFrom } : {}) },
    ...(extra.options ? { options: extra.options } : {}),
    spec: { product, instance: extra.instance ?? "corp-jira", projectKey: "PAY", ...extra.spec },
  }) as ConfigDocument;
