// Fallback: parse one document with the yaml package (YAML 1.1, Kubernetes scalar rules) and build the same offset tables.
import {
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  Scalar,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
} from 'yaml';
import { isSpaceOrBreak } from './fast-yaml.js';
import { EMPTY_COLL, SCALAR, type DocPositions, type PosBuffer } from './positions.js';
import { k8sCustomTags, keyString } from './scalars.js';

/**
 * Options giving the yaml package Kubernetes (go-yaml v2) semantics: YAML 1.1 scalars via
 * {@link k8sCustomTags}, `<<` merge keys applied (as kubectl does), duplicate keys allowed (we
 * report them ourselves, the last one wins), no prettified messages (we compute positions).
 */
export const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  schema: 'yaml-1.1',
  customTags: k8sCustomTags,
  merge: true,
  uniqueKeys: false,
  prettyErrors: false,
  logLevel: 'silent',
  strict: true,
};

/** Options for `Document.toJS`: plain objects, alias-bomb guard. */
const TO_JS = { maxAliasCount: 100, mapAsMap: false } as const;

/** One error reported by the yaml package, as file offsets. */
export interface YamlError {
  message: string;
  start: number;
  end: number;
}

/** Result of {@link parseYamlFallback} for one document. */
export interface FallbackDocument {
  /** The value; undefined when the document has errors. */
  value: unknown;
  positions: DocPositions;
  /** `[keyStart, keyEnd, …]` of every duplicate key (each occurrence after the first). */
  duplicates: number[];
  errors: YamlError[];
}

/**
 * Parse `text[start, end)` (one document as split by `splitDocuments`) with the yaml package.
 * Normally yields one document; an empty list means there was no document at all.
 */
export function parseYamlFallback(
  text: string,
  start: number,
  end: number,
  buf: PosBuffer,
): FallbackDocument[] {
  const EMPTY: DocPositions = { buf, root: SCALAR, start: -1, end: -1 };
  const src = text.slice(start, end);
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(src, YAML_OPTIONS) as Document.Parsed[];
  } catch (e) {
    return [{ value: undefined, positions: EMPTY, duplicates: [], errors: [errorAt(e, start, start)] }];
  }
  const out: FallbackDocument[] = [];
  for (const doc of docs) {
    const errors: YamlError[] = doc.errors.map((e) => ({
      message: e.message,
      start: start + e.pos[0],
      end: start + Math.max(e.pos[0], e.pos[1]),
    }));
    if (errors.length > 0) {
      out.push({ value: undefined, positions: EMPTY, duplicates: [], errors });
      continue;
    }
    const contentStart = start + (doc.contents?.range[0] ?? 0);
    let value: unknown;
    try {
      value = doc.toJS(TO_JS);
    } catch (e) {
      out.push({
        value: undefined,
        positions: EMPTY,
        duplicates: [],
        errors: [errorAt(e, contentStart, contentStart)],
      });
      continue;
    }
    try {
      const w = new Walker(text, start, doc, buf);
      const positions = w.root(doc.contents);
      out.push({ value, positions, duplicates: w.dups, errors: [] });
    } catch (e) {
      out.push({
        value: undefined,
        positions: EMPTY,
        duplicates: [],
        errors: [errorAt(e, contentStart, contentStart)],
      });
    }
  }
  return out;
}

function errorAt(e: unknown, start: number, end: number): YamlError {
  const message = e instanceof Error ? e.message : String(e);
  return { message, start, end };
}

/** Builds position records from the yaml AST (node ranges are relative to `base`). */
class Walker {
  readonly dups: number[] = [];
  private coll = SCALAR;
  private vs = -1;
  private ve = -1;

  constructor(
    private readonly text: string,
    private readonly base: number,
    private readonly doc: Document.Parsed,
    private readonly buf: PosBuffer,
  ) {}

  root(node: unknown): DocPositions {
    if (node === null || node === undefined) return { buf: this.buf, root: SCALAR, start: -1, end: -1 };
    this.visit(node);
    const r = (node as Scalar).range;
    const start = r ? this.base + r[0] : this.base;
    return { buf: this.buf, root: this.coll, start, end: this.coll === SCALAR ? this.ve : start };
  }

