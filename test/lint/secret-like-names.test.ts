import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { secretKind } from "../../lint/rules/util/secret-patterns.js";
import { slug } from "../../provider/live-config.js";

/**
 * `dojo-jira export` names links after their product; a run-unique name such as
 * `dojo-jira-acc-mwx5he46-payments` once failed the exported tree's own lint as "a random token".
 */
const word = fc.stringMatching(/^[a-z]{3,9}$/);
const runId = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map((n) => n.toString(36));
const words = fc.array(word, { minLength: 1, maxLength: 3 });
const productName = fc.tuple(words, runId, words, fc.constantFrom(" ", "-")).map(([before, id, after, separator]) => [...before, id, ...after].join(separator));

describe("secret-like-value tells names from tokens", () => {
  it("a name built from words and one run id is never a token", () => {
    fc.assert(
      fc.property(productName, (name) => {
        expect(secretKind(slug(name, new Set(), "fallback"))).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it("a random token is still caught, with or without the separators base64url allows", () => {
    const alphabet = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"];
    // 32 distinct characters: entropy 5 bits, well over the threshold, so only the name exemption could miss it.
    const token = fc.shuffledSubarray(alphabet, { minLength: 32, maxLength: 32 }).map((chars) => chars.join(""));
    fc.assert(
      fc.property(token, (value) => {
        fc.pre(/\d/.test(value) && /^[^-_].*[^-_]$/.test(value));
        expect(secretKind(value)).toBe("a random token (high entropy)");
      }),
      { numRuns: 2000, seed: 20261126 },
    );
    expect(secretKind("k3J-9xQ_2mZpL7vR-8nT4wY6bH1c")).toBe("a random token (high entropy)");
    expect(secretKind("dojo-jira-acc-mwx5he46-payments")).toBeUndefined();
    // Found by the property above (about one run in 25): a first word that is a token prefix.
    expect(secretKind("ghs-krhttzjp-1gsfhsv45pd-aerjc-fyyha")).toBeUndefined();
    expect(secretKind("ghp_krhttzjp1gsfhsv45pdaerjc")).toBe("an access token");
    expect(secretKind("SecurityFindingsFromDefectDojo2026")).toBeUndefined();
  });
});
