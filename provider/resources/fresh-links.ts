import type { ApiJiraProject } from "../client/api-types.js";
import type { DefectDojoClient } from "../client/defectdojo-client.js";
import { DefectDojoError } from "../client/errors.js";

export type LinkTarget = { product: number } | { engagement: number };

/**
 * How long a lookup waits for other creates in flight to join it: about one round trip, so that the
 * creates the engine starts one after another still share lookups. A create alone (`--parallel 1`)
 * never waits.
 */
const MAX_WAIT_MS = 20;
const PAGE_SIZE = 250;

interface Reader {
  id: number;
  resolve: (link: ApiJiraProject | "gone") => void;
  reject: (error: unknown) => void;
}

interface Waiter {
  target: LinkTarget;
  resolve: (links: ApiJiraProject[]) => void;
  reject: (error: unknown) => void;
}

/**
 * The existence check before a link is created, shared by the creates that run at once.
 *
 * Every create asks DefectDojo fresh, as before: the answer comes from a request sent after the
 * create reached its check, right before its POST, so a link made by hand a minute ago is seen and
 * the window left is the one round trip it always was. What changes is that the creates in flight
 * together (the engine runs up to `--parallel` at once) share that request: one list of every link
 * instead of one query per target. A lone create, or a tree with more pages of links than creates
 * waiting, still asks for its own target.
 *
 * Reads (refresh) share requests the same way: a read goes out at once when no lookup is under way,
 * else with the reads that arrived meanwhile, in the next one.
 */
export class FreshLinks {
  /** Creates in flight (entered, not finished). */
  private active = 0;
  /** Of those, the ones that have not reached their lookup yet. */
  private pending = 0;
  private waiters: Waiter[] = [];
  private timer?: NodeJS.Timeout;
  private oldest = 0;
  /** Pages the last full list took: a list costs that many requests. */
  private pages = 1;
  private readers: Reader[] = [];
  private reading = false;

  constructor(private readonly client: () => DefectDojoClient) {}

  /** A create starts. Pair with `lookup` or `leave`, and finally with `finish`. */
  enter(): void {
    this.active++;
    this.pending++;
  }

  /** A create that entered and will not look up (it failed before). */
  leave(): void {
    this.pending--;
    this.schedule();
  }

  /** A create is done (created, refused or failed). */
  finish(): void {
    this.active--;
    this.schedule();
  }

  /** The links on `target` now, from a request sent after this call; counts as this create's `leave`. */
  lookup(target: LinkTarget): Promise<ApiJiraProject[]> {
    return new Promise((resolve, reject) => {
      if (this.waiters.length === 0) this.oldest = Date.now();
      this.waiters.push({ target, resolve, reject });
      this.leave();
    });
  }

  /**
   * The link with this id now, or "gone" (a 404 for that very id: a link missing from a list is
   * asked for by id before it is called gone), from a request sent after this call.
   */
  get(id: number): Promise<ApiJiraProject | "gone"> {
    return new Promise((resolve, reject) => {
      this.readers.push({ id, resolve, reject });
      if (!this.reading) void this.serveReads();
    });
  }

  private async serveReads(): Promise<void> {
    this.reading = true;
    try {
      while (this.readers.length > 0) {
        const batch = this.readers;
        this.readers = [];
        const listed = batch.length > this.pages ? await this.list().catch(() => undefined) : undefined;
        const byId = new Map(listed?.map((link) => [link.id, link]));
        await Promise.all(batch.map((r) => (byId.has(r.id) ? Promise.resolve(byId.get(r.id)!) : this.getOne(r.id)).then(r.resolve, r.reject)));
      }
    } finally {
      this.reading = false;
    }
  }

  private async getOne(id: number): Promise<ApiJiraProject | "gone"> {
    try {
      return await this.client().getLink(id);
    } catch (error) {
      if (error instanceof DefectDojoError && error.status === 404) return "gone";
      throw error;
    }
  }

  private async list(): Promise<ApiJiraProject[]> {
    const all = await this.client().all<ApiJiraProject>("jira_projects/");
    this.pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
    return all;
  }

  /** Lookups go out once no other create in flight could join them soon, or after MAX_WAIT_MS. */
  private schedule(): void {
    if (this.waiters.length === 0) return;
    clearTimeout(this.timer);
    const alone = this.pending === 0 && this.active <= this.waiters.length;
    const wait = alone ? 0 : Math.max(0, MAX_WAIT_MS - (Date.now() - this.oldest));
    this.timer = setTimeout(() => void this.flush(), wait);
  }

  private async flush(): Promise<void> {
    const batch = this.waiters;
    this.waiters = [];
    const dd = this.client();
    if (batch.length <= this.pages) {
      await Promise.all(batch.map((w) => dd.linksOf(w.target).then(w.resolve, w.reject)));
      return;
    }
    try {
      const all = await this.list();
      for (const w of batch) w.resolve(all.filter((link) => ("product" in w.target ? link.product === w.target.product : link.engagement === w.target.engagement)));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
