import { locate } from "../../model.js";
import { onlineRule, type TransitionFact } from "../model.js";

const WANTED = { reopen: "To Do", close: "Done" } as const;

export const onlineTransition = onlineRule({
  id: "online-transition",
  severity: "warning",
  docs: {
    summary: "(online) The reopen and close transition ids should be in each linked project's workflow, reopen leading to a To Do status and close to Done.",
    details:
      "DefectDojo moves issues with `transitions.reopen` and `transitions.close`; an id the project's workflow lacks, or one leading to the wrong status, leaves issues open or closed for good. Jira lists transitions only per issue, from its current status, so --online reads the transitions offered from the statuses of a few of the project's issues: an id none of them offers is most likely wrong, but a warning, since a transition available only from a status no issue is in yet cannot be seen. `dojo-jira discover` finds both ids from one issue key.",
    bad: "transitions: { reopen: 11, close: 41 }   # the workflow closes with 31",
    good: "transitions: { reopen: 11, close: 31 }",
  },
  checkOnline(context) {
    for (const facts of context.facts) {
      const { document, config } = facts.instance;
      const seen = new Set<string>();
      for (const link of facts.links) {
        const key = link.config.spec.projectKey;
        const project = facts.projects.get(key);
        if (seen.has(key) || !project?.ok || !project.value?.transitions.ok) continue;
        seen.add(key);
        const { statuses, offered } = project.value.transitions.value;
        if (statuses.length === 0) continue;
        for (const role of ["reopen", "close"] as const) {
          const id = String(config.spec.transitions[role]);
          const found = offered.find((t) => t.id === id);
          const at = locate(document, ["spec", "transitions", role]);
          if (!found) {
            context.report(document, at, `project ${key} offers no transition ${id} from the statuses of its issues (${statuses.join(", ")}); it offers ${list(offered)}`);
          } else if (found.category !== WANTED[role]) {
            context.report(document, at, `transition ${id} of project ${key} ("${found.name}") leads to "${found.to}" (${found.category}); the ${role} transition must lead to a ${WANTED[role]} status${suggest(offered, WANTED[role])}`);
          }
        }
      }
    }
  },
});

function list(offered: readonly TransitionFact[]): string {
  return offered.length === 0 ? "none" : offered.map((t) => `${t.id} "${t.name}" -> ${t.to}`).join(", ");
}

function suggest(offered: readonly TransitionFact[], category: string): string {
  const first = offered.find((t) => t.category === category);
  return first ? ` (${first.id} "${first.name}" does)` : "";
}
