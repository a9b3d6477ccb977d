// Hand-written fast path for the block-style YAML subset real manifests use; gives up (returns null) on anything else.
import { Buffer } from 'node:buffer';
import { keyString, resolvePlain } from './scalars.js';
import { DQ_ESCAPES, EMPTY_COLL, PosBuffer, SCALAR, type DocPositions } from './positions.js';

/** Result of {@link parseYamlFast} for one document. */
export interface FastDocument {
  /** The document's value; null for an empty document. */
  value: unknown;
  /** Position records; `start` is -1 for an empty document. */
  positions: DocPositions;
  /** `[keyStart, keyEnd, …]` of every duplicate key (each occurrence after the first). */
  duplicates: number[];
}

/** Thrown (one shared instance, no stack capture per throw) when a document leaves the subset. */
class GiveUp extends Error {}
const GIVE_UP = new GiveUp('not in the fast-path subset');
const MAX_DEPTH = 256;
const MAX_KEY = 1024;

const isWs = (c: number): boolean => c === 32 || c === 9;
/** Space, tab, CR or LF. */
export const isSpaceOrBreak = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/** Define `key` on a plain object without touching prototypes (`__proto__` becomes an own property). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** True when `obj` already has `key` as an own property. */
export function hasOwnKey(obj: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(obj, key);
}

const EMPTY_OBJ: Record<string, unknown> = Object.freeze({});
const NO_DUPS: number[] = [];
// scratch space shared by all parses (parsing is synchronous and never re-entered)
const LINE_BUF: number[] = [];
/** Sequence items being collected; arrays are then allocated at their exact size. */
const STACK: unknown[] = [];
const CACHE_SIZE = 4096;
const CACHE_MAX_LEN = 64;

/**
 * Memo of resolved plain scalars by source text (manifests repeat keys and many values), so a
 * repeated scalar costs neither a new string nor a resolution. It remembers where in its text each
 * scalar was seen and compares against the text itself, so it belongs to one text.
 */
export class ScalarCache {
  private readonly hashes = new Int32Array(CACHE_SIZE);
  private readonly offs = new Int32Array(CACHE_SIZE);
  private readonly lens = new Int32Array(CACHE_SIZE).fill(-1);
  private readonly vals: unknown[] = new Array<unknown>(CACHE_SIZE).fill(null);

  constructor(
    readonly text: string,
    private readonly units: Uint16Array,
  ) {}

  /** Resolved value of the plain scalar `text[i, e)`, whose rolling hash (`h * 31 + c`) is `h`. */
  get(i: number, e: number, h: number): unknown {
    const len = e - i;
    if (len > CACHE_MAX_LEN) return resolvePlain(this.text.slice(i, e));
    const slot = (h ^ (h >>> 13)) & (CACHE_SIZE - 1);
    if (this.hashes[slot] === h && this.lens[slot] === len) {
      const u = this.units;
      const o = this.offs[slot]!;
      let k = 0;
      while (k < len && u[o + k] === u[i + k]) k++;
      if (k === len) return this.vals[slot];
    }
    const v = resolvePlain(this.text.slice(i, e));
    this.hashes[slot] = h;
    this.offs[slot] = i;
    this.lens[slot] = len;
    this.vals[slot] = v;
    return v;
  }
}

/**
 * Line-oriented scanner with indentation tracking. Every parse method leaves its result in
 * `val`/`coll`/`vs`/`ve` (no allocation for results) and `p` at the start of the first line it did
 * not consume. Anything outside the supported subset throws {@link GIVE_UP}.
 */
