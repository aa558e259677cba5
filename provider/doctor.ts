import type { DefectDojoClient } from "./client/defectdojo-client.js";
import { DefectDojoError } from "./client/errors.js";
import type { ApiSystemSettings, Page } from "./client/api-types.js";
import { Secret } from "./secret.js";

/** `note` is worth knowing but does not stop `pulumi up`; `problem` does, or makes it unsafe. */
export type DoctorStatus = "ok" | "note" | "problem";

export interface DoctorCheck {
  /** Stable name of what was checked: "jira_instances", "superuser", … */
  id: string;
  status: DoctorStatus;
  message: string;
}

/** DefectDojo could not be reached at all (connection refused, 5xx until the deadline). */
export class DefectDojoUnreachable extends DefectDojoError {}

/** Fields of `jira_finding_mappings` that the acceptance suite seeds and the safety checks count on (§2.4). */
const MAPPING_FIELDS = ["jira_id", "jira_key", "jira_project", "finding", "engagement", "finding_group"];
/** Link fields added in DefectDojo 3.1.100 (§7) that `closeTransitionFields` / `reopenTransitionFields` write. */
const TRANSITION_FIELDS = ["close_transition_fields", "reopen_transition_fields"];
/** A 403 that is about the token itself, not about what its user may do (§2.1). */
const REFUSED_TOKEN = /Invalid token\.|Authentication credentials were not provided\./;

type Answer = { ok: true; body: unknown } | { ok: false; status: number; message: string };

/**
 * Read-only checks of a DefectDojo against what dojo-jira relies on: GET and OPTIONS only, never a
 * write. Each check is one result; the order is the order a reader fixes things in.
 */
export async function diagnose(client: DefectDojoClient): Promise<DoctorCheck[]> {
  const ask = async (method: "GET" | "OPTIONS", path: string, query: Record<string, string | number> = {}): Promise<Answer> => {
    try {
      return { ok: true, body: await client.http.request(method, path, { query }) };
    } catch (error) {
      if (!(error instanceof DefectDojoError)) throw error;
      return { ok: false, status: error.status, message: error.message };
    }
  };
  const list = (path: string) => ask("GET", path, { limit: 1 });

  // Every later answer depends on reaching DefectDojo with a token it accepts.
  const links = await list("jira_projects/");
  if (!links.ok && links.status === 0) throw new DefectDojoUnreachable(`DefectDojo is unreachable: ${links.message}`, 0);
  if (!links.ok && links.status === 403 && REFUSED_TOKEN.test(links.message)) {
    return [{ id: "token", status: "problem", message: `DefectDojo refuses the token (${links.message}); give a DefectDojo API v2 token in DEFECTDOJO_API_TOKEN` }];
  }

  const checks: DoctorCheck[] = [await version(ask), { id: "token", status: "ok", message: "accepted" }];
  checks.push(await route(list, "jira_instances", "jira_configurations"));
  checks.push(await route(list, "jira_projects", "jira_product_configurations", links));
  const firstLink = links.ok ? (links.body as Page<{ id: number }>).results?.[0] : undefined;
  checks.push(await deletePreview(ask, firstLink?.id));
  checks.push(await fields(ask, "jira_finding_mappings", MAPPING_FIELDS, "needed to seed and read finding-to-Jira-issue mappings"));
  checks.push(await fields(ask, "jira_projects", TRANSITION_FIELDS, "DefectDojo before 3.1.100: closeTransitionFields and reopenTransitionFields in a config would be dropped", links));
  checks.push(...(await settings(ask, (secret) => client.http.remember(new Secret(secret)))));
  return checks;
}

type Ask = (method: "GET" | "OPTIONS", path: string, query?: Record<string, string | number>) => Promise<Answer>;

