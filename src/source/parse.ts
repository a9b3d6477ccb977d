// Multi-document YAML/JSON text → Kubernetes resources with lazy source positions, plus input problems.
/*
 * Semantics are Kubernetes' (go-yaml v2 via sigs.k8s.io/yaml), identical on both YAML paths:
 * - YAML 1.1 plain scalars: yes/no/on/off/y/n booleans, 0777 octal, 0x/0b, `_` in numbers,
 *   .inf/.nan; timestamps and sexagesimal numbers stay strings (see scalars.ts). Quoted and block
 *   scalars are strings. Keys become strings as the yaml package's toJS makes them (`on:` → "true").
 * - Duplicate keys: the last value wins; each repeat is a `duplicate-key` problem at that key.
 * - `<<` merge keys are applied (kubectl applies them); only the yaml package path handles them.
 * - `!!set`, `!!omap`, `!!pairs` produce plain maps/sequences; `!!binary` the decoded string,
 *   `!!timestamp` its text. An explicit scalar tag whose value does not fit (`!!int abc`, `!!binary`
 *   with invalid base64) is a `yaml-syntax` problem at the tag, as go-yaml refuses it (scalars.ts).
 * - `__proto__` keys become own properties; every value is JSON-compatible (numbers may be ±Infinity/NaN).
 * - A byte-order mark at the start of any document is ignored. A character outside YAML's printable
 *   set (go-yaml: "control characters are not allowed") is a `yaml-syntax` problem at the first one
 *   and its document has no value (JSON documents follow JSON's rules instead).
 * - Files are bytes: `decodeSource` (decode.ts) reads UTF-8, or UTF-16 after its byte-order mark, as
 *   go-yaml does. Bytes invalid in that encoding are a `yaml-syntax` problem at the first of them in
 *   each document, which then has no value (in a JSON file: the file has none).
 *
 * Speed: the fast path (fast-yaml.ts) handles the block-style subset real manifests use, per
 * document; the yaml package (yaml-fallback.ts) parses any document it gives up on, and reports
 * every syntax error. Positions are offsets in one Int32Array per file (positions.ts), turned into
 * line/column only when a pointer is located.
 */
import type { Resource, ResourceRef, SourceProblem } from '../engine/types.js';
import type { DecodeError, DecodedSource } from './decode.js';
import { isMarkerLine, splitDocuments } from './documents.js';
import { codeUnits, parseYamlFast, ScalarCache, type FastDocument } from './fast-yaml.js';
import { JsonSyntaxError, parseJson } from './json.js';
import { LineIndex } from './lines.js';
import { isObj as isObject, refOf } from '../engine/k8s/object.js';
import { decodeToken } from '../engine/k8s/pointer.js';
import {
  DocumentSource,
  pointerOfKey,
  PosBuffer,
  SCALAR,
  type DocPositions,
  type FileText,
} from './positions.js';
import { redactEcho } from './redact-text.js';
import { parseYamlFallback } from './yaml-fallback.js';

export { parseYamlFast } from './fast-yaml.js';
export { parseYamlFallback, YAML_OPTIONS } from './yaml-fallback.js';
export { resolvePlain } from './scalars.js';
export { splitDocuments } from './documents.js';
export { DocumentSource, locateOffsets } from './positions.js';
export { decodeSource, encodeSource, type DecodedSource, type SourceEncoding } from './decode.js';

/** Resources and problems read from one file. */
export interface ParseResult {
  resources: Resource[];
  problems: SourceProblem[];
}

/** Which parser produced a document's value. */
export type ParserKind = 'fast' | 'yaml' | 'json';

/** One syntactically valid document of a file. */
export interface ParsedDocument {
  /** 1-based position of the document in the file (empty documents count). */
  document: number;
  parser: ParserKind;
  /** The document's JSON value (null for an empty document). */
  value: unknown;
  /** Locates pointers relative to the document root. */
  source: DocumentSource;
}

