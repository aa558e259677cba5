import { setTimeout as sleep } from "node:timers/promises";
import { Secret } from "../secret.js";
import type { ApiDeletePreviewItem, ApiEngagement, ApiJiraInstance, ApiJiraProject, ApiProduct, ApiSystemSettings, Page } from "./api-types.js";
import { DefectDojoError, PaginationError, UnknownOutcomeError } from "./errors.js";
import { printable } from "../../text/printable.js";
import { DefectDojoHttp, type HttpOptions } from "./http.js";

/** How many list items to fetch per page: DefectDojo has no maximum (§2.1). */
export const PAGE_SIZE = 250;
/** No list we read is bigger than this many pages, whatever `count` says: a bound on time and memory. */
const MAX_PAGES = 2_000;

/** Rows moved between two page requests of one list: read it again. */
class ListShifted extends Error {}

const idOf = (row: unknown) => (row && typeof row === "object" ? (row as { id?: unknown }).id : undefined);

/** A typed DefectDojo 3.2 client for the Jira configuration objects and what they reference. */
export class DefectDojoClient {
  readonly http: DefectDojoHttp;

  constructor(options: HttpOptions) {
    this.http = new DefectDojoHttp(options);
  }

  /**
   * Every item of a list endpoint, page by page. A server whose `next` never ends, or whose pages
   * disagree with its own `count`, gets a PaginationError instead of an endless loop: the first
   * page's `count` bounds the pages read (with one page of slack for rows added meanwhile).
   * `overlap`: each page after the first starts at the previous page's last row, which must come
   * back first; if it does not, rows shifted between the requests (ListShifted).
   */
  async *paginate<T>(path: string, query: Record<string, string | number | boolean | undefined> = {}, options: { overlap?: boolean; exact?: boolean } = {}): AsyncGenerator<T> {
    const step = options.overlap ? PAGE_SIZE - 1 : PAGE_SIZE;
    let offset = 0;
    let pageLimit = MAX_PAGES;
    let last: unknown;
    let counted = 0;
    for (let pages = 1; ; pages++) {
      const again = options.overlap && pages > 1;
      const page = await this.http.request<Page<T>>("GET", path, { query: { ...query, limit: PAGE_SIZE, offset: again ? offset - 1 : offset } });
      if (!page || !Array.isArray(page.results) || !Number.isSafeInteger(page.count) || page.count < 0) throw new PaginationError(`GET ${path}: the answer is not a DefectDojo page (count and results expected)`);
      if (pages === 1) [pageLimit, counted] = [Math.min(MAX_PAGES, Math.ceil(page.count / step) + 1), page.count];
      if (again && (page.results.length === 0 || idOf(page.results[0]) !== last)) throw new ListShifted();
      const rows = again ? page.results.slice(1) : page.results;
      yield* rows;
      offset += rows.length;
      if (rows.length > 0) last = idOf(rows[rows.length - 1]);
      // A page of nothing but the overlap row, while `next` and `count` promise more, is no end: the
      // page cap below stops a server that keeps doing that.
      if (!page.next || page.results.length === 0 || offset >= page.count) {
        if (options.exact && (offset !== counted || page.count !== counted)) throw new PaginationError(`GET ${path}: DefectDojo counted ${counted} rows and gave ${offset}; its pagination is inconsistent, so nothing is decided from this list`);
        return;
      }
      if (pages >= pageLimit) throw new PaginationError(`GET ${path}: DefectDojo kept offering a next page after ${pages} pages (count ${page.count}); its pagination is inconsistent, so nothing is decided from this list`);
    }
  }