/** DefectDojo's OpenAPI schema carries its release as `info.version` (§2.1 OpenAPI). */
async function version(ask: Ask): Promise<DoctorCheck> {
  const schema = await ask("GET", "oa3/schema/", { format: "json" });
  const found = schema.ok ? (schema.body as { info?: { version?: unknown } })?.info?.version : undefined;
  if (typeof found === "string" && found !== "") return { id: "version", status: "ok", message: `DefectDojo ${found}` };
  return { id: "version", status: "note", message: `not discoverable (${schema.ok ? "the OpenAPI schema names no version" : `GET /api/v2/oa3/schema/ answered ${schema.status || "nothing"}`})` };
}

function refused(answer: Answer): boolean {
  return !answer.ok && answer.status === 403;
}

/** A route is there when its list answers; 3.x keeps an older alias for each Jira route (§2.2, §2.3). */
async function route(list: (path: string) => Promise<Answer>, name: string, alias: string, known?: Answer): Promise<DoctorCheck> {
  const main = known ?? (await list(`${name}/`));
  const other = await list(`${alias}/`);
  const aliasNote = other.ok || refused(other) ? `alias ${alias} too` : `alias ${alias} absent`;
  if (main.ok) return { id: name, status: "ok", message: `present (${aliasNote})` };
  if (refused(main)) return { id: name, status: "problem", message: `refused to this token (403): its user needs to be a superuser` };
  if (main.status === 404 && (other.ok || refused(other))) return { id: name, status: "problem", message: `missing; only the older alias ${alias} answers, and dojo-jira uses ${name}` };
  if (main.status === 404) return { id: name, status: "problem", message: `missing (404), and so is its alias ${alias}` };
  return { id: name, status: "problem", message: main.message };
}

/**
 * The delete safety counts mappings through a link's delete_preview (§2.8). With a link to look at,
 * the preview itself is read; without one, OPTIONS proves the route (DRF answers it without a lookup).
 */
async function deletePreview(ask: Ask, linkId: number | undefined): Promise<DoctorCheck> {
  const id = "delete_preview";
  if (linkId !== undefined) {
    const preview = await ask("GET", `jira_projects/${linkId}/delete_preview/`, { limit: 1 });
    if (!preview.ok) return { id, status: "problem", message: `jira_projects/${linkId}/delete_preview/ answered ${preview.status}: dojo-jira cannot count the Jira issues a delete would erase, so it refuses every link delete` };
    const first = (preview.body as Page<{ model?: unknown }>)?.results?.[0];
    if (first?.model !== "JIRA_Project") return { id, status: "problem", message: `jira_projects/${linkId}/delete_preview/ does not list the link itself first (model ${JSON.stringify(first?.model)}); its rows cannot be trusted to count Jira issues` };
    return { id, status: "ok", message: `answers on jira_projects (read for link ${linkId})` };
  }
  const options = await ask("OPTIONS", "jira_projects/0/delete_preview/");
  if (options.ok) return { id, status: "ok", message: "present on jira_projects (checked with OPTIONS: no link to preview yet)" };
  return { id, status: "problem", message: `jira_projects/{id}/delete_preview/ answered ${options.status}: dojo-jira cannot count the Jira issues a delete would erase, so it refuses every link delete` };
}

/** Field names from a row when there is one, else from DRF's OPTIONS metadata for POST. */
async function fields(ask: Ask, resource: string, wanted: string[], consequence: string, known?: Answer): Promise<DoctorCheck> {
  const id = resource === "jira_projects" ? "transition_fields" : resource;
  const listed = known ?? (await ask("GET", `${resource}/`, { limit: 1 }));
  let names: string[] | undefined;
  let how = "";
  const row = listed.ok ? (listed.body as Page<Record<string, unknown>>)?.results?.[0] : undefined;
  if (row && typeof row === "object") {
    names = Object.keys(row);
    how = "read from a row";
  } else {
    const options = await ask("OPTIONS", `${resource}/`);
    const post = options.ok ? (options.body as { actions?: { POST?: Record<string, unknown> } })?.actions?.POST : undefined;
    if (post && typeof post === "object") {
      names = Object.keys(post);
      how = "from OPTIONS";
    } else if (!listed.ok && listed.status === 404) {
      return { id, status: "problem", message: `${resource} is missing (404)` };
    } else {
      return { id, status: "note", message: `not checked: no ${resource} row to read and OPTIONS describes no POST for this token` };
    }
  }
  const missing = wanted.filter((f) => !names.includes(f));
  if (missing.length > 0) return { id, status: "problem", message: `${resource} lacks ${missing.join(", ")} (${how}): ${consequence}` };
  return { id, status: "ok", message: `${id === resource ? "has" : `${resource} has`} ${wanted.join(", ")} (${how})` };
}