/** All documents of a file and the problems found while reading them. */
export interface ParsedFile {
  documents: ParsedDocument[];
  /** `yaml-syntax` and `duplicate-key` problems (without `resource`). */
  problems: SourceProblem[];
}

/** Options of {@link parseDocuments} / {@link parseSource}. */
export interface ParseOptions {
  /** Use the fast paths (YAML subset, JSON scanner) where they apply (default true); false sends every document to the yaml package. */
  fastPath?: boolean;
}

const JSON_NAME = /\.json$/i;

function firstContentChar(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return -1;
}

/** Offsets of `\r` not followed by `\n` (the fast path leaves documents containing one to the yaml package). */
function loneCarriageReturns(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) !== 10) out.push(i);
  }
  return out;
}

/**
 * Characters a YAML stream must not contain, outside the printable set (YAML 1.2 §5.1,
 * https://yaml.org/spec/1.2.2/#51-character-set): C0 controls but tab, LF and CR; DEL and the C1
 * controls but NEL (U+0085); the non-characters U+FFFE and U+FFFF; surrogates (paired ones are
 * skipped by {@link firstForbidden}). go-yaml, and so kubectl, refuses exactly these ("control
 * characters are not allowed"); the yaml package accepts them, so both paths are checked here.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]/g;

/** Offset of the first character YAML forbids at or after `from`, or -1 (one regex scan). */
function firstForbidden(text: string, from: number): number {
  FORBIDDEN.lastIndex = from;
  for (;;) {
    const m = FORBIDDEN.exec(text);
    if (m === null) return -1;
    const i = m.index;
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) return i;
    if (c <= 0xdbff) {
      const d = text.charCodeAt(i + 1); // NaN at the end
      if (!(d >= 0xdc00 && d <= 0xdfff)) return i;
      FORBIDDEN.lastIndex = i + 2; // a surrogate pair: one character beyond U+FFFF
      continue;
    }
    const b = text.charCodeAt(i - 1); // NaN at the start
    if (!(b >= 0xd800 && b <= 0xdbff)) return i;
  }
}

/** The `yaml-syntax` message for the forbidden character at `i`. */
function forbiddenMessage(text: string, i: number): string {
  const c = text.charCodeAt(i);
  const hex = c.toString(16).toUpperCase().padStart(4, '0');
  if (c >= 0xd800 && c <= 0xdfff) return `Unpaired surrogate U+${hex} is not allowed in YAML`;
  const what = c >= 0xfffe ? 'Non-character' : 'Control character';
  return `${what} U+${hex} is not allowed in YAML (write it as the escape "\\u${hex}" in a double-quoted string)`;
}

/**
 * Parse every document of a YAML (multi-document) or JSON file. A `.json` file, or text whose
 * first non-space character is `{` or `[` and that parses as JSON, is one JSON document. YAML
 * documents go through the fast path and, when it gives up, through the yaml package with the same
 * semantics. Documents with syntax errors are left out (their errors are in `problems`). `input` is
 * the text, or a file's bytes decoded by `decodeSource` (then invalid bytes are syntax errors too).
 */