  /** Sets coll (collections) or vs/ve (scalars, aliases; vs -1 for an empty scalar). */
  private visit(node: unknown): void {
    const base = this.base;
    const buf = this.buf;
    if (isMap(node)) {
      let first = EMPTY_COLL;
      let prev = -1;
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && typeof key.value === 'symbol') continue; // `<<` merge key
        const k = this.keyOf(key);
        let ks: number;
        let ke: number;
        const kr = (key as Scalar | null)?.range;
        if (kr) {
          ks = base + kr[0];
          ke = base + kr[1];
        } else {
          const vr = (pair.value as Scalar | null)?.range;
          ks = ke = vr ? base + vr[0] : base;
        }
        if (seen.has(k)) this.dups.push(ks, ke);
        seen.add(k);
        let rec: number;
        if (pair.value === null || pair.value === undefined) rec = buf.addKeyed(k, ks, ke, -1, -1, SCALAR);
        else {
          this.visit(pair.value);
          rec = buf.addKeyed(k, ks, ke, this.coll === SCALAR ? this.vs : -1, this.ve, this.coll);
        }
        if (prev < 0) first = rec;
        else buf.nums[prev] = rec;
        prev = rec;
      }
      this.coll = first;
      return;
    }
    if (isSeq(node)) {
      let first = EMPTY_COLL;
      let prev = -1;
      for (const item of node.items) {
        let rec: number;
        if (isPair(item)) {
          // `[a: 1]`: a single-pair mapping
          const k = this.keyOf(item.key);
          const kr = (item.key as Scalar | null)?.range;
          const ks = kr ? base + kr[0] : base;
          const ke = kr ? base + kr[1] : base;
          let inner: number;
          if (item.value === null || item.value === undefined)
            inner = buf.addKeyed(k, ks, ke, -1, -1, SCALAR);
          else {
            this.visit(item.value);
            inner = buf.addKeyed(k, ks, ke, this.coll === SCALAR ? this.vs : -1, this.ve, this.coll);
          }
          rec = buf.add(ks, -1, -1, -1, inner);
        } else {
          this.visit(item);
          if (this.coll !== SCALAR) {
            const r = (item as Scalar).range;
            rec = buf.add(r ? base + r[0] : base, -1, -1, -1, this.coll);
          } else if (this.vs < 0) {
            // empty item: point at its `-`
            const at = this.ve;
            let d = at;
            while (d > 0 && (this.text.charCodeAt(d - 1) === 32 || this.text.charCodeAt(d - 1) === 9)) d--;
            if (d > 0 && this.text.charCodeAt(d - 1) === 45) rec = buf.add(d - 1, -1, d - 1, d, SCALAR);
            else rec = buf.add(at, -1, at, at, SCALAR);
          } else rec = buf.add(this.vs, -1, this.vs, this.ve, SCALAR);
        }
        if (prev < 0) first = rec;
        else buf.nums[prev] = rec;
        prev = rec;
      }
      this.coll = first;
      return;
    }
    this.coll = SCALAR;
    const r = (node as Scalar).range;
    if (!r) {
      this.vs = -1;
      this.ve = base;
      return;
    }
    const s = base + r[0];
    let e = base + r[1];
    if (isScalar(node) && s === e) {
      this.vs = -1;
      this.ve = s;
      return;
    }
    if (isScalar(node) && (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED)) {
      while (e > s + 1 && isSpaceOrBreak(this.text.charCodeAt(e - 1))) e--;
    }
    this.vs = s;
    this.ve = e;
  }

  /** The object key a key node becomes (as the yaml package's toJS stringifies it). */
  private keyOf(key: unknown): string {
    if (key === null || key === undefined) return '';
    if (isScalar(key)) return keyString(key.value);
    if (isAlias(key)) {
      const target = key.resolve(this.doc);
      if (isScalar(target)) return keyString(target.value);
    }
    // a collection key (`? [a, b]`): the yaml package stringifies it as YAML
    return isNode(key) ? key.toString() : keyString(key);
  }
}
