import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDefectDojoEmulator, type DefectDojoEmulator } from "../../emulators/defectdojo/server.js";
import type { ConfigDocument } from "../../schema/config-types.js";
import { dojoApi, instanceDoc } from "../helpers/dojo-fixture.js";
import { lintDocuments } from "../helpers/lint-documents.js";
import { declare, ModelEngine, type StateEntry, type UpResult } from "../helpers/model-engine.js";

/**
 * The safety promise as a stateful property: random sequences of config edits and out-of-band
 * events, each `up` driven through the real provider code against the emulator, and after every
 * deployment:
 *   1. no finding-to-Jira-issue mapping is erased unless the link it hung on was managed by a
 *      resource whose state carried an applied allowDeleteWithJiraIssues;
 *   2. after a successful deployment every declared link exists, once, on its declared target,
 *      with its declared project key and enabled flag, on the declared instance;
 *   3. no secret (the Jira password, the DefectDojo token) is in state, in outputs, in anything the
 *      provider printed, or in an error message.
 * SAFETY_RUNS sets the number of sequences (CI: 1000, about 6 s; a nightly-size run: SAFETY_RUNS=20000).
 * A failure prints fast-check's shrunk command list with its seed and path: replay it with
 * SAFETY_SEED=<seed> SAFETY_PATH=<path> SAFETY_REPLAY_PATH=<the command list's replayPath>.
 */
const RUNS = Number(process.env.SAFETY_RUNS ?? 1000);
const JIRA_PASSWORD = "canary-jira-password-5d1c9";
const PRODUCTS = ["Payments API", "Web Frontend", "Identity Service", "Legacy App"];
const ENGAGEMENTS = [
  { product: "Payments API", name: "Q3 pentest" },
  { product: "Web Frontend", name: "Release 7" },
];

let dojo: DefectDojoEmulator;
/** Deployments made, so the test can show it exercised both outcomes. */
const tally = { ok: 0, failed: 0, stoppedByLint: 0 };

interface LinkDoc {
  name: string;
  renamedFrom?: string[];
  /** Index into PRODUCTS, or into ENGAGEMENTS for an engagement link. */
  target: { kind: "product" | "engagement"; index: number; byId: boolean };
  adopt: boolean;
  enabled: boolean;
  allow: boolean;
}

interface Model {
  links: LinkDoc[];
  instanceDeclared: boolean;
  instance: { name: string; renamedFrom?: string[] };
  names: number;
  faultyNextUp: boolean;
  /** Something changed DefectDojo behind the stack's back: the next deployment refreshes first, as an operator would. */
  changedOutOfBand: boolean;
}

interface World {
  engine: ModelEngine;
  products: number[];
  engagements: number[];
  log: string[];
}

const keyOf = (target: LinkDoc["target"]) => `${target.kind}:${target.index}`;

function documents(model: Model, world: World): ConfigDocument[] {
  const docs: ConfigDocument[] = model.instanceDeclared ? [instanceDoc(model.instance.name, { spec: { configurationName: "Corp Jira" }, options: { adopt: true }, renamedFrom: model.instance.renamedFrom })] : [];
  for (const link of model.links) {
    const metadata = { name: link.name, ...(link.renamedFrom ? { renamedFrom: link.renamedFrom } : {}) };
    const options = { ...(link.adopt ? { adopt: true } : {}), ...(link.allow ? { allowDeleteWithJiraIssues: true } : {}) };
    const common = { instance: model.instance.name, projectKey: `K${link.target.index}${link.target.kind === "product" ? "P" : "E"}`, enabled: link.enabled };
    if (link.target.kind === "product") {
      const product = link.target.byId ? { id: world.products[link.target.index]! } : PRODUCTS[link.target.index]!;
      docs.push({ apiVersion: "defectdojo-jira/v1", kind: "ProductJiraLink", metadata, options, spec: { product, ...common } } as ConfigDocument);
    } else {
      const engagement = link.target.byId ? { id: world.engagements[link.target.index]! } : ENGAGEMENTS[link.target.index]!;
      docs.push({ apiVersion: "defectdojo-jira/v1", kind: "EngagementJiraLink", metadata, options, spec: { engagement, ...common } } as ConfigDocument);
    }
  }
  return docs;
}

