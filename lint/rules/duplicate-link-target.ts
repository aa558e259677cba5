import { locate, type LoadedDocument } from "../model.js";
import { ofKind, type Rule } from "./rule.js";
import { placeOf } from "./util/raw.js";

export const duplicateLinkTarget: Rule = {
  id: "duplicate-link-target",
  severity: "error",
  acrossDocuments: true,
  docs: {
    summary: "One link per product, one per engagement.",
    details: "DefectDojo's API accepts several Jira links for one product and then silently uses whichever it reads first (reference §0.1 item 6). Keep exactly one.",
    bad: "kind: ProductJiraLink\nspec: { product: Payments API, projectKey: PAY, ... }\n---\nkind: ProductJiraLink\nspec: { product: Payments API, projectKey: SEC, ... }",
    good: "kind: ProductJiraLink\nspec: { product: Payments API, projectKey: PAY, ... }",
  },
  check(context) {
    const positions = new Map(context.files.map((f) => [f.file, f.position]));
    const seen = new Map<string, LoadedDocument>();
    const claim = (key: string, label: string, document: LoadedDocument, path: string[]) => {
      const earlier = seen.get(key);
      if (!earlier) return void seen.set(key, document);
      context.report(document, locate(document, path), `${label} already has a Jira link at ${placeOf(earlier, positions.get(earlier.file)!)}; DefectDojo would use only one of them`);
    };
    for (const { document, config } of ofKind(context.valid, "ProductJiraLink")) {
      const product = config.spec.product;
      const key = typeof product === "string" ? `product:name:${product.toLowerCase()}` : `product:id:${product.id}`;
      claim(key, typeof product === "string" ? `product "${product}"` : `product id ${product.id}`, document, ["spec", "product"]);
    }
    for (const { document, config } of ofKind(context.valid, "EngagementJiraLink")) {
      const engagement = config.spec.engagement;
      const byName = "name" in engagement;
      const key = byName ? `engagement:${engagement.product.toLowerCase()}\u0000${engagement.name}` : `engagement:id:${engagement.id}`;
      claim(key, byName ? `engagement "${engagement.name}" of "${engagement.product}"` : `engagement id ${engagement.id}`, document, ["spec", "engagement"]);
    }
  },
};
