import type { ApiJiraProject } from "../client/api-types.js";
import type { DefectDojoClient } from "../client/defectdojo-client.js";

export type LinkTarget = { product: number } | { engagement: number };

/**
 * How long a lookup waits for other creates in flight to join it: about one round trip, so that the
 * creates the engine starts one after another still share lookups. A create alone (`--parallel 1`)
 * never waits.
 */
const MAX_WAIT_MS = 20;
const PAGE_SIZE = 250;

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
      const all = await dd.all<ApiJiraProject>("jira_projects/");
      this.pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
      for (const w of batch) w.resolve(all.filter((link) => ("product" in w.target ? link.product === w.target.product : link.engagement === w.target.engagement)));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