type Command = fc.AsyncCommand<Model, World>;

/** A command from a name and two halves: what it does to the config model, and to the world. */
function command(label: string, check: (m: Model) => boolean, run: (m: Model, w: World) => void | Promise<void>): Command {
  return { check, run: async (m, w) => void (await run(m, w)), toString: () => label };
}

const linkAt = (m: Model, i: number) => m.links[i % m.links.length]!;
const hasLinks = (m: Model) => m.links.length > 0;
const liveLinks = () => [...dojo.db.jira_projects.values()].sort((a, b) => Number(a.id) - Number(b.id));

// ---- config edits --------------------------------------------------------------------------

const targetArb = fc.record({ kind: fc.constantFrom<"product" | "engagement">("product", "product", "engagement"), index: fc.nat(3), byId: fc.boolean() }).map((t) => ({ ...t, index: t.kind === "product" ? t.index : t.index % ENGAGEMENTS.length }));

const edits: Array<fc.Arbitrary<Command>> = [
  fc.record({ target: targetArb, adopt: fc.boolean() }).map(({ target, adopt }) =>
    command(`add link on ${keyOf(target)}${target.byId ? " by id" : ""}${adopt ? " (adopt)" : ""}`, () => true, (m) => {
      m.instanceDeclared = true;
      m.links.push({ name: `link-${m.names++}`, target, adopt, enabled: true, allow: false });
    }),
  ),
  fc.record({ i: fc.nat(), withAlias: fc.boolean() }).map(({ i, withAlias }) =>
    command(`rename link #${i}${withAlias ? " with renamedFrom" : " without renamedFrom"}`, hasLinks, (m) => {
      const link = linkAt(m, i);
      link.renamedFrom = withAlias ? [...(link.renamedFrom ?? []), link.name] : undefined;
      link.name = `link-${m.names++}`;
    }),
  ),
  fc.boolean().map((withAlias) =>
    command(`rename the instance${withAlias ? " with renamedFrom" : " without renamedFrom"}`, (m) => m.instanceDeclared, (m) => {
      m.instance = { name: `jira-${m.names++}`, renamedFrom: withAlias ? [...(m.instance.renamedFrom ?? []), m.instance.name] : undefined };
    }),
  ),
  fc.nat().map((i) => command(`toggle adopt on link #${i}`, hasLinks, (m) => void (linkAt(m, i).adopt = !linkAt(m, i).adopt))),
  fc.nat().map((i) => command(`toggle enabled on link #${i}`, hasLinks, (m) => void (linkAt(m, i).enabled = !linkAt(m, i).enabled))),
  fc.nat().map((i) => command(`toggle allowDeleteWithJiraIssues on link #${i}`, hasLinks, (m) => void (linkAt(m, i).allow = !linkAt(m, i).allow))),
  fc.record({ i: fc.nat(), target: targetArb }).map(({ i, target }) => command(`move link #${i} to ${keyOf(target)}${target.byId ? " by id" : ""}`, hasLinks, (m) => void (linkAt(m, i).target = target))),
  fc.nat().map((i) => command(`write link #${i}'s target the other way (name ↔ id)`, hasLinks, (m) => void (linkAt(m, i).target = { ...linkAt(m, i).target, byId: !linkAt(m, i).target.byId }))),
  fc.nat().map((i) => command(`delete link document #${i}`, hasLinks, (m) => void m.links.splice(i % m.links.length, 1))),
  fc.constant(command("delete every document", () => true, (m) => {
    m.links = [];
    m.instanceDeclared = false;
  })),
];

// ---- out-of-band events ----------------------------------------------------------------------

