import fc from "fast-check";

/** Seed documents with random slices removed, duplicated or replaced by YAML-significant tokens. */
export function mutatedYaml(seeds: readonly string[], tokens: readonly string[], edits: { minLength: number; maxLength: number }): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat(40), fc.constantFrom(...tokens), fc.boolean()), edits))
    .map(([seed, changes]) =>
      changes.reduce((text, [at, length, token, duplicate]) => {
        const start = at % (text.length + 1);
        const insert = duplicate ? text.slice(start, start + length) : token;
        return text.slice(0, start) + insert + text.slice(start + (duplicate ? 0 : length % 5));
      }, seed),
    );
}
