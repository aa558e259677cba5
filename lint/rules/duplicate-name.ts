import { locate, type LoadedDocument } from "../model.js";
import type { Rule } from "./rule.js";
import { placeOf } from "./util/raw.js";

export const duplicateName: Rule = {
  id: "duplicate-name",
  severity: "error",
  acrossDocuments: true,
  docs: {
    summary: "`metadata.name` must be unique per kind across the whole tree.",
    details: "The name is the Pulumi resource name and the target of references. Two documents with one name would fight over one resource.",
    bad: "# a.yaml\nkind: JiraInstance\nmetadata: { name: corp-jira }\n# b.yaml\nkind: JiraInstance\nmetadata: { name: corp-jira }",
    good: "# b.yaml\nkind: JiraInstance\nmetadata: { name: corp-jira-dc }",
  },
  check(context) {
    const first = new Map<string, LoadedDocument>();
    const positions = new Map(context.files.map((f) => [f.file, f.position]));
    for (const document of context.documents) {
      if (!document.kind || !document.name) continue;
      const key = `${document.kind}\u0000${document.name}`;
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, document);
        continue;
      }
      context.report(
        document,
        locate(document, ["metadata", "name"]),
        `${document.kind} "${document.name}" is already defined at ${placeOf(earlier, positions.get(earlier.file)!)}`,
      );
    }
  },
};
