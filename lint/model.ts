import type { Document } from "yaml";

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
  yaml: Document.Parsed;
  /** Plain JS value (aliases resolved, bounded), or undefined when it could not be built. */
  value: unknown;
  kind: string | undefined;
  name: string | undefined;
  /** Offset range of the value (or key) at `path`, falling back to the nearest existing parent. */
  locate(path: DocPath, part?: "key" | "value"): OffsetRange;
}

export interface LoadedFile {
  file: string;
  source: string;
  /** Turns an offset into a 1-based position. */
  position(offset: number): Position;
  documents: LoadedDocument[];
  /** Ranges whose text must never be printed (literal secrets); code frames mask them. */
  sensitive: OffsetRange[];
}