export function parseDocuments(
  file: string,
  input: string | DecodedSource,
  options: ParseOptions = {},
): ParsedFile {
  let text = typeof input === 'string' ? input : input.text;
  let invalid: readonly DecodeError[] = typeof input === 'string' ? [] : input.errors;
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    if (invalid.length > 0) invalid = invalid.map((e) => ({ offset: e.offset - 1, message: e.message }));
  }
  const ft: FileText = { text, lines: new LineIndex(text) };
  const out: ParsedFile = { documents: [], problems: [] };
  const buf = new PosBuffer(text);
  const first = firstContentChar(text);
  const jsonName = JSON_NAME.test(file);
  const fastPath = options.fastPath !== false;
  const loneCR = text.includes('\r') ? loneCarriageReturns(text) : [];
  // JSON is YAML: outside .json files, text with a lone CR (not whitespace to the yaml package) stays YAML
  if (fastPath && (jsonName || ((first === 123 || first === 91) && loneCR.length === 0))) {
    if (first === -1) return out;
    if (invalid.length > 0) {
      // JSON text is UTF-8 too (RFC 8259 §8.1): a file with invalid bytes has no value
      const at = invalid[0]!.offset;
      out.problems.push(problem('yaml-syntax', invalid[0]!.message, file, 1, ft, at, at + 1));
      return out;
    }
    try {
      const j = parseJson(text, 0, buf);
      const source = new DocumentSource(file, 1, ft, j.positions);
      out.documents.push({ document: 1, parser: 'json', value: j.value, source });
      addDuplicates(out.problems, source, j.duplicates);
      buf.compact();
      return out;
    } catch (e) {
      if (jsonName) {
        const offset = e instanceof JsonSyntaxError ? e.offset : 0;
        const message = e instanceof Error ? e.message : String(e);
        out.problems.push(problem('yaml-syntax', message, file, 1, ft, offset, offset + 1));
        return out;
      }
      // not JSON after all (e.g. a YAML flow mapping): read it as YAML
    }
  }
  const spans = splitDocuments(text);
  // a document with a character YAML forbids is a syntax error at the first one (one regex pass
  // over the text, ~550 MB/s here: 5-10% of parse-only time, 1-3% of a lint)
  // invalid bytes (from decodeSource) count as forbidden characters, with their own message
  let inv = 0;
  const firstBad = (from: number): number => {
    while (inv < invalid.length && invalid[inv]!.offset < from) inv++;
    const f = firstForbidden(text, from);
    const e = inv < invalid.length ? invalid[inv]!.offset : -1;
    return f === -1 ? e : e === -1 ? f : Math.min(f, e);
  };
  const badMessage = (at: number): string =>
    inv < invalid.length && invalid[inv]!.offset === at ? invalid[inv]!.message : forbiddenMessage(text, at);
  let bad = firstBad(0);
  if (bad !== -1 && spans.length === 0) {
    out.problems.push(problem('yaml-syntax', badMessage(bad), file, 1, ft, bad, bad + 1));
  }
  let crAt = 0;
  let units: Uint16Array | undefined;
  let cache: ScalarCache | null = null;
  // memoising repeated scalars pays off on big files only
  const memoise = text.length > 32_768;
  for (let k = 0; k < spans.length; k++) {
    const span = spans[k]!;
    const document = k + 1;
    if (bad !== -1) {
      // spans are contiguous; text after the last one (comments) belongs to it, as to kubectl's splitter
      const to = k === spans.length - 1 ? text.length : span.fullEnd;
      if (bad < to) {
        out.problems.push(problem('yaml-syntax', badMessage(bad), file, document, ft, bad, bad + 1));
        bad = firstBad(to);
        continue;
      }
    }
    let start = span.start;
    let bodyStart = span.bodyStart;
    if (bodyStart >= 0 && text.charCodeAt(bodyStart) === 0xfeff && text.charCodeAt(bodyStart + 1) !== 37) {
      // YAML allows a byte-order mark at the start of any document, and kubectl's decoder drops the
      // one a `---`-separated piece starts with; the yaml package drops one between documents only
      // (after `---` it would start the first key). Both paths start after it. (Not before a `%`:
      // the yaml package would read a directive there and lose the document.)
      start = bodyStart + 1;
      bodyStart = isMarkerLine(text, start) ? -1 : start;
    }
    while (crAt < loneCR.length && loneCR[crAt]! < span.start) crAt++;
    const hasLoneCR = crAt < loneCR.length && loneCR[crAt]! < span.fullEnd;
    if (fastPath && bodyStart >= 0 && !hasLoneCR) {
      let fast: FastDocument | null;
      try {
        units ??= codeUnits(text);
        if (memoise) cache ??= new ScalarCache(text, units);
        fast = parseYamlFast(text, bodyStart, span.end, buf, cache, units);
      } catch {
        fast = null; // a fast-path bug must not lose the document: the yaml package decides
      }
      if (fast !== null) {
        const source = new DocumentSource(file, document, ft, emptyAt(fast.positions, span.start));
        out.documents.push({ document, parser: 'fast', value: fast.value, source });
        addDuplicates(out.problems, source, fast.duplicates);
        continue;
      }
    }
    const docs = parseYamlFallback(text, start, span.fullEnd, buf);
    if (docs.length === 0 && start !== span.start) {
      // only blank lines or comments after the mark: an empty document, as on the fast path
      const empty: DocPositions = { buf, root: SCALAR, start: span.start, end: span.start };
      const source = new DocumentSource(file, document, ft, empty);
      out.documents.push({ document, parser: 'yaml', value: null, source });
    }
    for (const doc of docs) {
      for (const err of doc.errors) {
        out.problems.push(problem('yaml-syntax', err.message, file, document, ft, err.start, err.end));
      }
      if (doc.value === undefined) continue;
      const source = new DocumentSource(file, document, ft, emptyAt(doc.positions, span.start));
      out.documents.push({ document, parser: 'yaml', value: doc.value, source });
      addDuplicates(out.problems, source, doc.duplicates);
    }
  }
  buf.compact();
  return out;
}

