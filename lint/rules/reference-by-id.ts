import { locate } from "../model.js";
import { links, type Rule } from "./rule.js";

export const referenceById: Rule = {
  id: "reference-by-id",
  severity: "warning",
  docs: {
    summary: "Refer to products and engagements by name, not database id.",
    details: "DefectDojo ids differ between environments (staging, production, a restored backup), so a config that says `{ id: 42 }` points at a different product elsewhere. Names travel.",
    bad: "product: { id: 42 }",
    good: "product: Payments API",
  },
  check(context) {
    for (const { document, config } of links(context.valid)) {
      const target = "product" in config.spec ? config.spec.product : config.spec.engagement;
      const field = "product" in config.spec ? "product" : "engagement";
      if (typeof target === "object" && "id" in target) {
        context.report(document, locate(document, ["spec", field]), `${field} is referenced by id ${target.id}; ids differ between DefectDojo environments, use the ${field === "product" ? "product name" : "product and engagement names"}`);
      }
    }
  },
};
