// Helpers shared by the formatters: path display, resource labels, counts, fingerprints, escaping.
import path from 'node:path';
import type { Finding, ResourceRef, Severity } from '../engine/types.js';

/** The file name findings use for standard input. */
export const STDIN_FILE = '-';
/** How standard input is shown to people. */
export const STDIN_LABEL = '<stdin>';

const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:[\\/]|\\\\)/;

/**
 * `file` relative to `cwd` with forward slashes. Relative inputs are taken as already relative to
 * `cwd` and only normalised. Windows paths are handled when either side looks like one; a path on
 * another drive stays absolute (with forward slashes).
 */
export function relativePath(file: string, cwd: string): string {
  if (WINDOWS_ABSOLUTE.test(file) || WINDOWS_ABSOLUTE.test(cwd)) {
    const win = path.win32;
    const rel = win.isAbsolute(file) ? win.relative(cwd, file) : win.normalize(file);
    return (rel === '' ? '.' : rel).replace(/\\/g, '/');
  }
  const posix = path.posix;
  const rel = posix.isAbsolute(file) ? posix.relative(cwd, file) : posix.normalize(file);
  return rel === '' ? '.' : rel;
}

/** True when a path produced by {@link relativePath} is still absolute (another Windows drive). */
export function isAbsoluteDisplayPath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:\//.test(p);
}

/** The path a person sees: relative to cwd, or `<stdin>`. */
export function displayPath(file: string, cwd: string): string {
  return file === STDIN_FILE ? STDIN_LABEL : relativePath(file, cwd);
}

/**
 * `Kind/namespace/name`, leaving out a missing namespace (`Kind/name`); a resource without a name
 * shows `<unnamed>`.
 */
export function resourceLabel(r: ResourceRef): string {
  return [r.kind, r.namespace, r.name ?? '<unnamed>'].filter((s) => s !== undefined && s !== '').join('/');
}

/** The findings a person should see: those that are not suppressed. */
export function visibleFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.suppressed === undefined);
}

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
  /** Suppressed findings, whatever their severity (not counted in the three above). */
  suppressed: number;
}

/** Count findings by severity; suppressed findings are only counted as suppressed. */
export function countFindings(findings: readonly Finding[]): Counts {
  const counts: Counts = { errors: 0, warnings: 0, infos: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.suppressed !== undefined) counts.suppressed++;
    else if (f.severity === 'error') counts.errors++;
    else if (f.severity === 'warn') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

/** `warn` → `warning`, as people and most report formats say it. */
export const SEVERITY_WORD: Readonly<Record<Severity, string>> = {
  error: 'error',
  warn: 'warning',
  info: 'info',
};

/** node:crypto's createHash, loaded on first use: only the formats with fingerprints need it. */
const createHash: typeof import('node:crypto').createHash = (...args) =>
  process.getBuiltinModule('node:crypto').createHash(...args);

/**
 * A stable identity for a finding that survives edits elsewhere in the file and moving the file:
 * a SHA-256 (first 32 hex digits) of rule id, resource kind/namespace/name and JSON pointer.
 * The apiVersion is left out on purpose so that migrating `apps/v1beta2` → `apps/v1` keeps it.
 */
export function fingerprint(f: Finding): string {
  const { kind, namespace = '', name = '' } = f.resource;
  return createHash('sha256')
    .update([f.ruleId, kind, namespace, name, f.path].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

/**
 * Fingerprints that are unique within one report, one call per finding in report order: a repeat
 * of the same identity (say the same resource in two files) gets an occurrence number mixed in.
 * Remembers one entry per distinct identity, not the fingerprints it has handed out.
 */
export function uniqueFingerprinter(): (f: Finding) => string {
  const seen = new Map<string, number>();
  return (f) => {
    const base = fingerprint(f);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : createHash('sha256').update(`${base}:${n}`).digest('hex').slice(0, 32);
  };
}

/** `items.map(fn)`, one item at a time as it is read. */
export function* mapped<T, U>(items: Iterable<T>, fn: (item: T) => U): Generator<U> {
  for (const item of items) yield fn(item);
}

/** Marks where the streamed array goes in a {@link jsonChunks} skeleton. */
const ARRAY_SLOT = '\u0000shipshape:streamed-array\u0000';

/**
 * The text of `JSON.stringify(doc, null, 2) + '\n'` in chunks, where `doc` has one array given as an
 * iterable and stringified one item at a time. `skeleton(slot)` builds the document with `slot` in
 * the array's place; the array must be the last value in the document (only closing brackets after
 * it), so user text can never be mistaken for the slot. Items that stringify to nothing (undefined)
 * become `null`, as in `JSON.stringify`.
 */
export function* jsonChunks(
  skeleton: (slot: string) => unknown,
  items: Iterable<unknown>,
): Generator<string> {
  const text = JSON.stringify(skeleton(ARRAY_SLOT), null, 2);
  const quoted = JSON.stringify(ARRAY_SLOT);
  const at = text.lastIndexOf(quoted);
  if (at === -1) throw new Error('jsonChunks: the skeleton has no array slot');
  // The slot's line is indented by two spaces per level: items go one level deeper.
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = /^ */.exec(text.slice(lineStart, at))![0];
  const itemBreak = `\n${indent}  `;
  yield text.slice(0, at);
  let first = true;
  for (const item of items) {
    const itemText = (JSON.stringify(item, null, 2) as string | undefined) ?? 'null';
    // Line breaks inside JSON text are all structural (those in strings are escaped).
    yield `${first ? '[' : ','}${itemBreak}${itemText.replace(/\n/g, itemBreak)}`;
    first = false;
  }
  yield `${first ? '[]' : `\n${indent}]`}${text.slice(at + quoted.length)}\n`;
}

/**
 * Make text safe for a single terminal line: line breaks, tabs and other control characters
 * (including ESC, so a resource name cannot inject ANSI sequences) become visible escapes.
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** Sort by location (line, then column); findings without one keep their place at the end. */
export function byPosition(a: Finding, b: Finding): number {
  const pa = a.location?.start;
  const pb = b.location?.start;
  if (pa === undefined || pb === undefined) return (pa === undefined ? 1 : 0) - (pb === undefined ? 1 : 0);
  return pa.line - pb.line || pa.column - pb.column;
}