class FastParser {
  // current line, set by next()
  private ls = 0; // line start
  private cs = 0; // first non-space character
  private le = 0; // content end (before \r\n)
  private nl = 0; // start of the next line
  private ind = 0; // indentation (cs - ls)
  // results
  private val: unknown = null;
  private coll = SCALAR; // first record of a collection value, EMPTY_COLL or SCALAR
  private vs = -1;
  private ve = -1;
  private pe = 0; // end of the last plain scalar / quoted scalar
  private ph = 0; // hash of the last plain scalar
  private depth = 0;
  private readonly lineBuf = LINE_BUF;
  private readonly stack = STACK;
  dups: number[] = NO_DUPS;

  constructor(
    private readonly t: string,
    private readonly u: Uint16Array,
    private p: number,
    private readonly end: number,
    private readonly buf: PosBuffer,
    private readonly cache: ScalarCache | null,
  ) {}

  parseDocument(): FastDocument {
    const buf = this.buf;
    if (!this.next())
      return { value: null, positions: { buf, root: SCALAR, start: -1, end: -1 }, duplicates: this.dups };
    const start = this.cs;
    this.node(this.cs, this.ind, -1, true);
    if (this.next()) throw GIVE_UP;
    return {
      value: this.val,
      positions: { buf, root: this.coll, start, end: this.ve },
      duplicates: this.dups,
    };
  }

  private dup(ks: number, ke: number): void {
    if (this.dups === NO_DUPS) this.dups = [];
    this.dups.push(ks, ke);
  }

  private plain(i: number, e: number): unknown {
    return this.cache === null ? resolvePlain(this.t.slice(i, e)) : this.cache.get(i, e, this.ph);
  }

  /** Load the next line with content (skipping blank and comment lines) from `p`; false at the end. */
  private next(): boolean {
    const t = this.t;
    const u = this.u;
    const end = this.end;
    let ls = this.p;
    while (ls < end) {
      let i = ls;
      while (u[i]! === 32) i++;
      let j = t.indexOf('\n', i);
      if (j === -1 || j >= end) j = end;
      let le = j;
      if (le > i && u[le - 1]! === 13) le--;
      const nl = j < end ? j + 1 : end;
      if (i < le) {
        const c = u[i]!;
        if (c === 9) throw GIVE_UP;
        if (c !== 35) {
          this.p = ls;
          this.ls = ls;
          this.cs = i;
          this.le = le;
          this.nl = nl;
          this.ind = i - ls;
          return true;
        }
      }
      ls = nl;
    }
    this.p = end;
    return false;
  }

  private skipWs(i: number): number {
    const u = this.u;
    while (isWs(u[i]!) && i < this.le) i++;
    return i;
  }

  /** After a value on the current line: only whitespace or a comment may follow. */
  private endOfLine(i: number): void {
    const j = this.skipWs(i);
    if (j < this.le && !(this.u[j] === 35 && j > i)) throw GIVE_UP;
    this.p = this.nl;
  }

  /**
   * Parse the node starting at offset `i` of the current line (column `col`). `parent` is the
   * indentation of the enclosing key or `-` (-1 at the root); `compact` allows a block
   * collection to start on this line (sequence items and own-line nodes).
   */
  private node(i: number, col: number, parent: number, compact: boolean): void {
    const u = this.u;
    const c = u[i]!;
    const c1 = i + 1 < this.le ? u[i + 1]! : 32;
    switch (c) {
      case 45: // -
        if (isWs(c1)) {
          if (!compact || c1 === 9) throw GIVE_UP;
          this.blockSeq(i, col);
          return;
        }
        break;
      case 91: // [
      case 123: // {
        if (++this.depth > MAX_DEPTH) throw GIVE_UP;
        this.flow(i);
        this.depth--;
        this.endOfLine(this.pe);
        return;
      case 34: // "
      case 39: {
        // '
        const v = c === 34 ? this.doubleQuoted(i) : this.singleQuoted(i);
        const k = this.pe;
        const j = this.skipWs(k);
        if (j < this.le && u[j]! === 58) {
          if (!compact || (j + 1 < this.le && !isWs(u[j + 1]!))) throw GIVE_UP;
          this.blockMap(i, col);
          return;
        }
        this.endOfLine(k);
        this.val = v;
        this.coll = SCALAR;
        this.vs = i;
        this.ve = k;
        return;
      }
      case 124: // |
      case 62: // >
        if (parent < 0) throw GIVE_UP;
        this.blockScalar(i, parent);
        return;
      case 38: // &
      case 42: // *
      case 33: // !
      case 37: // %
      case 64: // @
      case 96: // `
      case 44: // ,
      case 93: // ]
      case 125: // }
      case 35: // #
        throw GIVE_UP;
      case 63: // ?
      case 58: // :
        if (isWs(c1)) throw GIVE_UP;
        break;
    }
    const ci = this.scanPlain(i);
    if (ci >= 0) {
      if (!compact) throw GIVE_UP;
      this.blockMap(i, col);
      return;
    }
    this.val = this.plain(i, this.pe);
    this.coll = SCALAR;
    this.vs = i;
    this.ve = this.pe;
    this.p = this.nl;
  }