/**
 * `pulumi up` needs a superuser: only superusers may read and change system_settings (§2.5).
 * Whether it may change them is read from OPTIONS (DRF offers PUT only when its permission check
 * passes), so nothing is written.
 */
async function settings(ask: Ask, remember: (secret: string) => void): Promise<DoctorCheck[]> {
  const listed = await ask("GET", "system_settings/");
  if (!listed.ok) {
    if (listed.status === 404) {
      return [
        { id: "system_settings", status: "problem", message: "missing (404): dojo-jira cannot read or apply JiraSettings" },
        { id: "superuser", status: "note", message: "cannot tell without system_settings" },
        { id: "jira_enabled", status: "note", message: "cannot tell without system_settings" },
      ];
    }
    const why = listed.status === 403 ? "system_settings answers 403 to this token: its user is not a superuser, and pulumi up needs one" : listed.message;
    return [
      { id: "system_settings", status: "note", message: `cannot tell whether the list answers (${listed.status})` },
      { id: "superuser", status: "problem", message: why },
      { id: "jira_enabled", status: "note", message: "cannot tell: system_settings is not readable with this token" },
    ];
  }
  const page = listed.body as Page<ApiSystemSettings>;
  const row = page?.results?.[0];
  if (!row || typeof row.id !== "number") {
    return [
      { id: "system_settings", status: "problem", message: "the list answers without its row: dojo-jira cannot read or apply JiraSettings" },
      { id: "superuser", status: "note", message: "cannot tell without the settings row" },
      { id: "jira_enabled", status: "note", message: "cannot tell without the settings row" },
    ];
  }
  // The row carries the webhook secret in clear: no later message may echo it.
  if (typeof row.jira_webhook_secret === "string" && row.jira_webhook_secret !== "") remember(row.jira_webhook_secret);
  const checks: DoctorCheck[] = [{ id: "system_settings", status: "ok", message: `list answers with its row (id ${row.id})` }];
  const options = await ask("OPTIONS", `system_settings/${row.id}/`);
  const put = options.ok ? (options.body as { actions?: { PUT?: unknown } })?.actions?.PUT : undefined;
  if (put && typeof put === "object") checks.push({ id: "superuser", status: "ok", message: "the token reads system_settings and may change them (OPTIONS offers PUT; nothing written)" });
  else if (refused(options)) checks.push({ id: "superuser", status: "problem", message: "system_settings answers OPTIONS with 403: the token's user may not change them, and pulumi up needs a superuser" });
  else checks.push({ id: "superuser", status: "problem", message: `the token reads system_settings but OPTIONS offers no PUT (${options.ok ? "no actions" : options.status}): its user may not change them, and pulumi up needs a superuser` });
  const webhook = row.enable_jira_web_hook ? "webhook on" : "webhook off";
  checks.push(
    row.enable_jira
      ? { id: "jira_enabled", status: "ok", message: `Jira is on in System Settings (${webhook})` }
      : { id: "jira_enabled", status: "note", message: `Jira is off in System Settings (${webhook}): DefectDojo pushes nothing until a JiraSettings document turns it on` },
  );
  return checks;
}
