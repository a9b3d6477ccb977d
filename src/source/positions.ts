// Offset tables recorded while parsing, and the JSON-pointer → source-range resolution built on them.
import type { Pos, ResourceSource, SourceRange } from '../engine/types.js';
import { escapeSegment, parsePointer } from '../engine/k8s/pointer.js';
import type { LineIndex } from './lines.js';
import { keyString, resolvePlain } from './scalars.js';

/** Ints per record in a {@link PosBuffer}. */
export const STRIDE = 6;
/** `child` of a record whose value is a scalar (or empty). */
export const SCALAR = -1;
/** `child` of a record whose value is an empty collection (`{}`, `[]`). */
export const EMPTY_COLL = -2;

/**
 * Offsets recorded while parsing one file, shared by all its documents: one growable Int32Array
 * of records, so parsing allocates no per-node position objects. A record is a mapping entry or
 * a sequence item:
 *
 * `[next, keyStart, keyEnd, valueStart, valueEnd, child]` — `next` links to the collection's next
 * record (-1 at the end); `child` is the first record of a collection value, {@link EMPTY_COLL} or
 * {@link SCALAR}. A scalar value spans `valueStart..valueEnd`; `valueStart` is -1 for an empty
 * (implicit null) mapping value. For a sequence item `keyStart` is the item's first character and
 * `keyEnd` is -1; an empty item spans its `-`. Duplicate keys keep every record; lookups take the
 * last one (the last value wins).
 *
 * Keys are not stored: they are decoded from the text when a pointer is located (rare), except
 * for documents read by the yaml package, whose keys are kept in `explicitKeys`.
 */
export class PosBuffer {
  nums: Int32Array;
  n = 0;
  private explicitKeys: Map<number, string> | undefined;

  constructor(readonly text: string) {
    // dense manifests have a record (6 ints) per ~15 characters: size for that (capped), rarely grow
    this.nums = new Int32Array(Math.min(1 << 22, Math.max(1024, Math.ceil(text.length / 2.5))));
  }

  /** Append a record; returns its index. */
  add(ks: number, ke: number, vs: number, ve: number, child: number): number {
    const r = this.n;
    if (r + STRIDE > this.nums.length) {
      const bigger = new Int32Array(this.nums.length * 2);
      bigger.set(this.nums);
      this.nums = bigger;
    }
    const a = this.nums;
    a[r] = -1;
    a[r + 1] = ks;
    a[r + 2] = ke;
    a[r + 3] = vs;
    a[r + 4] = ve;
    a[r + 5] = child;
    this.n = r + STRIDE;
    return r;
  }

  /** Append a mapping entry whose key is given rather than decoded from the text. */
  addKeyed(key: string, ks: number, ke: number, vs: number, ve: number, child: number): number {
    const r = this.add(ks, Math.max(ke, ks), vs, ve, child);
    (this.explicitKeys ??= new Map()).set(r, key);
    return r;
  }

  /** Release unused capacity once the file is parsed. */
  compact(): void {
    if (this.nums.length > 2 * this.n + 4096) this.nums = this.nums.slice(0, this.n);
  }

  /** Drop every record from index `n` on (a document the fast path gave up on). */
  truncate(n: number): void {
    this.n = n;
  }

  /** True when record `r` is a sequence item (not a mapping entry). */
  isItem(r: number): boolean {
    return this.nums[r + 2]! < 0;
  }

  /** The object key of mapping entry `r`. */
  key(r: number): string {
    const k = this.explicitKeys?.get(r);
    return k !== undefined ? k : decodeKey(this.text, this.nums[r + 1]!, this.nums[r + 2]!);
  }
}

/** The object key a key written at `text[ks, ke)` becomes (plain, single- or double-quoted). */
export function decodeKey(text: string, ks: number, ke: number): string {
  const c = text.charCodeAt(ks);
  if (c === 39) return text.slice(ks + 1, ke - 1).replace(/''/g, "'");
  if (c === 34) return unescapeDouble(text.slice(ks + 1, ke - 1));
  return keyString(resolvePlain(text.slice(ks, ke)));
}

/** Single-character escapes of double-quoted scalars (https://yaml.org/spec/1.2.2/#57-escaped-characters). */
export const DQ_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};

/** Content of a single-line double-quoted YAML (or JSON) scalar, escapes resolved. */
export function unescapeDouble(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[^])/g, (m, e: string) =>
    e.length > 1 ? String.fromCodePoint(parseInt(e.slice(1), 16)) : (DQ_ESCAPES[e] ?? m),
  );
}

/** Positions of one document's root node. */
export interface DocPositions {
  buf: PosBuffer;
  /** First record of the root collection, {@link EMPTY_COLL}, or {@link SCALAR} for a scalar root. */
  root: number;
  /** Offset of the root node's first character. */
  start: number;
  /** End offset of a scalar root (unused for collections). */
  end: number;
}

/** Where a JSON-pointer lookup landed, as offsets. */
export interface OffsetRange {
  start: number;
  end: number;
  exact: boolean;
}

/**
 * End offset of the "rest of the line" from `start`: up to the line break, before a trailing
 * comment and trailing whitespace. Used for collections that are sequence items (and roots).
 */
