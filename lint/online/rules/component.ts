import { locate } from "../../model.js";
import { closest } from "../../rules/util/did-you-mean.js";
import { onlineRule } from "../model.js";

export const onlineComponent = onlineRule({
  id: "online-component",
  severity: "error",
  docs: {
    summary: "(online) Each link's `component` must exist in its Jira project.",
    details:
      "DefectDojo sets the link's component(s) on every issue it creates; Jira refuses an issue with a component its project does not have. Component names are exact and case-sensitive.",
    bad: "projectKey: WEB\ncomponent: front-end   # the project's component is frontend",
    good: "projectKey: WEB\ncomponent: frontend",
  },
  checkOnline(context) {
    for (const facts of context.facts) {
      for (const link of facts.links) {
        const { projectKey, component } = link.config.spec;
        const project = facts.projects.get(projectKey);
        if (component === undefined || !project?.ok || !project.value) continue;
        const known = project.value.components;
        const names = typeof component === "string" ? [component] : component;
        names.forEach((name, i) => {
          if (known.includes(name)) return;
          const near = closest(name, known);
          const path = typeof component === "string" ? ["spec", "component"] : ["spec", "component", i];
          context.report(link.document, locate(link.document, path), `project ${projectKey} has no component "${name}"${near ? ` (did you mean "${near}"?)` : `; it has ${known.join(", ") || "none"}`}`);
        });
      }
    }
  },
});
