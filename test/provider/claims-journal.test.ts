import { appendFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Claims, ClaimsJournal } from "../../provider/resources/ownership.js";

/** Two plugin processes of one deployment, as two Claims over one journal (the engine address and process keep them together). */
function deployment(address: string) {
  const journal = ClaimsJournal.forDeployment(address, 4242)!;
  return Object.assign((dojo: string) => new Claims(journal, () => dojo), { journal });
}

describe("claims shared by a deployment's plugin processes", () => {
  it("an adoption in one process keeps the object from another process's delete", () => {
    const processes = deployment(`127.0.0.1:${Math.floor(Math.random() * 60_000)}-${Date.now()}`);
    const explicit = processes("https://dojo.corp.example");
    const defaults = processes("https://dojo.corp.example");
    defaults.adopted("jira_projects", 7, "payments-v2");
    expect(explicit.keeperOf("jira_projects", 7, "payments")).toBe("payments-v2");
    expect(explicit.keeperOf("jira_projects", 8, "payments")).toBeUndefined();
    // The same name from the other process: its replacement, moved to another provider.
    defaults.adopted("jira_projects", 9, "billing");
    expect(explicit.keeperOf("jira_projects", 9, "billing")).toBe("the replacement of billing");
    defaults.release("jira_projects", 7);
    expect(explicit.keeperOf("jira_projects", 7, "payments")).toBeUndefined();
  });

  it("ids of another DefectDojo, another deployment, or a garbled line change nothing", () => {
    const address = `127.0.0.1:${Math.floor(Math.random() * 60_000)}-${Date.now()}-b`;
    const processes = deployment(address);
    processes("https://other-dojo.example").adopted("jira_projects", 7, "payments-v2");
    expect(processes("https://dojo.corp.example").keeperOf("jira_projects", 7, "payments")).toBeUndefined();
    deployment(`${address}-later`)("https://dojo.corp.example").adopted("jira_projects", 11, "x");
    expect(processes("https://dojo.corp.example").keeperOf("jira_projects", 11, "y")).toBeUndefined();
    appendFileSync(processes.journal.path, "{not json\n");
    expect(processes("https://other-dojo.example").keeperOf("jira_projects", 7, "payments")).toBe("payments-v2");
  });
});
