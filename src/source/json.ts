// Fast JSON scanner that builds values and the same offset tables as the YAML paths.
import { codeUnits, hasOwnKey, setOwn } from './fast-yaml.js';
import { EMPTY_COLL, PosBuffer, SCALAR, type DocPositions } from './positions.js';

/** Result of {@link parseJson}. */
export interface JsonDocument {
  value: unknown;
  positions: DocPositions;
  /** `[keyStart, keyEnd, …]` of every duplicate key (each occurrence after the first). */
  duplicates: number[];
}

/** A JSON syntax error at `offset`. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
const MAX_DEPTH = 1000;

class JsonScanner {
  private val: unknown = null;
  private coll = SCALAR;
  private vs = -1;
  private ve = -1;
  private depth = 0;
  readonly dups: number[] = [];

  constructor(
    private readonly t: string,
    private readonly u: Uint16Array,
    private p: number,
    private readonly buf: PosBuffer,
  ) {}

  parse(): JsonDocument {
    const start = this.ws(this.p);
    this.value(start);
    const after = this.ws(this.p);
    if (after < this.t.length) this.fail(after);
    return {
      value: this.val,
      positions: { buf: this.buf, root: this.coll, start, end: this.coll === SCALAR ? this.ve : start },
      duplicates: this.dups,
    };
  }

  private ws(i: number): number {
    const u = this.u;
    for (;;) {
      const c = u[i]!;
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else return i;
    }
  }

  private fail(i: number, what?: string): never {
    if (i >= this.t.length) throw new JsonSyntaxError('Unexpected end of JSON input', this.t.length);
    const ch = JSON.stringify(this.t[i]);
    throw new JsonSyntaxError(what ?? `Unexpected character ${ch} in JSON`, i);
  }

  /** Parse the value at `i`; leaves `p` after it. */
  private value(i: number): void {
    const t = this.t;
    const u = this.u;
    const c = u[i]!;
    if (c === 123 || c === 91) {
      if (++this.depth > MAX_DEPTH) this.fail(i, 'JSON nested too deeply');
      if (c === 123) this.object(i);
      else this.array(i);
      this.depth--;
      return;
    }
    this.coll = SCALAR;
    this.vs = i;
    if (c === 34) {
      this.val = this.string(i);
    } else if (c === 116 && t.startsWith('true', i)) {
      this.val = true;
      this.p = i + 4;
    } else if (c === 102 && t.startsWith('false', i)) {
      this.val = false;
      this.p = i + 5;
    } else if (c === 110 && t.startsWith('null', i)) {
      this.val = null;
      this.p = i + 4;
    } else {
      NUMBER_RE.lastIndex = i;
      const m = NUMBER_RE.exec(t);
      if (m === null) this.fail(i);
      this.val = Number(m[0]);
      this.p = i + m[0].length;
    }
    this.ve = this.p;
  }

  private string(i: number): string {
    const t = this.t;
    const u = this.u;
    let escaped = false;
    for (let k = i + 1; k < t.length; k++) {
      const c = u[k]!;
      if (c === 34) {
        this.p = k + 1;
        if (!escaped) return t.slice(i + 1, k);
        try {
          return JSON.parse(t.slice(i, k + 1)) as string;
        } catch {
          this.fail(i, 'Invalid escape sequence in JSON string');
        }
      }
      if (c === 92) {
        escaped = true;
        k++;
      } else if (c < 32) this.fail(k, 'Bad control character in JSON string');
    }
    return this.fail(t.length);
  }

  private object(i: number): void {
    const t = this.t;
    const u = this.u;
    const buf = this.buf;
    const obj: Record<string, unknown> = {};
    let first = EMPTY_COLL;
    let prev = -1;
    let j = this.ws(i + 1);
    if (u[j]! === 125) {
      this.p = j + 1;
    } else {
      for (;;) {
        if (u[j]! !== 34)
          this.fail(j, j < t.length ? 'Expected a double-quoted property name in JSON' : undefined);
        const key = this.string(j);
        const ks = j;
        const ke = this.p;
        j = this.ws(ke);
        if (u[j]! !== 58) this.fail(j, j < t.length ? "Expected ':' after property name in JSON" : undefined);
        this.value(this.ws(j + 1));
        if (hasOwnKey(obj, key)) this.dups.push(ks, ke);
        setOwn(obj, key, this.val);
        const rec = buf.add(ks, ke, this.coll === SCALAR ? this.vs : -1, this.ve, this.coll);
        if (prev < 0) first = rec;
        else buf.nums[prev] = rec;
        prev = rec;
        j = this.ws(this.p);
        const c = u[j]!;
        if (c === 44) {
          j = this.ws(j + 1);
          continue;
        }
        if (c !== 125) this.fail(j, j < t.length ? "Expected ',' or '}' in JSON object" : undefined);
        this.p = j + 1;
        break;
      }
    }
    this.val = obj;
    this.coll = first;
  }

  private array(i: number): void {
    const t = this.t;
    const u = this.u;
    const buf = this.buf;
    const arr: unknown[] = [];
    let first = EMPTY_COLL;
    let prev = -1;
    let j = this.ws(i + 1);
    if (u[j]! === 93) {
      this.p = j + 1;
    } else {
      for (;;) {
        this.value(j);
        arr.push(this.val);
        const rec = buf.add(j, -1, this.coll === SCALAR ? this.vs : -1, this.ve, this.coll);
        if (prev < 0) first = rec;
        else buf.nums[prev] = rec;
        prev = rec;
        j = this.ws(this.p);
        const c = u[j]!;
        if (c === 44) {
          j = this.ws(j + 1);
          continue;
        }
        if (c !== 93) this.fail(j, j < t.length ? "Expected ',' or ']' in JSON array" : undefined);
        this.p = j + 1;
        break;
      }
    }
    this.val = arr;
    this.coll = first;
  }
}

/**
 * Parse `text` (from `start`) as one JSON value with positions. Duplicate keys: the last one wins
 * (as in `JSON.parse`) and each later occurrence is listed. Throws {@link JsonSyntaxError}.
 */
export function parseJson(
  text: string,
  start = 0,
  buf: PosBuffer = new PosBuffer(text),
  units: Uint16Array = codeUnits(text),
): JsonDocument {
  return new JsonScanner(text, units, start, buf).parse();
}
