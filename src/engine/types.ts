/**
 * The shared vocabulary of shipshape. Every front end (CLI, webhook, editor) speaks these types;
 * the engine never imports fs, http or the CLI.
 */

/** 1-based line and column (columns count UTF-16 code units, as editors do). */
export interface Pos {
  line: number;
  column: number;
}

export type Severity = 'error' | 'warn' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warn', 'info'];
/** Higher is more severe. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warn: 1, error: 2 };

export type Category = 'schema' | 'security' | 'reliability' | 'efficiency' | 'hygiene';

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
}

/** RFC 6902 operation with an absolute JSON pointer. */
export type JsonPatchOp =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

export interface Location {
  file: string;
  /** 1-based index of the YAML/JSON document inside the file. */
  document: number;
  start: Pos;
  /** Exclusive: the position just after the range, as in LSP and SARIF. */
  end: Pos;
  /** JSON pointer of the resource inside its document when it is not the whole document (List items). */
  pointer?: string;
}

export interface Suppression {
  kind: 'annotation' | 'inline' | 'config';
  justification?: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  category: Category;
  /** Interpolated, human readable; never contains secret values. */
  message: string;
  resource: ResourceRef;
  /** JSON pointer inside the resource: the identity of the finding. */
  path: string;
  /** Derived from `path` when there is source text. */
  location?: Location;
  fix?: { safety: 'safe' | 'unsafe'; patch: JsonPatchOp[] };
  helpUri: string;
  /** Present when the finding was suppressed (kept for json/sarif output). */
  suppressed?: Suppression;
}

/** A range resolved from a JSON pointer; `exact` is false when an ancestor was used. */
export interface SourceRange {
  start: Pos;
  end: Pos;
  exact: boolean;
}

/** Where a resource came from. Implemented by src/source; the engine only calls `locate`. */
export interface ResourceSource {
  file: string;
  /** 1-based document index inside the file. */
  document: number;
  /** JSON pointer of the resource inside its document: '' unless it is an item of a List. */
  readonly pointer?: string;
  /**
   * Resolve a JSON pointer (relative to the resource) to a source range. Missing paths resolve to
   * the closest existing ancestor. With target 'key' an existing mapping entry resolves to its key.
   */
  locate(pointer: string, target?: 'key' | 'value'): SourceRange;
}

/** A parsed Kubernetes object, or anything a document held. */
export type KubeObject = Record<string, unknown>;

export interface Resource {
  object: KubeObject;
  source?: ResourceSource;
}

/** A problem found while reading input, before any rule ran. */
export interface SourceProblem {
  ruleId: 'yaml-syntax' | 'duplicate-key' | 'invalid-resource' | 'unreadable-file';
  message: string;
  file: string;
  document: number;
  start: Pos;
  end: Pos;
  /** JSON pointer of the offending node inside the document, when known. */
  path?: string;
  /** The resource the problem belongs to, when the document still produced one. */
  resource?: ResourceRef;
}

export const DOCS_BASE = 'https://shipshape.dev/rules/';
export const helpUriFor = (ruleId: string): string => `${DOCS_BASE}${ruleId}`;
