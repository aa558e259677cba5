import { performance } from "node:perf_hooks";
import { PAGE_SIZE, type DefectDojoClient } from "../client/defectdojo-client.js";

/**
 * How old a list may be and still answer "does this exist?": a link or instance made by hand (or by
 * another tool) less than this long before a create's check may be missed, as one made during the
 * POST always could. One second is short next to any person's edit and long next to a deployment's
 * burst of creates, which then share one request instead of making one each.
 */
export const FRESH_FOR_MS = 1_000;

/** Monotonic: a clock stepped back must not make an old list look fresh. */
const now = () => performance.now();

interface OwnWrite<T> {
  at: number;
  id: number;
  /** The object as DefectDojo answered the write; undefined for a delete. */
  object?: T;
}

/**
 * Every object of one DefectDojo list endpoint (`jira_projects/`, `jira_instances/`), asked at most
 * once per FRESH_FOR_MS and shared by every lookup in that time. What this process writes meanwhile
 * is laid over the list, so a lookup made after one of our own writes sees it.
 *
 * A list costs one request per page; when the lookups of the last second were fewer than its pages
 * (a deployment that creates one link in a DefectDojo of thousands), each asks DefectDojo directly.
 */
export class FreshList<T extends { id: number }> {
  private taken?: { sentAt: number; list: Promise<T[]> };
  /** Send times of the lists not answered yet: the writes they may miss are kept for them. */
  private unanswered = new Set<number>();
  private writes: Array<OwnWrite<T>> = [];
  /** Times of recent lookups, oldest first. */
  private uses: number[] = [];
  /** Lookups announced (a new link checked) and not made yet. */
  private expected = 0;
  /** Pages the last list took. */
  private pages = 1;
  /** The end of the last piece of work queued for a key (`exclusive`). */
  private queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly client: () => DefectDojoClient,
    private readonly path: string,
    private readonly freshForMs = FRESH_FOR_MS,
  ) {}

  /** Every object, from a request sent at most FRESH_FOR_MS ago, with this process's writes since. */
  all(): Promise<T[]> {
    return this.current();
  }

  /**
   * The objects `filter` picks: from the shared list, or from `direct` while a list is not worth its
   * pages, or when the list cannot be read (a shifting, failing or hostile list fails no lookup).
   */
  async where(filter: (object: T) => boolean, direct: () => Promise<T[]>): Promise<T[]> {
    const at = now();
    while (this.uses.length > 0 && at - this.uses[0]! > this.freshForMs) this.uses.shift();
    this.uses.push(at);
    if (this.expected > 0) this.expected--;
    if (!this.isFresh(at) && this.uses.length + this.expected <= this.pages) return direct();
    const list = await this.current().catch(() => undefined);
    return list ? list.filter(filter) : direct();
  }

  /**
   * Runs `work` after every earlier piece of work for `key` has finished: a lookup and the write it
   * decides are one step for their key, so two creates for one product never both find nothing.
   * `work` must not call `exclusive` with its own key: it would wait for itself.
   */
  exclusive<R>(key: string, work: () => Promise<R>): Promise<R> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const end = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, end);
    void end.then(() => this.queues.get(key) === end && this.queues.delete(key));
    return run;
  }

  /** A lookup to come (a create checked before it runs): a deployment of many creates lists at once. */
  expect(): void {
    this.expected++;
  }

  /** An object this process created or changed, as DefectDojo answered. */
  wrote(object: T): void {
    this.writes.push({ at: now(), id: object.id, object });
  }

  /** An object this process deleted. */
  removed(id: number): void {
    this.writes.push({ at: now(), id });
  }

  private isFresh(at: number): boolean {
    return this.taken !== undefined && at - this.taken.sentAt <= this.freshForMs;
  }

  private current(): Promise<T[]> {
    const at = now();
    if (!this.taken || !this.isFresh(at)) {
      this.unanswered.add(at);
      const list = this.client().all<T>(this.path);
      const taken = { sentAt: at, list };
      this.taken = taken;
      void list
        .then(
          (items) => void (this.pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE))),
          () => void (this.taken === taken && (this.taken = undefined)), // a failed list answers nobody else
        )
        // Writes are kept until every list that may miss them is answered and its waiting lookups
        // have read it (they run right after the answer; the pruning after them).
        .then(() => setImmediate(() => this.answered(at)));
    }
    const { sentAt, list } = this.taken;
    return list.then((items) => this.withOwnWrites(items, sentAt));
  }

  private answered(sentAt: number): void {
    this.unanswered.delete(sentAt);
    const oldestNeeded = Math.min(this.taken?.sentAt ?? Infinity, ...this.unanswered);
    this.writes = this.writes.filter((w) => w.at >= oldestNeeded);
  }

  /** Writes answered after the list was sent may be missing from it; writes before are in it. */
  private withOwnWrites(items: T[], sentAt: number): T[] {
    const since = this.writes.filter((w) => w.at >= sentAt);
    if (since.length === 0) return items;
    const byId = new Map(items.map((o) => [o.id, o]));
    for (const w of since) {
      if (w.object) byId.set(w.id, w.object);
      else byId.delete(w.id);
    }
    return [...byId.values()];
  }
}