  /**
   * Scan a single-line plain scalar in block context from `i`. Returns the offset of a mapping
   * indicator (`:` followed by whitespace or the line end) or -1; `pe` is the end of the text
   * before it (trailing whitespace and comments excluded).
   */
  private scanPlain(i: number): number {
    const u = this.u;
    const le = this.le;
    let last = i;
    let h = 0;
    let hl = 0;
    for (let k = i; k < le; k++) {
      const c = u[k]!;
      if (c > 58) {
        // letters and most punctuation: the common case
        if (c === 0xfeff) throw GIVE_UP;
      } else if (c === 58) {
        if (k + 1 === le || isWs(u[k + 1]!)) {
          this.pe = last;
          this.ph = hl;
          return k;
        }
      } else if (c === 32 || c === 9) {
        h = (Math.imul(h, 31) + c) | 0;
        continue;
      } else if (c === 35) {
        if (isWs(u[k - 1]!)) break;
      } else if (c < 32) throw GIVE_UP;
      h = (Math.imul(h, 31) + c) | 0;
      last = k + 1;
      hl = h;
    }
    this.pe = last;
    this.ph = hl;
    return -1;
  }

  private blockMap(i: number, n: number): void {
    const u = this.u;
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    const buf = this.buf;
    const obj: Record<string, unknown> = {};
    let first = -1;
    let prev = -1;
    for (;;) {
      // key at i, column n, on the current line
      const c = u[i]!;
      let key: string;
      let ke: number;
      let colon: number;
      if (c === 34 || c === 39) {
        key = c === 34 ? this.doubleQuoted(i) : this.singleQuoted(i);
        ke = this.pe;
        colon = this.skipWs(ke);
        if (colon >= this.le || u[colon]! !== 58) throw GIVE_UP;
        if (colon + 1 < this.le && !isWs(u[colon + 1]!)) throw GIVE_UP;
      } else {
        const c1 = i + 1 < this.le ? u[i + 1]! : 32;
        switch (c) {
          case 45:
          case 63:
          case 58:
            if (isWs(c1)) throw GIVE_UP;
            break;
          case 60: // <<
            if (c1 === 60) throw GIVE_UP;
            break;
          case 91:
          case 123:
          case 38:
          case 42:
          case 33:
          case 37:
          case 64:
          case 96:
          case 44:
          case 93:
          case 125:
          case 124:
          case 62:
            throw GIVE_UP;
        }
        colon = this.scanPlain(i);
        if (colon < 0) throw GIVE_UP;
        ke = this.pe;
        key = keyString(this.plain(i, ke));
      }
      if (colon - i > MAX_KEY) throw GIVE_UP;
      // value
      const r = this.skipWs(colon + 1);
      if (r >= this.le || u[r]! === 35) {
        this.p = this.nl;
        const more = this.next();
        if (more && this.ind > n) {
          this.node(this.cs, this.ind, n, true);
        } else if (
          more &&
          this.ind === n &&
          u[this.cs]! === 45 &&
          (this.cs + 1 === this.le || isWs(u[this.cs + 1]!))
        ) {
          this.blockSeq(this.cs, n);
        } else {
          this.val = null;
          this.coll = SCALAR;
          this.vs = -1;
          this.ve = -1;
        }
      } else {
        this.node(r, r - this.ls, n, false);
      }
      if (hasOwnKey(obj, key)) this.dup(i, ke);
      setOwn(obj, key, this.val);
      const rec = buf.add(i, ke, this.vs, this.ve, this.coll);
      if (prev < 0) first = rec;
      else buf.nums[prev] = rec;
      prev = rec;
      if (!this.next() || this.ind < n) break;
      if (this.ind > n) throw GIVE_UP;
      i = this.cs;
    }
    this.depth--;
    this.val = obj;
    this.coll = first;
    this.vs = -1;
  }