export function lineContentEnd(text: string, start: number): number {
  let i = start;
  let last = start;
  let quote = 0;
  const n = text.length;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) break;
    if (quote !== 0) {
      if (c === quote) {
        if (quote === 39 && text.charCodeAt(i + 1) === 39) i++;
        else quote = 0;
      } else if (c === 92 && quote === 34) i++;
      last = i + 1;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) continue;
    const prev = i === start ? 32 : text.charCodeAt(i - 1);
    const boundary = prev === 32 || prev === 9 || prev === 91 || prev === 123 || prev === 44;
    if (c === 35 && i > start && (prev === 32 || prev === 9)) break;
    if ((c === 34 || c === 39) && boundary) quote = c;
    last = i + 1;
  }
  if (last > n) last = n;
  return last === start && start < n && text.charCodeAt(start) !== 10 ? start + 1 : last;
}

const INDEX_RE = /^(?:0|[1-9][0-9]*)$/;

/** Range of the root node: the first key of a mapping, the first line of a sequence, a scalar. */
function rootRange(text: string, doc: DocPositions): OffsetRange {
  const root = doc.root;
  if (root === SCALAR) return { start: doc.start, end: doc.end, exact: true };
  if (root >= 0 && !doc.buf.isItem(root)) {
    return { start: doc.buf.nums[root + 1]!, end: doc.buf.nums[root + 2]!, exact: true };
  }
  return { start: doc.start, end: lineContentEnd(text, doc.start), exact: true };
}

/**
 * Resolve a JSON pointer to source offsets: a scalar → its range (quotes included); a collection
 * that is a mapping value → its key; a collection that is a sequence item → from its first
 * character to the end of that line; the root → its first key. With `target: 'key'` a mapping
 * entry resolves to its key. A missing path resolves like its closest existing ancestor, with
 * `exact: false`. An empty (implicit null) mapping value resolves to its key.
 */
export function locateOffsets(
  text: string,
  doc: DocPositions,
  pointer: string,
  target?: 'key' | 'value',
): OffsetRange {
  const range = rootRange(text, doc);
  const tokens = parsePointer(pointer);
  if (tokens === null) return { ...range, exact: false };
  const buf = doc.buf;
  const nums = buf.nums;
  let node = doc.root;
  for (let t = 0; t < tokens.length; t++) {
    if (node < 0) return { ...range, exact: false };
    const token = tokens[t]!;
    let at = -1;
    if (!buf.isItem(node)) {
      for (let r = node; r >= 0; r = nums[r]!) if (buf.key(r) === token) at = r;
      if (at < 0) return { ...range, exact: false };
      if (target === 'key' && t === tokens.length - 1)
        return { start: nums[at + 1]!, end: nums[at + 2]!, exact: true };
      const vs = nums[at + 3]!;
      if (nums[at + 5] !== SCALAR || vs < 0) {
        range.start = nums[at + 1]!;
        range.end = nums[at + 2]!;
      } else {
        range.start = vs;
        range.end = nums[at + 4]!;
      }
    } else {
      if (!INDEX_RE.test(token)) return { ...range, exact: false };
      let idx = Number(token);
      for (let r = node; r >= 0; r = nums[r]!) {
        if (idx-- === 0) {
          at = r;
          break;
        }
      }
      if (at < 0) return { ...range, exact: false };
      if (nums[at + 5] === SCALAR) {
        range.start = nums[at + 3]!;
        range.end = nums[at + 4]!;
      } else {
        range.start = nums[at + 1]!;
        range.end = lineContentEnd(text, range.start);
      }
    }
    node = nums[at + 5]!;
  }
  return range;
}

/** Pointer of the mapping entry whose key starts at `keyStart`, searching the whole document. */
export function pointerOfKey(doc: DocPositions, keyStart: number): string | undefined {
  const buf = doc.buf;
  const nums = buf.nums;
  const walk = (first: number): string | undefined => {
    let n = 0;
    for (let r = first; r >= 0; r = nums[r]!, n++) {
      const item = buf.isItem(r);
      const token = item ? String(n) : escapeSegment(buf.key(r));
      if (!item && nums[r + 1] === keyStart) return `/${token}`;
      const child = nums[r + 5]!;
      if (child >= 0) {
        const sub = walk(child);
        if (sub !== undefined) return `/${token}${sub}`;
      }
    }
    return undefined;
  };
  return walk(doc.root);
}

/** Text and lazily built line index of one file, shared by all its documents. */
export interface FileText {
  readonly text: string;
  readonly lines: LineIndex;
}

/**
 * {@link ResourceSource} of one document (or of one item of a `List`, via `prefix`): resolves
 * pointers with {@link locateOffsets} and converts offsets to positions only when asked.
 */
export class DocumentSource implements ResourceSource {
  constructor(
    readonly file: string,
    readonly document: number,
    private readonly fileText: FileText,
    private readonly positions: DocPositions,
    private readonly prefix = '',
  ) {}

  locate(pointer: string, target?: 'key' | 'value'): SourceRange {
    const ok = pointer === '' || pointer.charCodeAt(0) === 47;
    const r = locateOffsets(this.fileText.text, this.positions, this.prefix + (ok ? pointer : ''), target);
    return { start: this.pos(r.start), end: this.pos(r.end), exact: r.exact && ok };
  }

  /** JSON pointer of this resource inside its document ('' unless it is a List item). */
  get pointer(): string {
    return this.prefix;
  }

  /** Source of item `index` of this document's `items` sequence (a `List` member). */
  forItem(index: number): DocumentSource {
    return new DocumentSource(
      this.file,
      this.document,
      this.fileText,
      this.positions,
      `${this.prefix}/items/${index}`,
    );
  }

  /** Position of a file offset. */
  pos(offset: number): Pos {
    return this.fileText.lines.pos(offset);
  }

  /** The document's position tables (for tests and tools). */
  get tables(): DocPositions {
    return this.positions;
  }
}
