import { describe, expect, it } from "vitest";
import { validateSpec } from "../../provider/validate.js";

// Pulumi prints the value of a check failure's top-level property: a failure on `spec` would print
// the whole spec, whatever secret was pasted into it. Failures name the field they are about.
const instance = { url: "https://corp.atlassian.net", username: "svc@corp.example", password: { fromConfig: "corpJiraToken" }, epicNameId: 10011, transitions: { reopen: 11, close: 11 } };

describe("check failures name a field, never the whole spec", () => {
  it("a rule's failure points at the field it is about", () => {
    const failures = validateSpec("JiraInstance", "corp", instance);
    expect(failures.map((f) => f.reason)).toEqual([expect.stringContaining("(transitions-distinct)")]);
    expect(failures[0]!.property).toMatch(/^spec\.transitions(\.\w+)?$/);
  });

  it("a token pasted into a free-text field fails on that field", () => {
    const failures = validateSpec("JiraInstance", "corp", { ...instance, transitions: { reopen: 11, close: 31 }, findingText: "ATATT3xFfGF0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789" });
    expect(failures).toEqual([expect.objectContaining({ property: "spec.findingText" })]);
    expect(failures.every((f) => f.property !== "spec")).toBe(true);
  });
});
