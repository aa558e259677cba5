import { describe, expect, it } from "vitest";
import { slug } from "../../provider/live-config.js";

describe("export's metadata.name from a DefectDojo name", () => {
  it("is never cut on a dash, so it stays a valid name", () => {
    const name = slug("dojo-jira-acc-mwx42jil Payments-dojo-jira-acc-mwx42jil pentest", new Set(), "fallback");
    expect(name.length).toBeLessThanOrEqual(55);
    expect(name).toMatch(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/);
  });

  it("falls back when nothing usable is left, and stays unique", () => {
    const taken = new Set<string>();
    expect(slug("!!!", taken, "jira-3")).toBe("jira-3");
    expect(slug("Corp Jira", taken, "x")).toBe("corp-jira");
    expect(slug("corp jira", taken, "x")).toBe("corp-jira-2");
  });
});
