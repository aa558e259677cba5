import type { SemanticDiff } from "./semantic-diff.js";

const show = (v: unknown) => JSON.stringify(v);

/** Text for a terminal, markdown for a pull-request comment, JSON for tools. */
export function renderDiff(diff: SemanticDiff, format: "text" | "markdown" | "json"): string {
  if (format === "json") return `${JSON.stringify(diff, null, 2)}\n`;
  const md = format === "markdown";
  const out: string[] = [md ? `### Jira configuration: ${diff.from} → ${diff.to}` : `Jira configuration ${diff.from} → ${diff.to}`];
  if (diff.changes.length === 0) return `${out[0]}\n${md ? "\n" : ""}No change.\n`;
  if (diff.risks.length > 0) {
    out.push(md ? "\n**Needs attention**\n" : "\nneeds attention:");
    for (const risk of diff.risks) out.push(md ? `- ⚠️ ${risk}` : `  ! ${risk}`);
  }
  out.push(md ? "\n**Changes**\n" : "\nchanges:");
  for (const c of diff.changes) {
    const notes = [c.renamedFrom ? `renamed from ${c.renamedFrom}` : "", c.movedFrom ? `moved from ${c.movedFrom}` : ""].filter(Boolean).join(", ");
    const sign = c.change === "added" ? "+" : c.change === "removed" ? "-" : "~";
    out.push(`${md ? "- " : "  "}${sign} ${c.kind} ${c.name} (${c.key})${notes ? ` [${notes}]` : ""}`);
    for (const f of c.fields) {
      const text = f.secret ? `${f.field}: reference changed` : `${f.field}: ${f.before === undefined ? "(unset)" : show(f.before)} → ${f.after === undefined ? "(unset)" : show(f.after)}`;
      out.push(`${md ? "    - " : "      "}${text}`);
    }
  }
  return `${out.join("\n")}\n`;
}
