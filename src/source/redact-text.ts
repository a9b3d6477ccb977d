/**
 * Redaction of manifest text (src/engine/redact.ts's rule applied to source): `--fix-dry-run`
 * diffs print context lines around each change, and syntax-error messages may echo a fragment of the
 * line they point at. Sensitive scalar values are replaced with `<redacted>` line by line, so line
 * numbers (and so diff hunks) stay where they were.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';
import { isSensitive, keyNamesCredential, looksLikeCredential, REDACTED } from '../engine/redact.js';
import { YAML_OPTIONS } from './yaml-fallback.js';

type Seg = string | number;
type Range = [start: number, end: number];

/** `key: value` or `- key: value` on one line: [whole, prefix, key, value]. */
const KEY_VALUE = /^(\s*(?:-\s+)*)(["']?)([^\s"'#:][^"'#:]*?)\2\s*:(?:\s+(.*))?$/;
const SECRET_KIND = /^kind:\s*["']?Secret["']?\s*(?:#.*)?$/m;

/** Ranges of sensitive scalars in one parsed document (offsets into the whole text). */
function sensitiveRanges(contents: Node | null, root: unknown, out: Range[]): void {
  const walk = (node: unknown, segs: Seg[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key === undefined) continue;
        walk(pair.value, [...segs, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...segs, i]));
    } else if (isScalar(node) && !isAlias(node) && node.range && segs.length > 0) {
      if (isSensitive(root, segs, node.value)) out.push([node.range[0], node.range[1]]);
    }
  };
  walk(contents, []);
}

/** Is this line (outside any structure we could read) likely to hold a credential? */
function lineIsSensitive(line: string): boolean {
  const m = KEY_VALUE.exec(line);
  if (m && m[4] !== undefined && m[4].trim() !== '' && keyNamesCredential(m[3]!)) return true;
  return looksLikeCredential(line);
}

/** Where a line's value starts (after `key:`, or `- `), for masking. */
function valueStart(line: string): number {
  const m = KEY_VALUE.exec(line);
  if (m && m[4] !== undefined) return line.length - m[4].length;
  const dash = /^\s*-\s+/.exec(line);
  return dash ? dash[0].length : line.length - line.trimStart().length;
}

/** Replace `[from, to)` of each line touched by `ranges` with REDACTED, keeping indentation. */
function mask(text: string, ranges: readonly Range[]): string {
  if (ranges.length === 0) return text;
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let out = '';
  let pos = 0;
  for (const [s, e] of sorted) {
    if (e <= pos) continue;
    const start = Math.max(s, pos);
    out += text.slice(pos, start);
    // Each line of the range: its leading blanks stay, its content becomes REDACTED.
    const lines = text.slice(start, e).split('\n');
    out += lines
      .map((l, i) => {
        const lead = i === 0 ? '' : /^[ \t]*/.exec(l)![0];
        return l.trim() === '' ? l : lead + REDACTED;
      })
      .join('\n');
    pos = e;
  }
  return out + text.slice(pos);
}

/** Document spans of a multi-document text: [start, end) offsets. */
function documentSpans(text: string): Range[] {
  const spans: Range[] = [];
  const re = /^---[ \t]*(?:#.*)?$/gm;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    spans.push([start, m.index]);
    start = m.index + m[0].length;
  }
  spans.push([start, text.length]);
  return spans;
}

/**
 * `text` (YAML or JSON, one or more documents) with every sensitive value replaced by
 * `<redacted>`. Documents that do not parse are redacted line by line: values under credential-named
 * keys and credential-looking lines, and every value of a document that says `kind: Secret`.
 */
export function redactManifestText(text: string): string {
  const ranges: Range[] = [];
  for (const [s, e] of documentSpans(text)) {
    const src = text.slice(s, e);
    let parsed = false;
    try {
      const docs = parseAllDocuments(src, YAML_OPTIONS);
      const list = Array.isArray(docs) ? docs : [];
      if (list.length > 0 && list.every((d) => d.errors.length === 0)) {
        for (const doc of list) {
          const local: Range[] = [];
          sensitiveRanges(doc.contents, doc.toJS({ maxAliasCount: 100 }) as unknown, local);
          for (const [a, b] of local) ranges.push([s + a, s + b]);
        }
        parsed = true;
      }
    } catch {
      parsed = false;
    }
    if (!parsed) ranges.push(...lineRanges(text, s, e, SECRET_KIND.test(src)));
  }
  return mask(text, ranges);
}

/** Line-by-line ranges of `text[s, e)` to mask (every value when the document is a Secret). */
function lineRanges(text: string, s: number, e: number, secret: boolean): Range[] {
  const out: Range[] = [];
  let lineStart = s;
  while (lineStart < e) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0 || lineEnd > e) lineEnd = e;
    const line = text.slice(lineStart, lineEnd);
    const identity =
      /^(apiVersion|kind|type|metadata)\s*:/.test(line) || /^\s+(name|namespace)\s*:/.test(line);
    if ((secret && !identity) || lineIsSensitive(line)) {
      const from = valueStart(line);
      if (from < line.length && line.slice(from).trim() !== '') out.push([lineStart + from, lineEnd]);
    }
    lineStart = lineEnd + 1;
  }
  return out;
}

/**
 * A parser message about `text` at `offset`, with any fragment of a sensitive line it echoes
 * replaced by `<redacted>` (the line holds a credential-named value or a credential, or the document
 * is a Secret).
 */
export function redactEcho(message: string, text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const line = text.slice(lineStart, lineEnd);
  // The document around the offset (between `---` lines): local, so many errors cost little.
  const docStart = text.lastIndexOf('\n---', offset);
  let docEnd = text.indexOf('\n---', offset);
  if (docEnd < 0) docEnd = text.length;
  const secret = SECRET_KIND.test(text.slice(docStart < 0 ? 0 : docStart, docEnd));
  if (!secret && !lineIsSensitive(line)) return message;
  const value = line.slice(valueStart(line));
  let out = message;
  for (const token of value.split(/[\s"'`,[\]{}]+/))
    if (token.length >= 3) out = out.split(token).join(REDACTED);
  return out;
}