  private blockSeq(i: number, n: number): void {
    const u = this.u;
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    const buf = this.buf;
    const stack = this.stack;
    const base = stack.length;
    let first = -1;
    let prev = -1;
    for (;;) {
      // `-` at i, column n, followed by whitespace or the line end
      let r = i + 1;
      while (r < this.le && u[r]! === 32) r++;
      if (r < this.le && u[r]! === 9) throw GIVE_UP;
      let start: number;
      if (r >= this.le || u[r]! === 35) {
        this.p = this.nl;
        if (this.next() && this.ind > n) {
          start = this.cs;
          this.node(this.cs, this.ind, n, true);
        } else {
          start = i;
          this.val = null;
          this.coll = SCALAR;
          this.vs = i;
          this.ve = i + 1;
        }
      } else {
        start = r;
        this.node(r, r - this.ls, n, true);
      }
      stack.push(this.val);
      const rec = buf.add(start, -1, this.vs, this.ve, this.coll);
      if (prev < 0) first = rec;
      else buf.nums[prev] = rec;
      prev = rec;
      if (!this.next() || this.ind < n) break;
      if (this.ind > n) throw GIVE_UP;
      const c1 = this.cs + 1 < this.le ? u[this.cs + 1]! : 32;
      if (u[this.cs]! !== 45 || !isWs(c1)) break;
      i = this.cs;
    }
    this.depth--;
    this.val = stack.slice(base);
    stack.length = base;
    this.coll = first;
    this.vs = -1;
  }

  /** Single-line single-quoted scalar at `i`; `pe` is set after the closing quote. */
  private singleQuoted(i: number): string {
    const t = this.t;
    const u = this.u;
    let out = '';
    let from = i + 1;
    for (;;) {
      const k = t.indexOf("'", from);
      if (k < 0 || k >= this.le) throw GIVE_UP;
      if (k + 1 < this.le && u[k + 1]! === 39) {
        out += t.slice(from, k + 1);
        from = k + 2;
        continue;
      }
      this.pe = k + 1;
      return out + t.slice(from, k);
    }
  }

