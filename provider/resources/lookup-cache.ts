import type { ApiProduct } from "../client/api-types.js";
import type { DefectDojoClient } from "../client/defectdojo-client.js";

/**
 * Product names read once per deployment instead of once per resource: with hundreds of links, a
 * lookup per create would double the calls. Only name → id resolution uses it, and a miss or a
 * decision that would replace a link asks DefectDojo again; whether a link exists is always asked
 * fresh (a stale answer would create a second link for a product).
 */
export class LookupCache {
  private products?: Promise<Map<string, ApiProduct>>;
  private takenAt = 0;
  private static readonly TTL_MS = 60_000;

  constructor(private readonly client: () => DefectDojoClient) {}

  private snapshot(): Promise<Map<string, ApiProduct>> {
    if (Date.now() - this.takenAt > LookupCache.TTL_MS) {
      this.products = undefined;
      this.takenAt = Date.now();
    }
    this.products ??= this.client()
      .all<ApiProduct>("products/")
      .then((list) => new Map(list.map((p) => [p.name, p])));
    return this.products;
  }

  async productByName(name: string): Promise<ApiProduct | undefined> {
    return (await this.snapshot()).get(name) ?? (await this.client().findProductByName(name));
  }

  async productExists(id: number): Promise<boolean> {
    for (const product of (await this.snapshot()).values()) if (product.id === id) return true;
    return this.client().productExists(id);
  }
}
