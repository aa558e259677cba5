import { locate } from "../model.js";
import type { Rule } from "./rule.js";
import { rawSpec } from "./util/raw.js";

export const linkTarget: Rule = {
  id: "link-target",
  severity: "error",
  docs: {
    summary: "A link targets exactly one thing: a product (ProductJiraLink) or an engagement (EngagementJiraLink).",
    details: "DefectDojo refuses a Jira project config with both or neither of product and engagement (\"Either engagement or product has to be set.\").",
    bad: "kind: ProductJiraLink\nspec:\n  product: Payments API\n  engagement: { product: Payments API, name: Q3 pentest }",
    good: "kind: EngagementJiraLink\nspec:\n  engagement: { product: Payments API, name: Q3 pentest }",
  },
  check(context) {
    for (const document of context.documents) {
      const spec = rawSpec(document);
      if (!spec) continue;
      const own = document.kind === "ProductJiraLink" ? "product" : document.kind === "EngagementJiraLink" ? "engagement" : undefined;
      if (!own) continue;
      const other = own === "product" ? "engagement" : "product";
      if (other in spec) {
        const fix = own === "product" ? "use an EngagementJiraLink document for an engagement" : "use a ProductJiraLink document for a product";
        context.report(document, locate(document, ["spec", other], "key"), `${own === "product" ? "a" : "an"} ${document.kind} targets ${own === "product" ? "a" : "an"} ${own} only; remove "${other}" or ${fix}`);
      } else if (!(own in spec)) {
        context.report(document, locate(document, ["spec"], "key"), `${document.kind} has no target: set spec.${own}`);
      }
    }
  },
};