  /** Single-line double-quoted scalar at `i`; `pe` is set after the closing quote. */
  private doubleQuoted(i: number): string {
    const t = this.t;
    const u = this.u;
    const le = this.le;
    let out = '';
    let from = i + 1;
    for (let k = from; k < le; k++) {
      const c = u[k]!;
      if (c === 34) {
        this.pe = k + 1;
        return out + t.slice(from, k);
      }
      if (c !== 92) continue;
      out += t.slice(from, k);
      if (k + 1 >= le) throw GIVE_UP;
      const e = t[k + 1]!;
      const simple = DQ_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        k++;
      } else {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
        if (len === 0 || k + 2 + len > le) throw GIVE_UP;
        const hex = t.slice(k + 2, k + 2 + len);
        if (!/^[0-9a-fA-F]+$/.test(hex)) throw GIVE_UP;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) throw GIVE_UP;
        out += String.fromCodePoint(code);
        k += 1 + len;
      }
      from = k + 1;
    }
    throw GIVE_UP;
  }

  /**
   * Block scalar whose indicator is at `i`; `n` is the indentation of the enclosing key or `-`.
   * https://yaml.org/spec/1.2.2/#81-block-scalar-styles
   */
  private blockScalar(i: number, n: number): void {
    const t = this.t;
    const u = this.u;
    const folded = u[i]! === 62;
    let chomp = 0; // -1 strip, 0 clip, 1 keep
    let explicit = 0;
    let j = i + 1;
    for (let h = 0; h < 2 && j < this.le; h++, j++) {
      const c = u[j]!;
      if (c === 45 && chomp === 0) chomp = -1;
      else if (c === 43 && chomp === 0) chomp = 1;
      else if (c >= 49 && c <= 57 && explicit === 0) explicit = c - 48;
      else break;
    }
    const headerEnd = j;
    if (j < this.le && !isWs(u[j]!)) throw GIVE_UP;
    const k = this.skipWs(j);
    if (k < this.le && u[k]! !== 35) throw GIVE_UP;
    let indent = explicit > 0 ? n + explicit : -1;
    let maxLeadingBlank = 0;
    // pass 1: find the lines; lineBuf holds [textStart, lineEnd] per line, textStart -1 for empty lines
    const buf = this.lineBuf;
    buf.length = 0;
    let lastText = -1; // index in buf (pairs) of the last text line
    const end = this.end;
    let ls = this.nl;
    let stop = end;
    while (ls < end) {
      let sp = ls;
      while (u[sp]! === 32) sp++;
      let j2 = t.indexOf('\n', sp);
      if (j2 === -1 || j2 >= end) j2 = end;
      let le = j2;
      if (le > ls && u[le - 1]! === 13) le--;
      const nl = j2 < end ? j2 + 1 : end;
      const spaces = sp - ls;
      if (sp >= le) {
        // all spaces: empty unless it has more spaces than the content indentation; an empty
        // last line without a line break is not a line at all
        if (j2 >= end && (indent < 0 || spaces <= indent)) break;
        if (indent < 0) {
          if (spaces > maxLeadingBlank) maxLeadingBlank = spaces;
          buf.push(-1, le);
        } else if (spaces > indent) {
          buf.push(ls + indent, le);
          lastText = buf.length - 2;
        } else buf.push(-1, le);
      } else {
        if (indent < 0) {
          if (spaces <= n) {
            stop = ls;
            break;
          }
          indent = spaces;
          if (maxLeadingBlank > indent) throw GIVE_UP;
        }
        if (spaces < indent) {
          if (u[sp]! === 9) throw GIVE_UP;
          stop = ls;
          break;
        }
        buf.push(ls + indent, le);
        lastText = buf.length - 2;
      }
      ls = nl;
    }
    if (indent < 0 && maxLeadingBlank > n) throw GIVE_UP;
    // pass 2: build the value
    let out = '';
    if (lastText >= 0) {
      if (!folded) {
        for (let b = 0; b <= lastText; b += 2) {
          const s = buf[b]!;
          if (b > 0) out += '\n';
          if (s >= 0) out += t.slice(s, buf[b + 1]);
        }
      } else {
        let empties = 0;
        let prev = 0; // 0 none, 1 normal text, 2 more-indented text
        for (let b = 0; b <= lastText; b += 2) {
          const s = buf[b]!;
          if (s < 0) {
            empties++;
            continue;
          }
          const e = buf[b + 1]!;
          const kind = s < e && isWs(u[s]!) ? 2 : 1;
          if (prev === 0) out += '\n'.repeat(empties);
          else if (prev === 1 && kind === 1) out += empties === 0 ? ' ' : '\n'.repeat(empties);
          else out += '\n'.repeat(empties + 1);
          out += t.slice(s, e);
          prev = kind;
          empties = 0;
        }
      }
      if (chomp >= 0) out += '\n';
      if (chomp > 0) out += '\n'.repeat((buf.length - lastText - 2) / 2);
    } else if (chomp > 0) {
      throw GIVE_UP; // `|+` without content: the yaml package has its own view of trailing lines
    }
    // range: indicator .. last non-whitespace character before the next node
    let ve = lastText >= 0 ? buf[lastText + 1]! : this.le;
    while (ve > headerEnd && isSpaceOrBreak(u[ve - 1]!)) ve--;
    this.val = out;
    this.coll = SCALAR;
    this.vs = i;
    this.ve = ve;
    this.p = stop;
  }

  /** Single-line flow collection at `i`; `pe` is set after its closing bracket. */
  private flow(i: number): void {
    const u = this.u;
    const le = this.le;
    const buf = this.buf;
    const isSeq = u[i]! === 91;
    const close = isSeq ? 93 : 125;
    const stack = this.stack;
    const base = stack.length;
    const obj: Record<string, unknown> = isSeq ? EMPTY_OBJ : {};
    let first = EMPTY_COLL;
    let prev = -1;
    let j = this.skipSpaces(i + 1);
    if (j < le && u[j]! === close) {
      this.pe = j + 1;
    } else {
      for (;;) {
        if (j >= le) throw GIVE_UP;
        let rec: number;
        if (isSeq) {
          const start = j;
          this.flowNode(j, false);
          j = this.skipSpaces(this.pe);
          if (j < le && u[j]! === 58) throw GIVE_UP;
          stack.push(this.val);
          rec = buf.add(start, -1, this.vs, this.ve, this.coll);
        } else {
          const c = u[j]!;
          let key: string;
          const ks = j;
          if (c === 34 || c === 39) {
            key = c === 34 ? this.doubleQuoted(j) : this.singleQuoted(j);
          } else {
            this.flowNode(j, true);
            if (this.coll !== SCALAR) throw GIVE_UP;
            key = keyString(this.val);
          }
          const ke = this.pe;
          j = this.skipSpaces(ke);
          if (j >= le || u[j]! !== 58) throw GIVE_UP;
          j = this.skipSpaces(j + 1);
          if (j >= le) throw GIVE_UP;
          const v0 = u[j]!;
          if (v0 === 44 || v0 === 125) throw GIVE_UP;
          this.flowNode(j, false);
          if (hasOwnKey(obj, key)) this.dup(ks, ke);
          setOwn(obj, key, this.val);
          rec = buf.add(ks, ke, this.vs, this.ve, this.coll);
          j = this.skipSpaces(this.pe);
        }
        if (prev < 0) first = rec;
        else buf.nums[prev] = rec;
        prev = rec;
        if (j >= le) throw GIVE_UP;
        const c = u[j]!;
        if (c === 44) {
          j = this.skipSpaces(j + 1);
          if (j >= le || u[j]! === close) throw GIVE_UP;
          continue;
        }
        if (c !== close) throw GIVE_UP;
        this.pe = j + 1;
        break;
      }
    }
    if (isSeq) {
      this.val = stack.slice(base);
      stack.length = base;
    } else this.val = obj;
    this.coll = first;
    this.vs = -1;
  }

  private skipSpaces(i: number): number {
    const u = this.u;
    while (i < this.le && u[i]! === 32) i++;
    if (i < this.le && u[i]! === 9) throw GIVE_UP;
    return i;
  }

  /** A node inside a flow collection at `i`; with `isKey`, a plain scalar may end at `: `. */
  private flowNode(i: number, isKey: boolean): void {
    const u = this.u;
    const le = this.le;
    const c = u[i]!;
    const c1 = i + 1 < le ? u[i + 1]! : 32;
    switch (c) {
      case 91:
      case 123:
        if (++this.depth > MAX_DEPTH) throw GIVE_UP;
        this.flow(i);
        this.depth--;
        return;
      case 34:
      case 39: {
        this.val = c === 34 ? this.doubleQuoted(i) : this.singleQuoted(i);
        this.coll = SCALAR;
        this.vs = i;
        this.ve = this.pe;
        return;
      }
      case 45:
      case 63:
      case 58:
        if (isWs(c1) || isFlowIndicator(c1)) throw GIVE_UP;
        break;
      case 44:
      case 93:
      case 125:
      case 35:
      case 38:
      case 42:
      case 33:
      case 124:
      case 62:
      case 37:
      case 64:
      case 96:
        throw GIVE_UP;
    }
    let last = i;
    let h = 0;
    let hl = 0;
    let k = i;
    for (; k < le; k++) {
      const ch = u[k]!;
      if (ch === 58) {
        const n1 = k + 1 < le ? u[k + 1]! : 32;
        if (isWs(n1) || isFlowIndicator(n1)) {
          if (!isKey || !isWs(n1)) throw GIVE_UP;
          break;
        }
      } else if (ch === 44 || ch === 93 || ch === 125) break;
      else if (ch === 91 || ch === 123) throw GIVE_UP;
      else if (ch === 35) {
        if (isWs(u[k - 1]!)) throw GIVE_UP;
      } else if (ch < 32) {
        if (ch !== 9) throw GIVE_UP;
      } else if (ch === 0xfeff) throw GIVE_UP;
      h = (Math.imul(h, 31) + ch) | 0;
      if (ch !== 32 && ch !== 9) {
        last = k + 1;
        hl = h;
      }
    }
    if (isKey && (k >= le || u[k]! !== 58)) throw GIVE_UP;
    if (!isKey && k < le && u[k]! === 58) throw GIVE_UP;
    this.ph = hl;
    this.val = this.plain(i, last);
    this.coll = SCALAR;
    this.vs = i;
    this.ve = last;
    this.pe = last;
  }
}

