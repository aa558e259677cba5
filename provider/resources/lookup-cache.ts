import type { ApiJiraProject, ApiProduct } from "../client/api-types.js";
import type { DefectDojoClient } from "../client/defectdojo-client.js";

/**
 * Products and links read once per deployment instead of once per resource: with hundreds of
 * links, a lookup per create would triple the calls. Entries are updated as this process
 * creates and deletes links; the snapshot expires so a long-lived process sees outside changes.
 */
export class LookupCache {
  private products?: Promise<Map<string, ApiProduct>>;
  private links?: Promise<ApiJiraProject[]>;
  private takenAt = 0;
  private static readonly TTL_MS = 60_000;

  constructor(private readonly client: () => DefectDojoClient) {}

  private fresh(): void {
    if (Date.now() - this.takenAt > LookupCache.TTL_MS) {
      this.products = undefined;
      this.links = undefined;
      this.takenAt = Date.now();
    }
  }

  async productByName(name: string): Promise<ApiProduct | undefined> {
    this.fresh();
    this.products ??= this.client()
      .all<ApiProduct>("products/")
      .then((list) => new Map(list.map((p) => [p.name, p])));
    return (await this.products).get(name) ?? (await this.client().findProductByName(name));
  }

  async linksOf(target: { product: number } | { engagement: number }): Promise<ApiJiraProject[]> {
    this.fresh();
    this.links ??= this.client().all<ApiJiraProject>("jira_projects/");
    const all = await this.links;
    return "product" in target ? all.filter((l) => l.product === target.product) : all.filter((l) => l.engagement === target.engagement);
  }

  async remember(link: ApiJiraProject): Promise<void> {
    if (this.links) (await this.links).push(link);
  }

  async forget(linkId: number): Promise<void> {
    if (!this.links) return;
    const all = await this.links;
    const index = all.findIndex((l) => l.id === linkId);
    if (index !== -1) all.splice(index, 1);
  }
}
