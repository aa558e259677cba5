import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { parseDocument } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { FORMATTERS, type FormatterInput } from "../../lint/formatters/index.js";
import { lintPaths } from "../../lint/lint-paths.js";
import { RULES } from "../../lint/rules/index.js";
import { ROOT } from "../helpers/run-cli.js";

const require = createRequire(import.meta.url);

interface SarifLog {
  runs: Array<{
    originalUriBaseIds?: Record<string, { uri: string }>;
    results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }> }>;
  }>;
}

function expectValidSarif(log: unknown): void {
  const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json") as object;
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }); // the official schema is draft-04 and has a pattern invalid under the u flag
  addFormats(ajv);
  const validate = ajv.compile(schema);
  expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
}
/** Fake secrets that examples/broken carries; no output may contain them. */
export const BROKEN_SECRETS = ["Sup3rS3cretPassw0rd-not-real", "ATATT3xFfGF0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdef"];

let input: FormatterInput;

beforeAll(async () => {
  const report = await lintPaths(["examples/broken"], { cwd: ROOT });
  input = {
    results: report.results,
    sources: new Map(report.files.map((f) => [f.file, { text: f.source, sensitive: f.sensitive, position: f.position }])),
    rules: RULES,
    counts: { files: report.files.length, documents: 0 },
    toolVersion: "0.0.0-test",
  };
});

describe("formatters", () => {
  it("sarif validates against the official SARIF 2.1.0 schema and describes every rule", () => {
    const log = JSON.parse(FORMATTERS.sarif!(input)) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; ruleIndex: number }> }> };
    expectValidSarif(log);
    const run = log.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(new Set(run.results.map((r) => r.ruleId))).toEqual(new Set(RULES.map((r) => r.id)));
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
  });

  it("sarif: %SRCROOT% is the working folder; files inside it relative to it, files outside it absolute", () => {
    const cwd = "/work/config repo";
    const files = ["config/instance.yaml", "./config/links ü.yaml", `${cwd}/abs-inside.yaml`, "/elsewhere/shared.yaml", "../sibling/x.yaml", "<stdin>"];
    const results = files.map((file) => ({ ...input.results[0]!, file }));
    const log = JSON.parse(FORMATTERS.sarif!({ ...input, results, cwd })) as SarifLog;
    expectValidSarif(log);
    const run = log.runs[0]!;
    expect(run.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: "file:///work/config%20repo/" } });
    const locations = run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
    expect(locations).toEqual([
      { uri: "config/instance.yaml", uriBaseId: "%SRCROOT%" },
      { uri: "config/links%20%C3%BC.yaml", uriBaseId: "%SRCROOT%" },
      { uri: "abs-inside.yaml", uriBaseId: "%SRCROOT%" },
      { uri: "file:///elsewhere/shared.yaml" },
      { uri: "file:///work/sibling/x.yaml" },
      { uri: "%3Cstdin%3E", uriBaseId: "%SRCROOT%" },
    ]);
    // What a consumer does: resolve each location against its base; it must land on the file itself.
    for (const [i, location] of locations.entries()) {
      const url = location.uriBaseId ? new URL(location.uri, run.originalUriBaseIds![location.uriBaseId]!.uri) : new URL(location.uri);
      expect(url.href).toBe(pathToFileURL(resolve(cwd, files[i]!)).href);
    }
  });

  it("json carries every result with positions and a summary", () => {
    const out = JSON.parse(FORMATTERS.json!(input)) as { summary: { errors: number }; results: Array<{ range: { start: { line: number } } }> };
    expect(out.results).toHaveLength(input.results.length);
    expect(out.summary.errors).toBe(input.results.filter((r) => r.severity === "error").length);
    expect(out.results.every((r) => r.range.start.line >= 1)).toBe(true);
  });

  it("junit is well-formed XML with one failure per problem", () => {
    const xml = FORMATTERS.junit!(input);
    expect(xml.match(/<failure /g)).toHaveLength(input.results.length);
    // A YAML parser is no XML parser; check balance of the elements we emit instead.
    expect(xml.match(/<testsuite /g)?.length).toBe(xml.match(/<\/testsuite>/g)?.length);
    expect(xml).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)/);
  });

  it("github emits one escaped workflow command per problem", () => {
    const lines = FORMATTERS.github!(input).trimEnd().split("\n");
    expect(lines).toHaveLength(input.results.length);
    for (const line of lines) expect(line).toMatch(/^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=dojo-jira [a-z-]+::.+$/);
    const escaped = FORMATTERS.github!({ ...input, results: [{ ...input.results[0]!, file: "a,b:c.yaml", message: "50% done\nnext" }] });
    expect(escaped).toContain("file=a%2Cb%3Ac.yaml");
    expect(escaped).toContain("::50%25 done%0Anext");
  });

  it("stylish shows a code frame with a caret under the offending text", () => {
    const out = FORMATTERS.stylish!(input);
    expect(out).toMatch(/> +\d+ \| +defaultIssueTyp: Bug\n +\| +\^{15}/);
    expect(out).toMatch(/✖ \d+ problems \(\d+ errors, \d+ warnings, \d+ info\)/);
  });

  it("no format prints a secret value, even in code frames", () => {
    for (const [name, format] of Object.entries(FORMATTERS)) {
      const out = format(input);
      for (const secret of BROKEN_SECRETS) expect(out, `${name} leaked a secret`).not.toContain(secret);
    }
  });

  it("clean input gives a clean report in every format", () => {
    const clean = { ...input, results: [] };
    expect(FORMATTERS.stylish!(clean)).toMatch(/no problems/);
    expect(FORMATTERS.github!(clean)).toBe("");
    expect(JSON.parse(FORMATTERS.json!(clean)).results).toEqual([]);
    expect(parseDocument(FORMATTERS.sarif!(clean)).errors).toEqual([]);
  });
});
