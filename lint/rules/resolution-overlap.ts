import { locate } from "../model.js";
import { ofKind, type Rule } from "./rule.js";

export const resolutionOverlap: Rule = {
  id: "resolution-overlap",
  severity: "error",
  docs: {
    summary: "A Jira resolution cannot mean both Risk Accepted and False Positive.",
    details: "When a closed issue's resolution is in both lists, DefectDojo's webhook handler checks the accepted list first, so the false-positive mapping silently never applies.",
    bad: "acceptedResolutions: [Won't Fix]\nfalsePositiveResolutions: [Won't Fix]",
    good: "acceptedResolutions: [Won't Fix]\nfalsePositiveResolutions: [Not a Bug]",
  },
  check(context) {
    for (const { document, config } of ofKind(context.valid, "JiraInstance")) {
      const accepted = new Set(config.spec.acceptedResolutions ?? []);
      (config.spec.falsePositiveResolutions ?? []).forEach((name, index) => {
        if (!accepted.has(name)) return;
        context.report(document, locate(document, ["spec", "falsePositiveResolutions", index]), `resolution "${name}" is also in acceptedResolutions, which DefectDojo checks first: it will never mark a false positive`);
      });
    }
  },
};
