import { isDeepStrictEqual } from "node:util";
import type { ConfigDocument } from "../../schema/config-types.js";
import { createContext, providerFor, type ResourceKind } from "../../provider/dynamic/runtime.js";

/**
 * How Pulumi's engine drives dynamic providers during `pulumi up`, as a small model, so that the
 * real provider code can be put through thousands of deployments in seconds (the real CLI costs
 * seconds per deployment; the e2e tests cover it). What it keeps of the engine:
 * - one provider process per deployment (a fresh provider context, configured once);
 * - resources in program order: `check` (old inputs, new inputs), then `diff` (old *outputs*) and
 *   update, or replace (deleting first when the diff says deleteBeforeReplace, else made first and
 *   the original deleted with the deletes), or create for a name not in state;
 * - `aliases` (metadata.renamedFrom) move a state entry to the new name without any call;
 * - resources the program no longer declares are deleted after all others, newest first;
 * - the first error stops the deployment (no `--continue-on-error`); what succeeded is kept;
 * - with PULUMI_ENABLE_LEGACY_DIFF (`legacyDiff`), no diff for a resource whose inputs did not
 *   change; the variable is in the provider's environment, as the engine's is in the plugin's.
 */
export interface StateEntry {
  kind: ResourceKind;
  name: string;
  id: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** The original of a replacement whose run stopped before its deletes: the next run deletes it, after the diffs. */
  pendingDelete?: boolean;
}

export interface Declared {
  kind: ResourceKind;
  name: string;
  aliases: string[];
  inputs: Record<string, unknown>;
  /** The JiraInstance whose dojoId becomes `instanceId` (links). */
  instance?: string;
}

export interface UpResult {
  ok: boolean;
  error?: string;
  /** Everything the provider printed (console.log / console.error) during the deployment. */
  logs: string[];
}

/** The resources the root program declares for a config tree (program/index.ts, minus Pulumi). */
export function declare(documents: ConfigDocument[]): Declared[] {
  const order: Record<string, number> = { JiraSettings: 0, JiraInstance: 1, ProductJiraLink: 2, EngagementJiraLink: 3 };
  return [...documents]
    .sort((a, b) => (order[a.kind] ?? 9) - (order[b.kind] ?? 9))
    .map((doc) => {
      const base = { kind: doc.kind as ResourceKind, name: doc.metadata.name, aliases: doc.metadata.renamedFrom ?? [] };
      const options = (doc.options ?? {}) as Record<string, unknown>;
      if (doc.kind === "ProductJiraLink" || doc.kind === "EngagementJiraLink") {
        return { ...base, instance: doc.spec.instance, inputs: { name: doc.metadata.name, spec: doc.spec, adopt: options.adopt, allowDeleteWithJiraIssues: options.allowDeleteWithJiraIssues } };
      }
      if (doc.kind === "JiraSettings") return { ...base, inputs: { name: doc.metadata.name, spec: doc.spec, adopt: options.adopt, disableJiraOnDelete: options.disableJiraOnDelete } };
      return { ...base, inputs: { name: doc.metadata.name, spec: doc.spec, adopt: options.adopt } };
    });
}

/** JSON round trip, as the gRPC host does to everything that crosses it. */
const wire = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

export interface UpOptions {
  /** PULUMI_ENABLE_LEGACY_DIFF: the engine diffs only the resources whose inputs changed. */
  legacyDiff?: boolean;
  /** The run stops after its creates and updates, before any delete (a failure elsewhere, a crash, Ctrl-C). */
  stopBeforeDeletes?: boolean;
}

export class ModelEngine {
  /** In creation order, as Pulumi's checkpoint keeps it. */
  state: StateEntry[] = [];

  constructor(
    readonly config: Record<string, string>,
    /** Client settings of each deployment's provider (e.g. a short backoff under injected faults). */
    private readonly clientOptions: Parameters<typeof createContext>[1] = {},
  ) {}

  /** A fresh provider process: what each `pulumi` command starts. */
  private process() {
    const context = createContext(undefined, this.clientOptions);
    // As the dynamic-provider host's config: a key without a namespace is the project's (reference §1).
    context.settings.configure({ get: (key) => this.config[key.includes(":") ? key : `defectdojo-jira:${key}`] });
    return context;
  }

  /** `pulumi up --refresh`: every resource read back first (gone ones leave state), then the deployment. */
  async upWithRefresh(declared: Declared[], replace?: string, options: UpOptions = {}): Promise<UpResult> {
    const context = this.process();
    try {
      for (const entry of [...this.state]) {
        const read = wire(await providerFor(entry.kind, context).read!(entry.id, wire(entry.outputs)));
        if (!read.id) this.state.splice(this.state.indexOf(entry), 1);
        else Object.assign(entry, { outputs: read.props ?? entry.outputs, inputs: read.inputs ?? entry.inputs });
      }
    } catch (error) {
      return { ok: false, error: `refresh: ${(error as Error).message}`, logs: [] };
    }
    return this.up(declared, replace, options);
  }