const events: Array<fc.Arbitrary<Command>> = [
  fc.nat().map((i) =>
    command(`a finding is pushed to Jira under live link #${i}`, () => true, () => {
      const enabled = liveLinks().filter((l) => l.enabled);
      if (enabled.length > 0) dojo.seedJiraIssues(Number(enabled[i % enabled.length]!.id), 1);
    }),
  ),
  fc.nat(3).map((p) =>
    command(`a link is made by hand on product ${p}`, () => true, async (m, w) => {
      m.changedOutOfBand = true;
      const instance = [...dojo.db.jira_instances.values()][0];
      if (!instance || liveLinks().some((l) => l.product === w.products[p])) return;
      await dojoApi(dojo)("POST", "jira_projects/", { product: w.products[p], jira_instance: instance.id, project_key: "HAND" });
    }),
  ),
  fc.nat().map((i) =>
    command(`live link #${i} is deleted by hand (its mappings with it)`, () => true, async (m) => {
      m.changedOutOfBand = true;
      const live = liveLinks();
      if (live.length > 0) await dojoApi(dojo)("DELETE", `jira_projects/${live[i % live.length]!.id}/`);
    }),
  ),
  fc.constant(command("the next up meets 15% injected faults", () => true, (m) => void (m.faultyNextUp = true))),
];

// ---- the deployment and its invariants --------------------------------------------------------

const apply = command("pulumi up", () => true, (m, w) => deployAndCheck(m, w, (docs) => (m.changedOutOfBand ? w.engine.upWithRefresh(declare(docs)) : w.engine.up(declare(docs)))));

/** `PULUMI_ENABLE_LEGACY_DIFF=true pulumi up`: no diff, so no word from the provider, for a resource whose inputs did not change. */
const applyWithLegacyDiff = command("PULUMI_ENABLE_LEGACY_DIFF=true pulumi up", () => true, (m, w) =>
  deployAndCheck(m, w, (docs) => (m.changedOutOfBand ? w.engine.upWithRefresh(declare(docs), undefined, { legacyDiff: true }) : w.engine.up(declare(docs), undefined, { legacyDiff: true }))),
);

/** `pulumi up --replace <link>`: the link is made anew (adopting, when it adopts) before its original is deleted. */
const replaceLink = fc.nat().map((i) =>
  command(`pulumi up --replace link #${i}`, hasLinks, (m, w) =>
    deployAndCheck(m, w, (docs) => (m.changedOutOfBand ? w.engine.upWithRefresh(declare(docs), linkAt(m, i).name) : w.engine.up(declare(docs), linkAt(m, i).name))),
  ),
);

/** `pulumi up --replace <link>` stopped after its creates, before its deletes: the original is left pending for the next run. */
const replaceLinkStopped = fc.nat().map((i) =>
  command(`pulumi up --replace link #${i}, stopped before its deletes`, hasLinks, (m, w) =>
    deployAndCheck(m, w, (docs) => (m.changedOutOfBand ? w.engine.upWithRefresh(declare(docs), linkAt(m, i).name, { stopBeforeDeletes: true }) : w.engine.up(declare(docs), linkAt(m, i).name, { stopBeforeDeletes: true }))),
  ),
);