const isFlowIndicator = (c: number): boolean => c === 44 || c === 91 || c === 93 || c === 123 || c === 125;

/**
 * Parse the document body `text[start, end)` (after its `---` line, before the next document
 * marker) with the fast path, appending position records to `buf`. Returns null (and leaves `buf`
 * as it was) when the document uses anything outside the supported subset (anchors, aliases,
 * tags, complex keys, merge keys, multi-line plain or quoted scalars, multi-line flow collections,
 * tabs as indentation, invalid YAML …); the caller then uses the yaml package for this document.
 */
export function parseYamlFast(
  text: string,
  start = 0,
  end = text.length,
  buf: PosBuffer = new PosBuffer(text),
  cache: ScalarCache | null = null,
  units: Uint16Array = codeUnits(text),
): FastDocument | null {
  const mark = buf.n;
  STACK.length = 0;
  try {
    const memo = cache !== null && cache.text === text ? cache : null;
    return new FastParser(text, units, start, end, buf, memo).parseDocument();
  } catch (e) {
    buf.truncate(mark);
    STACK.length = 0;
    if (e instanceof GiveUp || e instanceof RangeError) return null;
    throw e;
  }
}

const LITTLE_ENDIAN = new Uint16Array(new Uint8Array([1, 0]).buffer)[0] === 1;

/**
 * The UTF-16 code units of `text` followed by a 0 sentinel. The scanner reads these instead of
 * calling `charCodeAt`, which is several times slower in tight loops; the copy is one native
 * encode (about 1 ms for 4 MB).
 */
export function codeUnits(text: string): Uint16Array {
  const u = new Uint16Array(text.length + 1);
  if (LITTLE_ENDIAN) Buffer.from(u.buffer, u.byteOffset, text.length * 2).write(text, 0, 'utf16le');
  else for (let i = 0; i < text.length; i++) u[i] = text.charCodeAt(i);
  return u;
}