  /**
   * `replace`: the name of a resource to replace as `pulumi up --replace <urn>` (or a new parent: the
   * same name under another URN) does: made anew first, its original deleted with the deletes.
   */
  async up(declared: Declared[], replace?: string, { legacyDiff = false, stopBeforeDeletes = false }: UpOptions = {}): Promise<UpResult> {
    const context = this.process();
    const savedLegacyDiff = process.env.PULUMI_ENABLE_LEGACY_DIFF;
    if (legacyDiff) process.env.PULUMI_ENABLE_LEGACY_DIFF = "true";
    const replacedOriginals: StateEntry[] = [];
    const logs: string[] = [];
    const capture = (...args: unknown[]) => void logs.push(args.map(String).join(" "));
    const saved = { log: console.log, error: console.error, warn: console.warn };
    Object.assign(console, { log: capture, error: capture, warn: capture });
    try {
      const seen = new Set<StateEntry>();
      for (const resource of declared) {
        const provider = providerFor(resource.kind, context);
        const live = this.state.filter((e) => !e.pendingDelete);
        let entry = live.find((e) => e.kind === resource.kind && e.name === resource.name) ?? live.find((e) => e.kind === resource.kind && resource.aliases.includes(e.name) && !seen.has(e));
        if (entry) entry.name = resource.name; // an alias: the same resource under its new name
        const news: Record<string, unknown> = { ...resource.inputs };
        if (resource.instance !== undefined) {
          const instance = this.state.find((e) => e.kind === "JiraInstance" && e.name === resource.instance);
          if (!instance) throw new Error(`${resource.name}: its JiraInstance ${resource.instance} is not applied`);
          news.instanceId = instance.outputs.dojoId;
        }
        const checked = wire(await provider.check!(wire(entry?.inputs ?? {}), wire(news)));
        if (checked.failures?.length) throw new Error(`${resource.name}: check failed: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
        const inputs = checked.inputs as Record<string, unknown>;
        if (entry && resource.name === replace) {
          replacedOriginals.push(entry);
          entry = undefined;
        }
        if (entry) {
          seen.add(entry);
          if (legacyDiff && isDeepStrictEqual(entry.inputs, inputs)) continue;
          const diff = wire(await provider.diff!(entry.id, wire(entry.outputs), wire(inputs)));
          const replaced = (diff.replaces?.length ?? 0) > 0;
          if (replaced && diff.deleteBeforeReplace) {
            await provider.delete!(entry.id, wire(entry.outputs));
            this.state.splice(this.state.indexOf(entry), 1);
            entry = undefined;
          } else if (replaced) {
            // Made anew first; the original is deleted with the deletes, as Pulumi replaces by default.
            replacedOriginals.push(entry);
            entry = undefined;
          } else {
            if (diff.changes) entry.outputs = wire((await provider.update!(entry.id, wire(entry.outputs), wire(inputs))).outs ?? {});
            entry.inputs = inputs;
            continue;
          }
        }
        const created = wire(await provider.create(wire(inputs)));
        const fresh: StateEntry = { kind: resource.kind, name: resource.name, id: created.id, inputs, outputs: created.outs ?? {} };
        this.state.push(fresh);
        seen.add(fresh);
      }
      if (stopBeforeDeletes) throw new Error("stopped before the deletes");
      for (const original of replacedOriginals) {
        await providerFor(original.kind, context).delete!(original.id, wire(original.outputs));
        this.state.splice(this.state.indexOf(original), 1);
      }
      for (const entry of [...this.state].reverse()) {
        if (seen.has(entry)) continue;
        await providerFor(entry.kind, context).delete!(entry.id, wire(entry.outputs));
        this.state.splice(this.state.indexOf(entry), 1);
      }
      return { ok: true, logs };
    } catch (error) {
      for (const original of replacedOriginals) original.pendingDelete = true;
      return { ok: false, error: (error as Error).message, logs };
    } finally {
      Object.assign(console, saved);
      if (savedLegacyDiff === undefined) delete process.env.PULUMI_ENABLE_LEGACY_DIFF;
      else process.env.PULUMI_ENABLE_LEGACY_DIFF = savedLegacyDiff;
    }
  }

  /** `pulumi destroy`: every resource, newest first, no diff. */
  async destroy(): Promise<UpResult> {
    return this.up([]);
  }
}