/** An empty document (no node text at all) is located at the start of its span. */
function emptyAt(p: DocPositions, spanStart: number): DocPositions {
  return p.root === SCALAR && p.end <= p.start
    ? { buf: p.buf, root: SCALAR, start: spanStart, end: spanStart }
    : p;
}

function problem(
  ruleId: SourceProblem['ruleId'],
  message: string,
  file: string,
  document: number,
  ft: FileText,
  start: number,
  end: number,
  path?: string,
): SourceProblem {
  const n = ft.text.length;
  const s = Math.min(Math.max(start, 0), n);
  const e = Math.min(Math.max(end, s), n);
  // A parser message may echo part of the line (src/source/redact-text.ts): never a secret's.
  if (ruleId === 'yaml-syntax') message = redactEcho(message, ft.text, s);
  const p: SourceProblem = { ruleId, message, file, document, start: ft.lines.pos(s), end: ft.lines.pos(e) };
  if (path !== undefined) p.path = path;
  return p;
}

function addDuplicates(problems: SourceProblem[], source: DocumentSource, dups: number[]): void {
  for (let i = 0; i < dups.length; i += 2) {
    const ks = dups[i]!;
    const path = pointerOfKey(source.tables, ks) ?? '';
    const key = decodeToken(path.slice(path.lastIndexOf('/') + 1));
    const p: SourceProblem = {
      ruleId: 'duplicate-key',
      message: `Duplicate key ${JSON.stringify(key)}; the last value wins.`,
      file: source.file,
      document: source.document,
      start: source.pos(ks),
      end: source.pos(dups[i + 1]!),
    };
    if (path !== '') p.path = path;
    problems.push(p);
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a sequence';
  if (v === null) return 'null';
  return typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : `a ${typeof v}`;
}

/** Why `obj` is not a Kubernetes object (missing or non-string `apiVersion`/`kind`), if it is not. */
function invalidReason(obj: Record<string, unknown>): { field: string; message: string } | undefined {
  for (const field of ['apiVersion', 'kind'] as const) {
    const v = Object.prototype.hasOwnProperty.call(obj, field) ? obj[field] : undefined;
    if (typeof v === 'string' && v !== '') continue;
    if (v === undefined || v === null) return { field, message: `missing required field "${field}"` };
    if (typeof v !== 'string')
      return { field, message: `field "${field}" must be a string, got ${describe(v)}` };
    return { field, message: `field "${field}" must not be empty` };
  }
  return undefined;
}

const isList = (obj: Record<string, unknown>): obj is Record<string, unknown> & { items: unknown[] } =>
  (obj.kind as string).endsWith('List') && Array.isArray(obj.items);

/** The resource a duplicate-key problem at `path` belongs to, when its document produced one. */
function ownerOf(value: unknown, path: string | undefined): ResourceRef | undefined {
  if (!isObject(value) || invalidReason(value) !== undefined) return undefined;
  if (!isList(value)) return refOf(value);
  const m = path === undefined ? null : /^\/items\/(\d+)(?:\/|$)/.exec(path);
  const item: unknown = m ? value.items[Number(m[1])] : undefined;
  return isObject(item) && invalidReason(item) === undefined ? refOf(item) : undefined;
}

function invalidResource(doc: ParsedDocument, message: string, path: string): SourceProblem {
  const r = doc.source.locate(path);
  return {
    ruleId: 'invalid-resource',
    message,
    file: doc.source.file,
    document: doc.document,
    start: r.start,
    end: r.end,
    path,
  };
}

/**
 * Read a file into Kubernetes resources. Multi-document YAML and JSON; empty documents are
 * skipped; `kind: List` (any kind ending in `List` with an `items` array) yields one resource per
 * item, located relative to the item. Problems: `yaml-syntax` (from the yaml package or the JSON
 * scanner; no resource from that document), `duplicate-key` (the last value wins),
 * `invalid-resource` (a document that is not a mapping, or lacks a string `apiVersion`/`kind`; no
 * resource). Never throws. Give files read from disk as `decodeSource(file, bytes)`, so that
 * UTF-16 is decoded and invalid bytes are found; a string is taken as is (an editor buffer).
 */
export function parseSource(
  file: string,
  text: string | DecodedSource,
  options: ParseOptions = {},
): ParseResult {
  const result: ParseResult = { resources: [], problems: [] };
  let parsed: ParsedFile;
  try {
    parsed = parseDocuments(file, text, options);
  } catch (e) {
    const message = `internal parser error: ${e instanceof Error ? e.message : String(e)}`;
    const pos = { line: 1, column: 1 };
    result.problems.push({ ruleId: 'yaml-syntax', message, file, document: 1, start: pos, end: pos });
    return result;
  }
  const problems = result.problems;
  for (const doc of parsed.documents) {
    const { value, source } = doc;
    if (value === null || value === undefined) continue;
    if (!isObject(value)) {
      problems.push(
        invalidResource(doc, `document ${doc.document} is ${describe(value)}, not a Kubernetes object`, ''),
      );
      continue;
    }
    const bad = invalidReason(value);
    if (bad !== undefined) {
      problems.push(invalidResource(doc, bad.message, `/${bad.field}`));
      continue;
    }
    if (!isList(value)) {
      result.resources.push({ object: value, source });
      continue;
    }
    const { items, kind } = value;
    for (let i = 0; i < items.length; i++) {
      const item: unknown = items[i];
      if (!isObject(item)) {
        problems.push(
          invalidResource(
            doc,
            `item ${i} of the ${kind as string} is ${describe(item)}, not a Kubernetes object`,
            `/items/${i}`,
          ),
        );
        continue;
      }
      const badItem = invalidReason(item);
      if (badItem !== undefined) {
        problems.push(
          invalidResource(
            doc,
            `${badItem.message} (item ${i} of the ${kind as string})`,
            `/items/${i}/${badItem.field}`,
          ),
        );
        continue;
      }
      result.resources.push({ object: item, source: source.forItem(i) });
    }
  }
  for (const p of parsed.problems) {
    if (p.ruleId === 'duplicate-key') {
      const doc = parsed.documents.find((d) => d.document === p.document);
      const ref = doc && ownerOf(doc.value, p.path);
      if (ref) p.resource = ref;
    }
    problems.push(p);
  }
  if (problems.length > 1) {
    problems.sort(
      (a, b) => a.document - b.document || a.start.line - b.start.line || a.start.column - b.start.column,
    );
  }
  return result;
}
