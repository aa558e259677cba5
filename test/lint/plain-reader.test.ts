import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFile, type ParsedFile } from "../../lint/load/parse-file.js";
import { readPlainYaml } from "../../lint/load/read-plain-yaml.js";
import { mutatedYaml } from "../helpers/mutated-yaml.js";

// The plain reader (lint/load/read-plain-yaml.ts) is a shortcut past yaml's Composer: wherever it
// answers, the file must come out exactly as the full yaml path makes it, down to every range.

const ROOT = new URL("../../", import.meta.url).pathname;
const yamlFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));
const EXAMPLES = [...yamlFiles("examples"), ...yamlFiles("test/fixtures")].map((f) => readFileSync(join(ROOT, f), "utf8"));

const SEEDS = [
  "# yaml-language-server: $schema=../schema.json\napiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: jira-1\nspec:\n  configurationName: Jira 1\n  url: https://jira1.corp.example\n  username: svc-defectdojo@corp.example\n  password: { fromConfig: jira1Token }\n  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n  severityMapping: { info: Lowest, low: Low, medium: Medium, high: High, critical: Highest }\n  defaultIssueType: Bug\n  acceptedResolutions: [\"Won't Fix\"]\n",
  "apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: product-12\nspec:\n  product: Product 12\n  instance: jira-2\n  projectKey: P12\n  component: [backend, security]\n  labels: [defectdojo, appsec, team-12]\n  pushAllIssues: true\n  pushNotes: false\n  defaultAssignee: triage-2\n  customFields: { customfield_10122: [{ name: \"8.0.12\" }] }\n",
  "---\napiVersion: defectdojo-jira/v1\nkind: JiraSettings\nmetadata:\n  name: settings # the one\n  renamedFrom:\n  - old-settings\n  - 'older ''settings'''\nspec:\n  enabled: yes\n  ratio: 1.50\n  count: 0o17\n  hex: 0x1F\n  exp: -1e3\n  none: ~\n  list:\n    - a: 1\n      b: [x, {c: d}]\n    - plain text, with commas\n\n---\n# second\nkind: B\nmetadata: { name: b }\n...\n",
  // Secrets, for the masking decision made without yaml's CST.
  "apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: leaky\nspec:\n  url: https://svc:pa55w0rd@jira.corp.example/x\n  username: svc\n  password: 'Hunter2 ''x'''\n  token: ghp_abcdefghijklmnop1234\n  ghp_abcdefghijklmnop5678: key\n  secret: { fromEnv: X, other: \"s3cr3t-value\", list: [a, true, 12] }\n  apiKey:\n    - nested-secret\n    - fromConfig: y\n      value: inner\n  passwords: [null, ~, true, \"true\"]\n  note: ATATT3xFfGF0abcdefghijklmnopqrstuvwxyz\n",
  ...EXAMPLES,
];
/** Trailing comments that end collections: an independent review found range ends apart there, so they are yaml's. */
const TRAILING_COMMENTS = [
  "k:\n- v\n# c\n",
  "apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: p\nspec:\n  instance: j\n  projectKey: P\n  product:\n    - x: 1\n      # c\n\n  pushNotes: false\n",
  "a:\n  k:\n    j: x\n    # c\n\nb: 1\n",
  "apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: p\nspec:\n  product:\n  -  x: 1\n     y:\n      n: b\n     #\n  instance: j\n  projectKey: P\n",
];
const TOKENS = ["\n", " ", "  ", ":", "- ", "-", "[", "]", "{", "}", ",", "&a ", "*a", "<<: ", "---\n", "---", "...", "#", " #", "'", "''", '"', "\\", "|", ">", "!!str ", "?", "%", "@", "__proto__", "\t", "\r\n", "\uFEFF", "\u0000", "\u2028", "é", "𝔘", "null", "~", "-1", "1e99", "0x1F", "0o7", ".inf", "1.0", "true", "True", "dojo-jira-disable", "\n# c", "\n  # c", "\n   # c", "\n    # c", "\n      # c", "\n\n", "\n  ", "\n    ", "\n- ", "\n  - ", " # c"];

// Few edits: most mutations leave the subset, and those that stay in it are the interesting ones.
const mutated = mutatedYaml([...SEEDS, ...TRAILING_COMMENTS], TOKENS, { minLength: 0, maxLength: 4 });

/** Everything of a parsed file that rules, formatters and the provider read. */
function observable(file: ParsedFile) {
  return {
    source: file.source,
    problems: file.problems,
    comments: file.comments,
    incomplete: file.incomplete,
    // Order aside: code frames mask any overlap, messages every text.
    sensitive: [...file.sensitive].sort((a, b) => a[0] - b[0] || a[1] - b[1]),
    secretTexts: [...file.secretTexts].sort(),
    documents: file.documents.map((d) => ({
      index: d.index,
      hasSyntaxErrors: d.hasSyntaxErrors,
      value: d.value,
      shape: shape(d.value),
      apiVersion: d.apiVersion,
      kind: d.kind,
      name: d.name,
      mentionsOurFormat: d.mentionsOurFormat,
      locations: [...d.locations].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    })),
  };
}

/** Key order and prototypes, which toEqual does not compare. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === "object") return { prototype: Object.getPrototypeOf(value) === Object.prototype, entries: Object.entries(value).map(([k, v]) => [k, shape(v)]) };
  return Object.is(value, -0) ? "-0" : value;
}

function agrees(text: string): boolean {
  const plain = parseFile("f.yaml", Buffer.from(text));
  const full = parseFile("f.yaml", Buffer.from(text), { fullYaml: true });
  expect(observable(plain)).toEqual(observable(full));
  return readPlainYaml(text) !== undefined;
}

describe("the plain reader agrees with yaml's full path", () => {
  it("reads the shipped examples and the bench's documents itself", () => {
    const read = SEEDS.filter((s) => readPlainYaml(s) !== undefined);
    // The broken examples are yaml's to read; the clean ones are the reader's.
    expect(read.length).toBeGreaterThanOrEqual(SEEDS.length - 6);
    for (const seed of SEEDS) agrees(seed);
  });

  it("leaves trailing comments that end a collection to yaml", () => {
    for (const text of TRAILING_COMMENTS) {
      expect(readPlainYaml(text)).toBeUndefined();
      agrees(text);
    }
  });

  it("on mutated documents: wherever it answers, it answers as yaml does", () => {
    let answered = 0;
    fc.assert(
      fc.property(mutated, (text) => {
        if (agrees(text)) answered++;
      }),
      { numRuns: Number(process.env.PLAIN_READER_RUNS ?? 2000) },
    );
    // Most mutations break the subset, but enough stay in it for the comparison to mean something.
    if (process.env.PLAIN_READER_RUNS) console.log("answered", answered);
    expect(answered).toBeGreaterThan(200);
  }, 120_000);
});