  /**
   * Every item of a list. Offset pages shift when a row is deleted or added between two requests,
   * and the list then silently misses or repeats a row (a link it misses could be created twice):
   * pages overlap by one row, a list that shifted is read again, and a second shift fails it.
   */
  async all<T>(path: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<T[]> {
    for (let attempt = 1; ; attempt++) {
      const items: T[] = [];
      try {
        for await (const item of this.paginate<T>(path, query, { overlap: true })) items.push(item);
        return items;
      } catch (error) {
        if (!(error instanceof ListShifted)) throw error;
        if (attempt === 2) throw new PaginationError(`GET ${path}: the list changed while it was read, twice; its pagination is inconsistent, so nothing is decided from this list`);
      }
    }
  }

  /**
   * POST once, never twice: when the outcome is unknown (reset, 5xx, garbled reply), look the object
   * up by its natural key before trying again, so a retry can never create a duplicate.
   */
  async createOnce<T>(path: string, body: Record<string, unknown>, findExisting: () => Promise<T | undefined>): Promise<T> {
    const attempts = 6;
    let last: Error | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await this.http.request<T>("POST", path, { body });
      } catch (error) {
        if (!(error instanceof UnknownOutcomeError)) throw error;
        last = error;
        const existing = await findExisting();
        if (existing) return existing;
        await sleep(this.http.backoff(attempt));
      }
    }
    throw new DefectDojoError(this.http.scrub(`POST ${path}: no answer after ${attempts} attempts (${last?.message ?? ""})`), 0);
  }

  /** DELETE that treats "already gone" after a retried attempt as success. */
  async deleteIfExists(path: string): Promise<void> {
    try {
      await this.http.request("DELETE", path);
    } catch (error) {
      if (error instanceof DefectDojoError && error.status === 404) return;
      throw error;
    }
  }

  // ---- Jira instances ---------------------------------------------------------------------

  getInstance(id: number): Promise<ApiJiraInstance> {
    return this.http.request("GET", `jira_instances/${id}/`);
  }

  /** There is no configuration_name filter (§0.1 #8): list all and match exactly. */
  async findInstancesByName(configurationName: string): Promise<ApiJiraInstance[]> {
    return (await this.all<ApiJiraInstance>("jira_instances/")).filter((i) => i.configuration_name === configurationName);
  }

  createInstance(body: Record<string, unknown>, password: Secret): Promise<ApiJiraInstance> {
    this.http.remember(password);
    const name = String(body.configuration_name);
    return this.createOnce("jira_instances/", body, async () => (await this.findInstancesByName(name))[0]);
  }

  patchInstance(id: number, patch: Record<string, unknown>): Promise<ApiJiraInstance> {
    return this.http.request("PATCH", `jira_instances/${id}/`, { body: patch });
  }

  deleteInstance(id: number): Promise<void> {
    return this.deleteIfExists(`jira_instances/${id}/`);
  }

  // ---- Jira projects (links) ----------------------------------------------------------------

  getLink(id: number): Promise<ApiJiraProject> {
    return this.http.request("GET", `jira_projects/${id}/`);
  }

  linksOf(target: { product: number } | { engagement: number }): Promise<ApiJiraProject[]> {
    return this.all<ApiJiraProject>("jira_projects/", target);
  }

  linksUsingInstance(instanceId: number): Promise<ApiJiraProject[]> {
    return this.all<ApiJiraProject>("jira_projects/", { jira_instance: instanceId });
  }

  createLink(body: Record<string, unknown>): Promise<ApiJiraProject> {
    const target = body.product ? { product: Number(body.product) } : { engagement: Number(body.engagement) };
    return this.createOnce("jira_projects/", body, async () => (await this.linksOf(target))[0]);
  }

  patchLink(id: number, patch: Record<string, unknown>): Promise<ApiJiraProject> {
    return this.http.request("PATCH", `jira_projects/${id}/`, { body: patch });
  }

  deleteLink(id: number): Promise<void> {
    return this.deleteIfExists(`jira_projects/${id}/`);
  }

  /**
   * Finding-to-Jira-issue mappings under a link, or "gone" when the link no longer exists.
   * `jira_finding_mappings` cannot filter by project (§2.4), but the link's delete_preview lists
   * exactly what a delete would cascade (§2.8): the link itself, then one JIRA_Issue row per mapping.
   * Fails closed: a delete_preview that cannot be read (404 while the link exists, a broken page,
   * pages that do not add up to their count), that leaves out the link itself, or that lists a row
   * of any other kind is an error, never "no issues".
   */
  async countJiraIssues(linkId: number): Promise<number | "gone"> {
    const path = `jira_projects/${linkId}/delete_preview/`;
    const rows: unknown[] = [];
    try {
      for await (const row of this.paginate<unknown>(path, {}, { exact: true })) rows.push(row);
    } catch (error) {
      if (!(error instanceof DefectDojoError && error.status === 404)) throw error;
      if (!(await this.linkExists(linkId))) return "gone";
      throw new DefectDojoError(`cannot count the Jira issues under Jira link ${linkId}: its delete_preview answered 404 while the link exists`, 404);
    }
    // `why` may quote DefectDojo's answer: scrubbed of every secret, as the transport's messages are.
    const doubt = (why: string) => new DefectDojoError(this.http.scrub(`cannot count the Jira issues under Jira link ${linkId}: its delete_preview ${why}, so a delete could erase mappings it did not show`), 0);
    const models = rows.map((row) => (row && typeof row === "object" && typeof (row as ApiDeletePreviewItem).model === "string" ? (row as ApiDeletePreviewItem) : undefined));
    if (models.includes(undefined)) throw doubt("has a row that is not a model and id");
    const itself = models.filter((row) => row!.model === "JIRA_Project");
    if (itself.length !== 1 || itself[0]!.id !== linkId) throw doubt("does not list the link itself once");
    const other = models.find((row) => row!.model !== "JIRA_Project" && row!.model !== "JIRA_Issue");
    if (other) throw doubt(`lists a ${JSON.stringify(printable(other.model.slice(0, 40)))} row, which is neither the link nor a Jira issue mapping`);
    return rows.length - 1;
  }

  private linkExists(id: number): Promise<boolean> {
    return this.exists(`jira_projects/${id}/`);
  }

  /**
   * Exactly one DELETE, never retried here: a retry long after the last count could cascade a
   * mapping made in between, so the caller counts again before any further attempt.
   * Resolves "gone" when there was nothing to delete; throws on any other failure.
   */
  async deleteLinkOnce(id: number): Promise<"deleted" | "gone"> {
    try {
      await this.http.request("DELETE", `jira_projects/${id}/`, { attempts: 1 });
      return "deleted";
    } catch (error) {
      if (error instanceof DefectDojoError && error.status === 404) return "gone";
      throw error;
    }
  }

  // ---- products and engagements -------------------------------------------------------------

  getProduct(id: number): Promise<ApiProduct> {
    return this.http.request("GET", `products/${id}/`);
  }

  async productExists(id: number): Promise<boolean> {
    return this.exists(`products/${id}/`);
  }

  async engagementExists(id: number): Promise<boolean> {
    return this.exists(`engagements/${id}/`);
  }

  private async exists(path: string): Promise<boolean> {
    try {
      await this.http.request("GET", path);
      return true;
    } catch (error) {
      if (error instanceof DefectDojoError && error.status === 404) return false;
      throw error;
    }
  }

  /** `name_exact` is case-insensitive; prefer the exact-case match when there is one. */
  async findProductByName(name: string): Promise<ApiProduct | undefined> {
    const candidates = await this.all<ApiProduct>("products/", { name_exact: name });
    return candidates.find((p) => p.name === name) ?? candidates[0];
  }

  async findEngagement(productId: number, name: string): Promise<ApiEngagement | undefined> {
    return (await this.all<ApiEngagement>("engagements/", { product: productId, name }))[0];
  }

  getEngagement(id: number): Promise<ApiEngagement> {
    return this.http.request("GET", `engagements/${id}/`);
  }

  // ---- system settings ----------------------------------------------------------------------

  /** The single row; `GET /system_settings/{id}/` is 405 in DefectDojo (§2.5). */
  async getSystemSettings(): Promise<ApiSystemSettings> {
    const [settings] = await this.all<ApiSystemSettings>("system_settings/");
    if (!settings) throw new DefectDojoError("system_settings returned no row", 200);
    // The row carries the webhook secret in clear: no later error may echo it.
    if (typeof settings.jira_webhook_secret === "string" && settings.jira_webhook_secret !== "") this.http.remember(new Secret(settings.jira_webhook_secret));
    return settings;
  }

  patchSystemSettings(id: number, patch: Record<string, unknown>): Promise<ApiSystemSettings> {
    return this.http.request("PATCH", `system_settings/${id}/`, { body: patch });
  }
}
