export type Severity = "error" | "warning" | "info";
/** A configured severity: a rule can also be switched off in `.dojo-jira.yaml`. */
export type SeveritySetting = Severity | "off";

/** 1-based line and column, as editors show them. */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** One problem found by the linter: plain data, no behaviour. */
export interface LintResult {
  ruleId: string;
  severity: Severity;
  /** Path as given on the command line (relative paths stay relative). */
  file: string;
  range: Range;
  message: string;
}

/** Where a value sits in the source, as [start, end) character offsets. */
export type OffsetRange = readonly [number, number];

/** A JSON-pointer-like path into a document: keys and array indexes. */
export type DocPath = ReadonlyArray<string | number>;

/** One YAML document of a config file, with what every rule needs to know about it. */
export interface LoadedDocument {
  file: string;
  /** 0-based index of the document inside its file. */
  index: number;
  /** The document has YAML syntax errors (duplicate keys aside), so its shape is uncertain. */
  hasSyntaxErrors: boolean;
  /** Plain JS value (aliases resolved, bounded), or undefined when it could not be built. */
  value: unknown;
  /** Where every key and value sits, by path: plain data, so documents can cross worker threads. */
  locations: LocationIndex;
  /**
   * `apiVersion`, `kind` and `metadata.name` when they are strings: from the value, or, for a
   * document whose value could not be built, as far as its text reads for certain (before the line
   * of its first syntax error), so that a broken document still counts as what it clearly is.
   */
  apiVersion: string | undefined;
  kind: string | undefined;
  name: string | undefined;
  /**
   * For a document that could not be built and shows neither apiVersion nor kind: whether its text
   * names our apiVersion or one of our kinds anywhere. A broken CI workflow does not, so it is no
   * config document that might define what the tree seems to lack.
   */
  mentionsOurFormat?: boolean;
}

/** Path (segments joined by NUL) → key range (map entries only) and value range. */
export type LocationIndex = Map<string, { key?: OffsetRange; value: OffsetRange }>;

/** Offset range of the value (or key) at `path`, falling back to the key of the nearest existing parent. */
export function locate(document: LoadedDocument, path: DocPath, part: "key" | "value" = "value"): OffsetRange {
  for (let depth = path.length; depth >= 0; depth--) {
    const found = document.locations.get(path.slice(0, depth).join("\u0000"));
    if (!found) continue;
    if (depth === path.length) return part === "key" && found.key ? found.key : found.value;
    return found.key ?? found.value;
  }
  return [0, 0];
}

export interface LoadedFile {
  file: string;
  source: string;
  /** Turns an offset into a 1-based position. */
  position(offset: number): Position;
  documents: LoadedDocument[];
  /** Ranges whose text must never be printed (secrets, decided by the loader); code frames mask them. */
  sensitive: readonly OffsetRange[];
  /** The texts of those ranges, raw and as parsed; the engine masks them in messages. */
  secretTexts: readonly string[];
}
