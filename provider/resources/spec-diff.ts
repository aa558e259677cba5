import { stableJson } from "../client/mapping.js";

/** A config field's path ("transitions.reopen") → its API field and conversions. */
export interface FieldTable<Spec> {
  [configPath: string]: { api: string; toApi: (spec: Spec) => unknown; fromApi: (api: Record<string, unknown>) => unknown };
}

/** Config paths whose effective API value differs: defaults are filled on both sides, so omitting a default is no change. */
export function changedPaths<Spec>(table: FieldTable<Spec>, before: Spec, after: Spec): string[] {
  return Object.entries(table)
    .filter(([, field]) => stableJson(field.toApi(before) ?? null) !== stableJson(field.toApi(after) ?? null))
    .map(([path]) => path);
}

/** A PATCH body with just the API fields behind `paths`, at their new values (null clears). */
export function patchFor<Spec>(table: FieldTable<Spec>, paths: string[], after: Spec): Record<string, unknown> {
  return Object.fromEntries(paths.map((path) => [table[path]!.api, table[path]!.toApi(after) ?? null]));
}

/**
 * The spec as DefectDojo has it now, written the way the config writes it: fields DefectDojo
 * agrees with keep their config form (an omitted default stays omitted), the others take the
 * live value. This is what `read` returns as inputs, so a refresh never invents a diff.
 */
export function specFromLive<Spec extends object>(table: FieldTable<Spec>, current: Spec, live: Record<string, unknown>): Spec {
  const spec = structuredClone(current) as Record<string, unknown>;
  for (const [path, field] of Object.entries(table)) {
    if (stableJson(field.toApi(current) ?? null) === stableJson(live[field.api] ?? null)) continue;
    setPath(spec, path.split("."), field.fromApi(live));
  }
  return spec as Spec;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    if (value === undefined) delete target[head];
    else target[head] = value;
    return;
  }
  const child = (target[head] && typeof target[head] === "object" ? target[head] : (target[head] = {})) as Record<string, unknown>;
  setPath(child, rest, value);
}

/**
 * What adoption must write to a live object: only the fields whose meaning differs. DefectDojo reads
 * `"Won't Fix, Duplicate"` and `"Won't Fix,Duplicate"` (or labels `"a  b"` and `"a b"`) alike, so
 * the live value is read back through the config form before it is compared.
 */
export function adoptionPatch<Spec extends object>(table: FieldTable<Spec>, spec: Spec, live: Record<string, unknown>): Record<string, unknown> {
  return patchFor(table, changedPaths(table, specFromLive(table, spec, live), spec), spec);
}

/** Whether the lint rules a document waives changed: recorded in state for auditors, sent nowhere. */
export function waiversChanged(olds: { waivedRules?: string[] }, news: { waivedRules?: string[] }): boolean {
  return stableJson([...(olds.waivedRules ?? [])].sort()) !== stableJson([...(news.waivedRules ?? [])].sort());
}
