import { markdownText } from "../text/markdown.js";
import { printable } from "../text/printable.js";
import { describe, type ObjectChange, type SemanticDiff } from "./semantic-diff.js";

const show = (v: unknown) => (v === undefined ? "(unset)" : JSON.stringify(v));

const SECRET_CHANGED = { reference: "reference changed", literal: "secret changed (literal, not shown)" };

function notesOf(c: ObjectChange): string {
  return [
    c.renamedFrom ? `renamed from ${c.renamedFrom}` : "",
    c.movedFrom ? `moved from ${c.movedFrom}` : "",
    c.invalid ? `invalid: ${c.invalid.join(", ")}` : c.wasInvalid ? `was invalid: ${c.wasInvalid.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join(", ");
}

/** Text for a terminal, markdown for a pull-request comment. JSON is the diff itself (see cli/diff.ts). */
export function renderDiff(diff: SemanticDiff, format: "text" | "markdown"): string {
  const md = format === "markdown";
  // Names, values, files and revisions come from the repository: inert in markdown.
  const t = md ? markdownText : (text: string) => text;
  const out: string[] = [md ? `### Jira configuration: ${t(diff.from)} → ${t(diff.to)}` : `Jira configuration ${diff.from} → ${diff.to}`];
  if (diff.changes.length === 0 && diff.unread.length === 0) {
    out.push(...(md ? ["", "No change."] : ["No change."]));
  } else {
    if (diff.risks.length > 0) {
      out.push("", md ? "**Needs attention**" : "needs attention:", ...(md ? [""] : []));
      for (const risk of diff.risks) out.push(md ? `- ⚠️ ${t(risk)}` : `  ! ${risk}`);
    }
    if (diff.changes.length > 0) out.push("", md ? "**Changes**" : "changes:", ...(md ? [""] : []));
    for (const c of diff.changes) {
      const sign = c.change === "added" ? "+" : c.change === "removed" ? "-" : "~";
      const notes = notesOf(c);
      out.push(`${md ? "- " : "  "}${sign} ${t(describe(c))}${notes ? ` [${t(notes)}]` : ""}`);
      for (const f of c.fields) out.push(`${md ? "    - " : "      "}${t(f.field)}: ${f.secret ? SECRET_CHANGED[f.secret] : t(`${show(f.before)} → ${show(f.after)}`)}`);
    }
    if (diff.unread.length > 0) out.push("", md ? "**Not compared**" : "not compared:", ...(md ? [""] : []));
    for (const u of diff.unread) out.push(`${md ? "- " : "  "}? ${t(u.file)} at ${t(u.at)}: ${t(u.reason)}`);
  }
  // And control characters escaped, one line each, in either format.
  return `${out.map((line) => printable(line)).join("\n")}\n`;
}
