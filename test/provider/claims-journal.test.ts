import { execFileSync } from "node:child_process";
import { appendFileSync, chmodSync, existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Claims, ClaimsJournal, engineDiffsEveryDeclared, engineRun } from "../../provider/resources/ownership.js";

/** Two plugin processes of one deployment, as two Claims over one journal (the engine address and process keep them together). */
function deployment(address: string) {
  const journal = ClaimsJournal.forDeployment(address, "pid 4242")!;
  return Object.assign((dojo: string) => new Claims(journal, () => dojo), { journal });
}

// Journals go under Pulumi's home: a temporary one here, never the user's.
const savedHome = process.env.PULUMI_HOME;
let testHome: string;
beforeAll(async () => {
  testHome = await mkdtemp(join(tmpdir(), "dojo-jira-claims-home-"));
  process.env.PULUMI_HOME = testHome;
});
afterAll(async () => {
  process.env.PULUMI_HOME = savedHome;
  await rm(testHome, { recursive: true, force: true });
});

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

  it("an object a moving resource leaves goes to the resource that adopts or declares it, and to no one while the move is refused", () => {
    const processes = deployment(`127.0.0.1:${Math.floor(Math.random() * 60_000)}-${Date.now()}`);
    const [one, two] = [processes("https://dojo.corp.example"), processes("https://dojo.corp.example")];
    // Left: its own delete keeps nothing; another resource may adopt it, and then keeps it.
    one.leaving("jira_projects", 1, "payments");
    expect(one.keeperOf("jira_projects", 1, "payments")).toBeUndefined();
    expect(() => two.refuseAdoptionIfOwned("jira_projects", 1, "web", "the Jira link of product 1")).not.toThrow();
    two.adopted("jira_projects", 1, "web");
    expect(one.keeperOf("jira_projects", 1, "payments")).toBe("web");
    expect(two.keeperOf("jira_projects", 1, "payments")).toBe("web");
    // A rename that also moves: the claim is under the new name, the delete under the old one.
    one.leaving("jira_projects", 2, "payments-v2");
    expect(two.keeperOf("jira_projects", 2, "payments")).toBeUndefined();
    // A resource that declares it unchanged takes it over (both held it in state after a --target).
    two.leaving("jira_projects", 3, "billing");
    two.claimDeclared("jira_projects", 3, "billing-eu", "its Jira link");
    two.keep("jira_projects", 3, "billing-eu");
    expect(two.keeperOf("jira_projects", 3, "billing")).toBe("billing-eu");
    // A refused move keeps its object: no one adopts it.
    one.claim("jira_projects", 4, "legacy");
    expect(() => two.refuseAdoptionIfOwned("jira_projects", 4, "newcomer", "the Jira link of product 4")).toThrow("already managed by legacy");
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

describe("an engine that diffs only changed resources (PULUMI_ENABLE_LEGACY_DIFF)", () => {
  it("a delete no claim vouches for is refused, naming the variable; a claimed object still goes to its keeper", () => {
    const claims = new Claims(undefined, () => "https://dojo", () => false);
    claims.adopted("jira_projects", 7, "payments-v2");
    expect(claims.keeperOf("jira_projects", 7, "payments")).toBe("payments-v2");
    expect(() => claims.keeperOf("jira_projects", 8, "billing")).toThrow(/^billing: not deleted \(id 8\) while PULUMI_ENABLE_LEGACY_DIFF is set: .* Unset PULUMI_ENABLE_LEGACY_DIFF and run again$/);
    expect(new Claims(undefined, () => "https://dojo", () => true).keeperOf("jira_projects", 8, "billing")).toBeUndefined();
  });

  it("no adoption: an unchanged resource that manages the object has claimed nothing", () => {
    const claims = new Claims(undefined, () => "https://dojo", () => false);
    expect(() => claims.refuseAdoptionIfOwned("jira_projects", 2, "payments-by-id", "the Jira link of product 1")).toThrow(/^payments-by-id: the Jira link of product 1 \(id 2\) not adopted while PULUMI_ENABLE_LEGACY_DIFF is set: .* Unset PULUMI_ENABLE_LEGACY_DIFF and run again$/);
    expect(() => new Claims(undefined, () => "https://dojo", () => true).refuseAdoptionIfOwned("jira_projects", 2, "payments-by-id", "the Jira link of product 1")).not.toThrow();
  });

  it("the variable is read as Pulumi reads it: 1 or true, in any case", () => {
    const saved = process.env.PULUMI_ENABLE_LEGACY_DIFF;
    const with_ = (value: string | undefined) => {
      if (value === undefined) delete process.env.PULUMI_ENABLE_LEGACY_DIFF;
      else process.env.PULUMI_ENABLE_LEGACY_DIFF = value;
      return engineDiffsEveryDeclared();
    };
    try {
      expect(["1", "true", "TRUE", "True"].map(with_)).toEqual([false, false, false, false]);
      expect([undefined, "", "0", "false", "yes", " true"].map(with_)).toEqual([true, true, true, true, true, true]);
    } finally {
      with_(saved);
    }
  });
});

describe("where a deployment's journal lives, and what marks one run", () => {
  afterEach(() => {
    process.env.PULUMI_HOME = testHome;
  });

  it("goes under Pulumi's home, and never into a folder others can write", async () => {
    const home = await mkdtemp(join(tmpdir(), "dojo-jira-home-"));
    process.env.PULUMI_HOME = home;
    expect(dirname(ClaimsJournal.forDeployment("127.0.0.1:1", "run")!.path)).toBe(join(home, "dojo-jira-claims"));
    chmodSync(join(home, "dojo-jira-claims"), 0o777);
    expect(dirname(ClaimsJournal.forDeployment("127.0.0.1:1", "run")!.path)).not.toBe(join(home, "dojo-jira-claims"));
    await rm(home, { recursive: true, force: true });
  });

  it("never writes or reads through a symbolic link planted at the journal's name", async () => {
    const home = await mkdtemp(join(tmpdir(), "dojo-jira-home-"));
    process.env.PULUMI_HOME = home;
    const journal = ClaimsJournal.forDeployment("127.0.0.1:2", "run")!;
    const victim = join(home, "victim");
    writeFileSync(victim, `${JSON.stringify({ scope: "https://dojo", key: "jira_projects/7", resource: "planted" })}\n`);
    symlinkSync(victim, journal.path);
    const claims = new Claims(journal, () => "https://dojo");
    claims.adopted("jira_projects", 8, "payments");
    expect(readFileSync(victim, "utf8").split("\n").filter(Boolean)).toHaveLength(1);
    expect(claims.keeperOf("jira_projects", 7, "payments")).toBeUndefined();
    await rm(home, { recursive: true, force: true });
  });

  it("a run is the process holding the engine's listening socket, as a child of it finds; another listener on that port elsewhere changes nothing", async () => {
    if (!existsSync("/proc/net/tcp")) return; // elsewhere the walk to the nearest `pulumi` decides
    const listen = (port: number, host: string) => new Promise<Server>((resolve, reject) => {
      const server = createServer().once("error", reject);
      server.listen(port, host, () => resolve(server));
    });
    const close = (server: Server) => new Promise((resolve) => server.close(resolve));
    const engine = await listen(0, "127.0.0.1");
    const port = (engine.address() as AddressInfo).port;
    const ownership = new URL("../../dist/provider/resources/ownership.js", import.meta.url).href;
    const fromChild = () => execFileSync(process.execPath, ["--input-type=module", "-e", `import { engineRun } from ${JSON.stringify(ownership)}; process.stdout.write(engineRun("127.0.0.1:${port}"))`], { encoding: "utf8" });
    expect(fromChild()).toBe(`pid ${process.pid}`);
    // Another user's socket on the same port at another address, there or not: the same run.
    const squatter = await listen(port, "127.0.0.2");
    expect(fromChild()).toBe(`pid ${process.pid}`);
    await close(squatter);
    await close(engine);
  });
});