async function deployAndCheck(m: Model, w: World, deploy: (docs: ConfigDocument[]) => Promise<UpResult>): Promise<void> {
  const docs = documents(m, w);
  const lintErrors = (await lintDocuments(docs)).filter((r) => r.severity === "error");
  if (lintErrors.length > 0) {
    w.log.push(`lint stops the run: ${lintErrors.map((e) => e.ruleId).join(", ")}`);
    tally.stoppedByLint++;
    return; // the root program lints first; nothing reaches the provider
  }
  const mappingsBefore = new Map([...dojo.db.jira_issues.values()].map((row) => [Number(row.id), Number(row.jira_project)]));
  const stateBefore: StateEntry[] = structuredClone(w.engine.state);
  if (m.faultyNextUp) dojo.faults.configure({ rate: 0.15, kinds: ["500", "502", "503", "429", "reset", "badjson"], seed: w.log.length + 1, retryAfter: 0 });
  let result: UpResult;
  try {
    result = await deploy(docs);
    if (result.ok) m.changedOutOfBand = false;
  } finally {
    dojo.faults.configure({ rate: 0 });
    m.faultyNextUp = false;
  }
  w.log.push(result.ok ? "up: ok" : `up: failed: ${result.error}`);
  tally[result.ok ? "ok" : "failed"]++;

  // 1. Mappings survive unless their link carried an applied allow flag.
  for (const [mapping, link] of mappingsBefore) {
    if (dojo.db.jira_issues.has(mapping)) continue;
    const allowed = stateBefore.some((e) => e.outputs.dojoId === link && e.outputs.allowDeleteWithJiraIssues === true);
    expect(allowed, `mapping ${mapping} under link ${link} was erased without an applied allow flag`).toBe(true);
  }

  // 2. After a successful up, DefectDojo is what the config declares.
  if (result.ok) {
    const instance = w.engine.state.find((e) => e.kind === "JiraInstance" && e.name === m.instance.name);
    if (m.instanceDeclared) {
      expect(instance, "the declared instance is in state").toBeDefined();
      expect(dojo.db.jira_instances.get(Number(instance!.outputs.dojoId))?.configuration_name, "the declared instance exists").toBe("Corp Jira");
    }
    for (const link of m.links) {
      const entry = w.engine.state.find((e) => e.name === link.name);
      expect(entry, `${link.name} is in state`).toBeDefined();
      const live = dojo.db.jira_projects.get(Number(entry!.outputs.dojoId));
      expect(live, `${link.name}'s link exists in DefectDojo`).toBeDefined();
      const field = link.target.kind === "product" ? "product" : "engagement";
      const targetId = link.target.kind === "product" ? w.products[link.target.index] : w.engagements[link.target.index];
      expect(live![field]).toBe(targetId);
      expect(liveLinks().filter((l) => l[field] === targetId)).toHaveLength(1);
      expect(live!.project_key).toBe(`K${link.target.index}${link.target.kind === "product" ? "P" : "E"}`);
      expect(live!.enabled).toBe(link.enabled);
      expect(live!.jira_instance).toBe(instance!.outputs.dojoId);
    }
  }

  // 3. No secret anywhere the engine or a person could read it.
  const visible = JSON.stringify(w.engine.state) + result.logs.join("\n") + (result.error ?? "");
  expect(visible).not.toContain(JIRA_PASSWORD);
  expect(visible).not.toContain(dojo.token);
}

beforeAll(async () => {
  dojo = await startDefectDojoEmulator();
});
afterAll(async () => dojo?.close());

describe("the safety promise over edit sequences", () => {
  it(`holds for ${RUNS} random sequences of edits, out-of-band events and deployments`, async () => {
    const replay = process.env.SAFETY_SEED ? { seed: Number(process.env.SAFETY_SEED), path: process.env.SAFETY_PATH } : {};
    await fc.assert(
      fc.asyncProperty(fc.commands([...edits, ...events, replaceLink, replaceLinkStopped, fc.constant(applyWithLegacyDiff), fc.constant(apply), fc.constant(apply), fc.constant(apply)], { maxCommands: 24, size: "max", ...(process.env.SAFETY_REPLAY_PATH ? { replayPath: process.env.SAFETY_REPLAY_PATH } : {}) }), async (commands) => {
        dojo.reset();
        const seeded = dojo.seed({ products: PRODUCTS.map((name) => ({ name })), engagements: ENGAGEMENTS });
        const world: World = {
          engine: new ModelEngine({ "defectdojo:url": dojo.url, "defectdojo:apiToken": dojo.token, "defectdojo-jira:corpJiraToken": JIRA_PASSWORD }, { backoffMs: 1, deadlineMs: 5_000 }),
          products: PRODUCTS.map((name) => seeded.products[name]!),
          engagements: ENGAGEMENTS.map((e) => seeded.engagements[`${e.product}/${e.name}`]!),
          log: [],
        };
        const model: Model = { links: [], instanceDeclared: false, instance: { name: "corp-jira" }, names: 0, faultyNextUp: false, changedOutOfBand: false };
        await fc.asyncModelRun(() => ({ model, real: world }), commands);
        await apply.run(model, world); // every sequence ends with a deployment, so that its last edits are checked too
      }),
      { numRuns: RUNS, ...replay },
    );
    console.log(`safety property: ${RUNS} sequences, deployments ok ${tally.ok}, failed ${tally.failed}, stopped by lint ${tally.stoppedByLint}`);
    // A replay runs one sequence: only a full run has to show both outcomes.
    if (!process.env.SAFETY_SEED) {
      expect(tally.ok).toBeGreaterThan(RUNS);
      expect(tally.failed).toBeGreaterThan(0);
    }
  }, 600_000);
});
