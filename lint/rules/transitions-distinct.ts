import { locate } from "../model.js";
import { ofKind, type Rule } from "./rule.js";

export const transitionsDistinct: Rule = {
  id: "transitions-distinct",
  severity: "error",
  docs: {
    summary: "The reopen and close transitions must differ.",
    details: "DefectDojo closes issues with `transitions.close` and reopens them with `transitions.reopen`. The same id for both means one of the two moves goes to the wrong status. `dojo-jira discover` finds both from one issue key.",
    bad: "transitions: { reopen: 31, close: 31 }",
    good: "transitions: { reopen: 11, close: 31 }",
  },
  check(context) {
    for (const { document, config } of ofKind(context.valid, "JiraInstance")) {
      const { reopen, close } = config.spec.transitions;
      if (reopen !== close) continue;
      context.report(document, locate(document, ["spec", "transitions", "close"]), `reopen and close transitions are both ${close}; one of them points at the wrong workflow step`);
    }
  },
};
