import { locate } from "../model.js";
import { links, type Rule } from "./rule.js";

/** DefectDojo column sizes for fields we write as joined lists (reference §1.2). */
const MAX_LABELS = 200;
const MAX_COMPONENT = 200;

export const fieldLength: Rule = {
  id: "field-length",
  severity: "error",
  docs: {
    summary: "Lists DefectDojo stores as one string must fit its column.",
    details: "Labels are stored space-separated and components comma-separated, each in a 200-character column; DefectDojo refuses longer values (\"Ensure this field has no more than 200 characters.\").",
    bad: "labels: [a-very-long-label, another-very-long-label, ...]   # 250 characters joined",
    good: "labels: [defectdojo, security]",
  },
  check(context) {
    for (const { document, config } of links(context.valid)) {
      const labels = config.spec.labels?.join(" ") ?? "";
      if (labels.length > MAX_LABELS) {
        context.report(document, locate(document, ["spec", "labels"], "key"), `labels join to ${labels.length} characters; DefectDojo stores at most ${MAX_LABELS}`);
      }
      const component = config.spec.component;
      const joined = Array.isArray(component) ? component.join(",") : component ?? "";
      if (joined.length > MAX_COMPONENT) {
        context.report(document, locate(document, ["spec", "component"], "key"), `components join to ${joined.length} characters; DefectDojo stores at most ${MAX_COMPONENT}`);
      }
    }
  },
};
