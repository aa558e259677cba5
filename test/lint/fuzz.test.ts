import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runRules } from "../../lint/engine.js";
import { parseFile } from "../../lint/load/parse-file.js";
import { FORMATTERS } from "../../lint/formatters/index.js";
import { RULES } from "../../lint/rules/index.js";
import { mutatedYaml } from "../helpers/mutated-yaml.js";

const SEED_DOCS = [
  "apiVersion: defectdojo-jira/v1\nkind: JiraInstance\nmetadata:\n  name: corp-jira\nspec:\n  url: https://corp.atlassian.net\n  username: svc\n  password: { fromConfig: token }\n  epicNameId: 10011\n  transitions: { reopen: 11, close: 31 }\n  severityMapping: { info: Lowest, critical: Highest }\n  acceptedResolutions: [\"Won't Fix\"]\n",
  "apiVersion: defectdojo-jira/v1\nkind: ProductJiraLink\nmetadata:\n  name: pay\nspec:\n  product: Payments API\n  instance: corp-jira\n  projectKey: PAY\n  labels: [a, b]\n  component: [x, y]\n  customFields: { customfield_1: [{ name: v }] }\n  enabled: false\n  pushAllIssues: true\n",
  "apiVersion: defectdojo-jira/v1\nkind: EngagementJiraLink\nmetadata:\n  name: pen\nspec:\n  engagement: { product: Payments API, name: Q3 }\n  instance: corp-jira\n  projectKey: PEN\n# dojo-jira-disable-next-line project-key-format -- fuzz\n",
];
const TOKENS = ["\n", " ", "  ", ":", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "<<: ", "---\n", "#", "'", '"', "|", ">", "!!str ", "__proto__", "\t", "\r\n", "\uFEFF", "\u0000", "é", "𝔘", "null", "~", "-1", "1e99", "0x1F", "true"];

/** A valid document with random slices removed, duplicated or replaced by YAML-significant tokens. */
const mutated = mutatedYaml(SEED_DOCS, TOKENS, { minLength: 1, maxLength: 6 });

describe("fuzz: the linter never crashes", () => {
  it("mutated valid documents always give results with sane positions", () => {
    fc.assert(
      fc.property(fc.array(mutated, { minLength: 1, maxLength: 3 }), (texts) => {
        const files = texts.map((t, i) => parseFile(`f${i}.yaml`, Buffer.from(t)));
        const { results } = runRules(files);
        for (const r of results) {
          expect(RULES.some((rule) => rule.id === r.ruleId)).toBe(true);
          expect(r.range.start.line).toBeGreaterThanOrEqual(1);
          expect(r.range.start.column).toBeGreaterThanOrEqual(1);
          expect(r.message.length).toBeGreaterThan(0);
        }
        const sources = new Map(files.map((f) => [f.file, { text: f.source, sensitive: f.sensitive, position: f.position }]));
        for (const format of Object.values(FORMATTERS)) format({ results, sources, rules: RULES, counts: { files: 1, documents: 1 }, toolVersion: "0" });
      }),
      { numRuns: 3000, seed: 20261125 },
    );
  });

  it("arbitrary bytes never crash the loader", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const { results } = runRules([parseFile("x.yaml", bytes)]);
        expect(Array.isArray(results)).toBe(true);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
