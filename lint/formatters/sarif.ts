import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { ArtifactLocation, Log, ReportingDescriptor, Result } from "sarif";
import type { Formatter } from "./types.js";

const LEVEL = { error: "error", warning: "warning", info: "note" } as const;
const SRCROOT = "%SRCROOT%";

/** SARIF 2.1.0 for code-scanning UIs: every rule is described, even those with no results. */
export const sarif: Formatter = ({ results, rules, toolVersion, cwd }) => {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const descriptors: ReportingDescriptor[] = rules.map((rule) => ({
    id: rule.id,
    name: rule.id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.docs.summary },
    fullDescription: { text: rule.docs.details },
    help: {
      text: `${rule.docs.details}\n\nBad:\n${rule.docs.bad}\n\nGood:\n${rule.docs.good}`,
      markdown: `${rule.docs.details}\n\n**Bad**\n\n\`\`\`yaml\n${rule.docs.bad}\n\`\`\`\n\n**Good**\n\n\`\`\`yaml\n${rule.docs.good}\n\`\`\``,
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
  }));
  const sarifResults: Result[] = results.map((r) => ({
    ruleId: r.ruleId,
    ruleIndex: ruleIndex.get(r.ruleId) ?? -1,
    level: LEVEL[r.severity],
    message: { text: r.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(r.file, cwd),
          region: { startLine: r.range.start.line, startColumn: r.range.start.column, endLine: r.range.end.line, endColumn: Math.max(r.range.end.column, r.range.start.line === r.range.end.line ? r.range.start.column : 1) },
        },
      },
    ],
  }));
  const log: Log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "dojo-jira", version: toolVersion, semanticVersion: toolVersion, informationUri: "https://github.com/dojo-jira/dojo-jira", rules: descriptors } },
        // File names are relative to the working folder, so that is %SRCROOT%, as a directory URL
        // (the trailing slash makes relative URIs resolve inside it, not beside it).
        ...(cwd === undefined ? {} : { originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(cwd.endsWith(sep) ? cwd : `${cwd}${sep}`).href } } }),
        results: sarifResults,
        columnKind: "utf16CodeUnits",
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

/**
 * A file inside the working folder: relative, forward-slashed, percent-encoded, against %SRCROOT%
 * (what code-scanning UIs resolve against the checkout). Outside it (an absolute operand, `../x`):
 * an absolute file URL, since no relative path from %SRCROOT% names it honestly.
 */
function artifactLocation(file: string, cwd: string | undefined): ArtifactLocation {
  if (cwd === undefined) return { uri: file.split(/[\\/]/).map(encodeURIComponent).join("/").replace(/^(\.\/)+/, ""), uriBaseId: SRCROOT };
  const absolute = resolve(cwd, file);
  const inside = relative(cwd, absolute);
  if (inside === "" || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return { uri: pathToFileURL(absolute).href };
  return { uri: inside.split(sep).map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}
