/**
 * Apply findings' JSON-Patch fixes to YAML text as minimal text edits: only the bytes of the node a
 * patch edits change, so comments, quoting, indentation, flow style and anchors elsewhere survive.
 * Node offsets come from the `yaml` package's AST; nothing is ever re-rendered beyond the edited
 * node. `add` creates missing parent objects (rules patch targets that may lack, say,
 * `securityContext`), also in place of a null value.
 *
 * A fix is skipped, with a reason for `onSkip`, rather than guessed at: when a parent on its path is
 * a string or a list, when it goes through a `<<` merge, when its target is shared through an anchor
 * and not every place sharing it has the same fix (when they all have it, it is applied once, at
 * the anchor), or when the edit would not give exactly the patched value (every patch is checked by
 * reparsing the document and comparing with the JSON patch applied to its value).
 */
import {
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  parseDocument,
  Scalar,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { Finding, JsonPatchOp } from '../engine/types.js';
import { escapeSegment, pointerTokens } from '../engine/k8s/pointer.js';
import type { DecodedSource } from './decode.js';
import { keyString } from './scalars.js';
import { YAML_OPTIONS } from './yaml-fallback.js';

export interface FixOptions {
  /** Also apply fixes marked unsafe (they may change behaviour). */
  unsafe?: boolean;
  /** Called for each fix that is left out, with why (in words a user can act on). */
  onSkip?: (finding: Finding, reason: string) => void;
}

/** Raised when a patch cannot be applied as a local edit; the message says why. */
class Skip extends Error {}

type Collection = YAMLMap | YAMLSeq;
type Doc = Document.Parsed;

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
const lineEnd = (text: string, offset: number) => {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i + 1;
};
const ptr = (segs: readonly string[]) => segs.map((s) => '/' + escapeSegment(s)).join('');
const where = (segs: readonly string[]) => (segs.length === 0 ? 'the document' : ptr(segs));
const isMergeKey = (key: unknown) => isScalar(key) && typeof key.value === 'symbol';
const hasMerge = (map: YAMLMap) => map.items.some((p) => isMergeKey(p.key));
const isBlockScalar = (n: Node) =>
  isScalar(n) && (n.type === Scalar.BLOCK_LITERAL || n.type === Scalar.BLOCK_FOLDED);

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameJson(x, bb[i]));
  }
  const ka = Object.keys(a);
  const ob = b as Record<string, unknown>;
  return (
    ka.length === Object.keys(ob).length &&
    ka.every((k) => Object.hasOwn(ob, k) && sameJson((a as Record<string, unknown>)[k], ob[k]))
  );
}

// ---- rendering new values ------------------------------------------------------------------------

const RENDER = { lineWidth: 0, flowCollectionPadding: false } as const;

/** Block-style YAML of `value` (Kubernetes YAML 1.1 quoting: `"yes"`, `"0777"` stay strings). */
const blockText = (value: unknown) =>
  new Document(value, YAML_OPTIONS).toString({ ...RENDER, collectionStyle: 'block' }).replace(/\n$/, '');

/** One-line YAML of `value`, valid in block and in flow context. */
function flowText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flowText).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${flowText(k)}: ${flowText(v)}`)
      .join(', ')}}`;
  if (typeof value === 'string') {
    // plain only when it is safe in flow context and reads back as this string
    if (/^[A-Za-z0-9_./@+=-]+$/.test(value) && value !== '-' && blockText(value) === value) return value;
    return JSON.stringify(value);
  }
  return blockText(value);
}

/** `value` as block lines indented by `indent` spaces, joined with `eol`. */
const block = (value: unknown, indent: number, eol: string) =>
  blockText(value)
    .split('\n')
    .map((l) => ' '.repeat(indent) + l)
    .join(eol);

/** Text of a new scalar in place of `original`, keeping its quote style for strings. */
function scalarText(value: unknown, original: Node, inFlow: boolean): string {
  if (isScalar(original) && typeof value === 'string') {
    if (original.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
    if (original.type === 'QUOTE_SINGLE' && !/[\n\r]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  }
  if (inFlow) return flowText(value);
  const t = blockText(value); // block context allows more plain scalars (`a, b -- c`)
  return t.includes('\n') ? flowText(value) : t;
}

// ---- the AST ---------------------------------------------------------------------------------------

/** Where a node sits: under a key of a map, as an item of a sequence, or at the document root. */
type Slot =
  | { kind: 'pair'; map: YAMLMap; pair: Pair }
  | { kind: 'item'; seq: YAMLSeq; index: number }
  | { kind: 'root' };

/** End of a node's own text (no trailing line breaks or comments). */
function contentEnd(text: string, n: Node): number {
  if (isMap(n) || isSeq(n)) {
    if (n.flow || n.items.length === 0) return n.range![1];
    const last = n.items[n.items.length - 1]!;
    if (isPair(last)) return pairEnd(text, last);
    return contentEnd(text, last as Node);
  }
  let e = n.range![1];
  if (isBlockScalar(n)) while (e > n.range![0] + 1 && /\s/.test(text[e - 1]!)) e--;
  return e;
}

function pairEnd(text: string, p: Pair): number {
  const v = p.value as Node | null;
  if (v && v.range && (v.range[1] > v.range[0] || !isScalar(v))) return contentEnd(text, v);
  const k = p.key as Node | null;
  const ke = k?.range ? contentEnd(text, k) : 0;
  const colon = text.indexOf(':', ke);
  return colon >= 0 && (!v?.range || colon < v.range[0] || v.range[0] === v.range[1]) ? colon + 1 : ke;
}

/** Start of `n` including an anchor or tag written before it on the same line. */
function propsStart(text: string, n: Node): number {
  let s = n.range![0];
  for (;;) {
    let i = s;
    while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
    let j = i;
    while (j > 0 && !/\s/.test(text[j - 1]!)) j--;
    if (j < i && (text[j] === '!' || text[j] === '&')) s = j;
    else return s;
  }
}

/** Offset just after the `:` of a block-map pair. */
function colonAfterKey(text: string, p: Pair): number {
  const k = p.key as Node;
  let i = contentEnd(text, k);
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text[i] !== ':') throw new Skip('its key is written in a form the fixer does not edit (`? key`)');
  return i + 1;
}

/** Offset of the `-` of a block-sequence item. */
function dashOf(text: string, item: Node): number {
  const s = propsStart(text, item);
  const d = text.lastIndexOf('-', s - 1);
  if (d < 0 || !/^[\s]*$/.test(text.slice(d + 1, s)) || !/^[ -]*$/.test(text.slice(lineStart(text, d), d)))
    throw new Skip('its list item is written in a form the fixer does not edit');
  return d;
}

interface Walked {
  /** Nodes from the root down to the deepest existing one, and their slots. */
  nodes: Node[];
  slots: Slot[];
  /** True when every segment exists. */
  found: boolean;
  /** When the missing key may come from a `<<` merge of the map. */
  merged: boolean;
}

/** Follow `segs` from the root. Containers reached through an alias are refused (planning handles sharing). */
function walk(doc: Doc, segs: readonly string[]): Walked {
  const nodes: Node[] = [];
  const slots: Slot[] = [];
  let cur = (doc.contents ?? undefined) as Node | undefined;
  if (!cur) return { nodes, slots, found: false, merged: false };
  nodes.push(cur);
  slots.push({ kind: 'root' });
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (isAlias(cur)) throw new Skip(`${where(segs.slice(0, i))} is an alias (*${cur.source})`);
    let next: Node | undefined;
    let slot: Slot | undefined;
    if (isMap(cur)) {
      const pair = cur.items.findLast(
        (p) => !isMergeKey(p.key) && isScalar(p.key) && keyString(p.key.value) === s,
      );
      if (!pair) return { nodes, slots, found: false, merged: hasMerge(cur) };
      next = (pair.value ?? undefined) as Node | undefined;
      slot = { kind: 'pair', map: cur, pair };
      if (!next) throw new Skip(`${where(segs.slice(0, i + 1))} has no value node`);
    } else if (isSeq(cur) && /^(?:0|[1-9][0-9]*)$/.test(s) && Number(s) < cur.items.length) {
      const item = cur.items[Number(s)];
      if (isPair(item)) throw new Skip(`${where(segs.slice(0, i + 1))} is a pair inside a flow list`);
      next = item as Node;
      slot = { kind: 'item', seq: cur, index: Number(s) };
    } else return { nodes, slots, found: false, merged: false };
    nodes.push(next);
    slots.push(slot);
    cur = next;
  }
  return { nodes, slots, found: true, merged: false };
}

// ---- edits -----------------------------------------------------------------------------------------

const splice = (text: string, s: number, e: number, insert: string) =>
  text.slice(0, s) + insert + text.slice(e);

/** True when only blanks follow `at` on its line. */
const restOfLineBlank = (text: string, at: number) =>
  /^[ \t]*\r?\n?$/.test(text.slice(at, lineEnd(text, at)));

/** Replace the node in `slot` with `value`. */
function replaceNode(text: string, slot: Slot, node: Node, value: unknown, eol: string): string {
  const inFlow =
    slot.kind === 'pair' ? slot.map.flow === true : slot.kind === 'item' && slot.seq.flow === true;
  const isColl = value !== null && typeof value === 'object';
  const nonEmpty = isColl && Object.keys(value).length > 0;
  const nodeIsBlockColl = (isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0;
  const end = contentEnd(text, node);
  if (!nodeIsBlockColl) {
    const start = propsStart(text, node);
    const empty = start === end; // `key:` with no value
    // a block value for a new collection under a key, when nothing else is on the line
    if (
      !inFlow &&
      nonEmpty &&
      (isScalar(node) || isAlias(node)) &&
      slot.kind === 'pair' &&
      restOfLineBlank(text, end)
    ) {
      const from = colonAfterKey(text, slot.pair);
      const ks = propsStart(text, slot.pair.key as Node);
      const keyCol = ks - lineStart(text, ks);
      return splice(text, from, end, eol + block(value, keyCol + 2, eol));
    }
    const t = isColl ? flowText(value) : scalarText(value, node, inFlow);
    return splice(text, start, end, (empty && /[:-]$/.test(text.slice(0, start)) ? ' ' : '') + t);
  }
  // a block collection
  if (nonEmpty) {
    const col = node.range![0] - lineStart(text, node.range![0]);
    const body = block(value, col, eol).slice(col);
    return splice(text, node.range![0], end, body);
  }
  if (slot.kind === 'root') return splice(text, node.range![0], end, flowText(value));
  const from = slot.kind === 'pair' ? colonAfterKey(text, slot.pair) : dashOf(text, node) + 1;
  return splice(text, from, end, ' ' + flowText(value));
}

function insertLines(text: string, at: number, lines: string, eol: string): string {
  if (at >= text.length && !text.endsWith('\n')) return text + eol + lines;
  return splice(text, at, at, lines + eol);
}

function addToMap(text: string, map: YAMLMap, key: string, value: unknown, eol: string): string {
  const pairs = map.items;
  if (map.flow) {
    if (pairs.length === 0)
      return splice(text, map.range![0] + 1, map.range![0] + 1, `${flowText(key)}: ${flowText(value)}`);
    const at = pairEnd(text, pairs[pairs.length - 1]!);
    return splice(text, at, at, `, ${flowText(key)}: ${flowText(value)}`);
  }
  const firstKey = propsStart(text, pairs[0]!.key as Node);
  const indent = firstKey - lineStart(text, firstKey);
  const at = lineEnd(text, pairEnd(text, pairs[pairs.length - 1]!) - 1);
  return insertLines(text, at, block({ [key]: value }, indent, eol), eol);
}

function addToSeq(text: string, seq: YAMLSeq, index: number, value: unknown, eol: string): string {
  const items = seq.items as Node[];
  if (items.some((i) => isPair(i))) throw new Skip('the list holds `key: value` pairs');
  if (seq.flow) {
    if (items.length === 0) return splice(text, seq.range![0] + 1, seq.range![0] + 1, flowText(value));
    if (index >= items.length) {
      const at = contentEnd(text, items[items.length - 1]!);
      return splice(text, at, at, `, ${flowText(value)}`);
    }
    const at = propsStart(text, items[index]!);
    return splice(text, at, at, `${flowText(value)}, `);
  }
  const first = dashOf(text, items[0]!);
  const dashCol = first - lineStart(text, first);
  const lines = block([value], dashCol, eol);
  if (index >= items.length)
    return insertLines(text, lineEnd(text, contentEnd(text, items[items.length - 1]!) - 1), lines, eol);
  return insertLines(text, lineStart(text, dashOf(text, items[index]!)), lines, eol);
}

/** Remove the node in `slot` (whose parent is `parentSlot` / `parent`). */
function removeNode(text: string, slot: Slot, parent: Node, parentSlot: Slot, eol: string): string {
  if (slot.kind === 'root') throw new Skip('it would remove the whole document');
  const coll = parent as Collection;
  if (coll.items.length === 1) {
    // the collection becomes empty: `{}` / `[]` in its place
    if (coll.flow) return splice(text, coll.range![0] + 1, coll.range![1] - 1, '');
    return replaceNode(text, parentSlot, parent, isMap(parent) ? {} : [], eol);
  }
  const index = slot.kind === 'pair' ? coll.items.indexOf(slot.pair) : slot.index;
  const itemStart = (i: number) => {
    const it = coll.items[i]!;
    return isPair(it) ? propsStart(text, it.key as Node) : propsStart(text, it as Node);
  };
  const itemEnd = (i: number) => {
    const it = coll.items[i]!;
    return isPair(it) ? pairEnd(text, it) : contentEnd(text, it as Node);
  };
  if (coll.flow) {
    if (index < coll.items.length - 1) return splice(text, itemStart(index), itemStart(index + 1), '');
    return splice(text, itemEnd(index - 1), itemEnd(index), '');
  }
  const start = slot.kind === 'pair' ? itemStart(index) : dashOf(text, coll.items[index] as Node);
  const ls = lineStart(text, start);
  if (/^[ \t]*$/.test(text.slice(ls, start))) return splice(text, ls, lineEnd(text, itemEnd(index) - 1), '');
  // the first pair of a compact `- key: value` item: the next key moves up after the `- `
  if (slot.kind === 'pair' && index === 0) return splice(text, start, itemStart(1), '');
  throw new Skip('its entry shares a line with another node');
}

/** Build the value to put at the first missing segment: nested objects (a list for `-`). */
function nest(rest: readonly string[], value: unknown): unknown {
  let v = value;
  for (let i = rest.length - 1; i >= 0; i--) v = rest[i] === '-' ? [v] : { [rest[i]!]: v };
  return v;
}

function toJS(node: Node | undefined, doc: Doc): unknown {
  return node === undefined ? undefined : node.toJS(doc, { maxAliasCount: 100 });
}

/** One operation as a text edit of `text` (the document's text); returns the new text. */
function applyOp(text: string, op: JsonPatchOp, eol: string): string {
  const doc = parseDocument(text, YAML_OPTIONS) as Doc;
  if (doc.errors.length > 0) throw new Skip('the document does not parse after an earlier edit');
  if (op.op === 'test') return text;
  if (op.op === 'move' || op.op === 'copy') {
    const from = pointerTokens(op.from);
    const src = walk(doc, from);
    if (!src.found) throw new Skip(`${where(from)} does not exist`);
    const value = toJS(src.nodes[src.nodes.length - 1], doc);
    const t = op.op === 'move' ? applyOp(text, { op: 'remove', path: op.from }, eol) : text;
    return applyOp(t, { op: 'add', path: op.path, value }, eol);
  }
  const segs = pointerTokens(op.path);
  const w = walk(doc, segs);
  const last = w.nodes.length - 1;
  const node = w.nodes[last];
  if (op.op === 'remove') {
    if (!w.found) {
      if (w.merged) throw new Skip(`${where(segs)} comes from a \`<<\` merge: remove it where it is defined`);
      return text; // already absent
    }
    return removeNode(text, w.slots[last]!, w.nodes[last - 1]!, w.slots[last - 1]!, eol);
  }
  const value = 'value' in op ? op.value : undefined;
  if (w.found) {
    const parent = w.nodes[last - 1];
    // `add` at a list index inserts (RFC 6902); elsewhere a target that already holds the value stays
    if (op.op === 'add' && isSeq(parent))
      return addToSeq(text, parent, Number(segs[segs.length - 1]), value, eol);
    if (sameJson(toJS(node, doc), value)) return text;
    return replaceNode(text, w.slots[last]!, node!, value, eol);
  }
  if (!node) throw new Skip('the document is empty');
  const depth = last; // segments 0..depth-1 exist
  const rest = segs.slice(depth);
  if (isAlias(node)) throw new Skip(`${where(segs.slice(0, depth))} is an alias (*${node.source})`);
  if (w.merged && rest.length > 1)
    throw new Skip(
      `${where(segs.slice(0, depth + 1))} comes from a \`<<\` merge: fix it where it is defined`,
    );
  if (isMap(node)) {
    if (rest.slice(1).includes('-') && rest.indexOf('-') > 0 && rest.length > 2)
      throw new Skip(
        `${where(segs)} appends to a list that does not exist yet below ${where(segs.slice(0, depth))}`,
      );
    return addToMap(text, node, rest[0]!, nest(rest.slice(1), value), eol);
  }
  if (isSeq(node)) {
    const s = rest[0]!;
    const index = s === '-' ? node.items.length : /^(?:0|[1-9][0-9]*)$/.test(s) ? Number(s) : NaN;
    if (!(index <= node.items.length) || rest.length > 1)
      throw new Skip(
        `${where(segs.slice(0, depth))} is a list, and ${where(segs)} is not an item it can add`,
      );
    return addToSeq(text, node, index, value, eol);
  }
  const current = toJS(node, doc);
  if (current === null) return replaceNode(text, w.slots[last]!, node, nest(rest, value), eol);
  throw new Skip(
    `${where(segs.slice(0, depth))} is ${describe(current)}, not an object, so ${where(segs)} cannot be added`,
  );
}

// ---- JSON patch on plain values (what the edited document must read as) ---------------------------

function patchValue(root: unknown, op: JsonPatchOp): unknown {
  if (op.op === 'test') return root;
  if (op.op === 'move' || op.op === 'copy') {
    let v: unknown = root;
    for (const s of pointerTokens(op.from)) v = (v as Record<string, unknown> | undefined)?.[s];
    const r = op.op === 'move' ? patchValue(root, { op: 'remove', path: op.from }) : root;
    return patchValue(r, { op: 'add', path: op.path, value: structuredClone(v) });
  }
  const segs = pointerTokens(op.path);
  const value = 'value' in op ? op.value : undefined;
  if (segs.length === 0) return op.op === 'remove' ? null : structuredClone(value);
  const wrap = { v: root } as Record<string, unknown>;
  let parent: Record<string, unknown> | unknown[] = wrap;
  let key = 'v';
  for (const s of segs) {
    const cur = parent[key];
    let next: Record<string, unknown> | unknown[];
    if (cur !== null && typeof cur === 'object') next = cur as Record<string, unknown>;
    else {
      if (op.op === 'remove') return root;
      next = {};
      parent[key] = next;
    }
    parent = next;
    key = s;
  }
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (op.op === 'remove') parent.splice(i, 1);
    else if (op.op === 'add') parent.splice(i, 0, structuredClone(value));
    else parent[i] = structuredClone(value);
  } else if (op.op === 'remove') delete parent[key];
  else
    Object.defineProperty(parent, key, {
      value: structuredClone(value),
      writable: true,
      enumerable: true,
      configurable: true,
    });
  return wrap.v;
}

function getAt(root: unknown, segs: readonly string[]): unknown {
  let v = root;
  for (const s of segs) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

// ---- shared nodes (anchors and aliases) -----------------------------------------------------------

interface Anchor {
  name: string;
  /** JSON paths (segments) of every place the node is used: where it is defined, then each alias. */
  sites: string[][];
  /** Used where no JSON path reaches it (a `<<` merge, a key). */
  hidden: boolean;
  aliases: number;
}

/** Every anchored node that an alias uses, with the places it is used. */
function anchors(doc: Doc): Map<Node, Anchor> {
  const out = new Map<Node, Anchor>();
  const get = (n: Node) => {
    let a = out.get(n);
    if (!a)
      out.set(
        n,
        (a = { name: String((n as { anchor?: string }).anchor), sites: [], hidden: false, aliases: 0 }),
      );
    return a;
  };
  const visit = (n: unknown, path: string[] | null) => {
    if (isAlias(n)) {
      const t = n.resolve(doc) as Node | undefined;
      if (!t) return;
      const a = get(t);
      a.aliases++;
      if (path) a.sites.push(path);
      else a.hidden = true;
      return;
    }
    if (!n || typeof n !== 'object') return;
    const node = n as Node;
    if ((node as { anchor?: string }).anchor) {
      const a = get(node);
      if (path) a.sites.unshift(path);
      else a.hidden = true;
    }
    if (isMap(node))
      for (const p of node.items) {
        if (isMergeKey(p.key)) {
          const v = p.value;
          if (isSeq(v)) for (const it of v.items) visit(it, null);
          else visit(v, null);
          continue;
        }
        if (!isScalar(p.key)) visit(p.key, null);
        visit(p.value, path && isScalar(p.key) ? [...path, keyString(p.key.value)] : null);
      }
    else if (isSeq(node))
      node.items.forEach((it, i) => visit(it, isPair(it) ? null : path ? [...path, String(i)] : null));
  };
  visit(doc.contents, []);
  for (const [n, a] of out) if (a.aliases === 0) out.delete(n);
  return out;
}

/** The shared node a path edits inside (through its anchor or an alias), if any. */
function sharedOnPath(
  doc: Doc,
  shared: Map<Node, Anchor>,
  segs: readonly string[],
  removesTarget: boolean,
): { node: Node; depth: number } | undefined | 'nested' | 'target' {
  let cur = (doc.contents ?? undefined) as Node | undefined;
  let found: { node: Node; depth: number } | undefined;
  for (let i = 0; cur && i <= segs.length; i++) {
    if (isAlias(cur)) {
      if (i === segs.length) return found;
      const t = cur.resolve(doc) as Node | undefined;
      if (!t) return found;
      if (found) return 'nested';
      found = { node: t, depth: i };
      cur = t;
    } else if (shared.has(cur)) {
      if (i === segs.length) return removesTarget ? 'target' : found;
      if (found) return 'nested';
      found = { node: cur, depth: i };
    }
    if (i === segs.length) break;
    const s = segs[i]!;
    if (isMap(cur)) {
      const pair = cur.items.findLast(
        (p) => !isMergeKey(p.key) && isScalar(p.key) && keyString(p.key.value) === s,
      );
      cur = (pair?.value ?? undefined) as Node | undefined;
    } else if (isSeq(cur)) {
      const it = cur.items[Number(s)];
      cur = it === undefined || isPair(it) ? undefined : (it as Node);
    } else cur = undefined;
  }
  return found;
}

// ---- documents ----------------------------------------------------------------------------------------

interface Entry {
  finding: Finding;
  patch: JsonPatchOp[];
}

/** Apply the entries' patches to one document's text (offsets relative to it). */
/** What to do with a patch: the ops to apply and the ops its result must equal, or why it is skipped. */
type Planned = { ops: JsonPatchOp[]; expect: JsonPatchOp[] } | { skip: string };

/**
 * Plan the patches of a document: an op inside a node shared through an anchor applies once, at the
 * anchor, when every place that uses the node has the same op; otherwise the whole patch is skipped.
 */
function plan(original: Doc, entries: Entry[]): Planned[] {
  const shared = anchors(original);
  const uses = new Map<
    string,
    { anchor: Anchor; node: Node; sites: Set<string>; rest: string[]; op: JsonPatchOp }
  >();
  const keys: Array<Array<string | null>> = [];
  const planned: Planned[] = entries.map((e, ei) => {
    keys[ei] = [];
    for (const op of e.patch) {
      let key: string | null = null;
      for (const p of op.op === 'move' || op.op === 'copy' ? [op.from, op.path] : [op.path]) {
        const segs = pointerTokens(p);
        const s = sharedOnPath(original, shared, segs, op.op !== 'test' && op.op !== 'add');
        if (s === undefined) continue;
        if (s === 'nested') return { skip: `${where(segs)} goes through more than one anchor or alias` };
        if (s === 'target')
          return {
            skip: `${where(segs)} is anchored as &${shared.get(getNode(original, segs)!)?.name}, and aliases use it`,
          };
        if (op.op === 'move' || op.op === 'copy' || op.op === 'test')
          return { skip: `${where(segs)} is shared through an anchor (&${shared.get(s.node)!.name})` };
        const a = shared.get(s.node)!;
        if (a.hidden)
          return { skip: `${where(segs)} is shared through &${a.name}, which a \`<<\` merge also uses` };
        const rest = segs.slice(s.depth);
        key = `${[...shared.keys()].indexOf(s.node)}|${op.op}|${JSON.stringify(rest)}|${JSON.stringify('value' in op ? op.value : null)}`;
        const u = uses.get(key) ?? { anchor: a, node: s.node, sites: new Set<string>(), rest, op };
        u.sites.add(JSON.stringify(segs.slice(0, s.depth)));
        uses.set(key, u);
      }
      keys[ei].push(key);
    }
    return { ops: [], expect: [] };
  });
  const done = new Set<string>();
  for (let ei = 0; ei < entries.length; ei++) {
    const p = planned[ei]!;
    if ('skip' in p) continue;
    for (let oi = 0; oi < entries[ei]!.patch.length; oi++) {
      const op = entries[ei]!.patch[oi]!;
      const key = keys[ei]![oi];
      if (key === null || key === undefined) {
        p.ops.push(op);
        p.expect.push(op);
        continue;
      }
      const u = uses.get(key)!;
      const all = u.anchor.sites.map((s) => JSON.stringify(s));
      if (!all.every((s) => u.sites.has(s))) {
        planned[ei] = {
          skip: `${where(pointerTokens(op.path))} is shared through the anchor &${u.anchor.name} (used at ${u.anchor.sites.map(where).join(', ')}), and not every place that uses it has this fix: edit it by hand`,
        };
        break;
      }
      if (done.has(key)) continue; // applied once, at the anchor, by an earlier patch
      done.add(key);
      const def = u.anchor.sites[0]!;
      p.ops.push({ ...op, path: ptr([...def, ...u.rest]) });
      for (const site of u.anchor.sites) p.expect.push({ ...op, path: ptr([...site, ...u.rest]) });
    }
  }
  return planned;
}

function fixDocument(docText: string, entries: Entry[], skip: (f: Finding, why: string) => void): string {
  const eol = docText.includes('\r\n') ? '\r\n' : '\n';
  const planned = plan(parseDocument(docText, YAML_OPTIONS), entries);

  let text = docText;
  entries.forEach((e, ei) => {
    const p = planned[ei]!;
    if ('skip' in p) {
      skip(e.finding, p.skip);
      return;
    }
    const doc = parseDocument(text, YAML_OPTIONS) as Doc;
    let before: unknown;
    try {
      before = doc.toJS({ maxAliasCount: 100 });
    } catch {
      skip(e.finding, 'the document cannot be read (too many aliases)');
      return;
    }
    // a patch whose `test` fails is not for this document any more
    for (const op of e.patch)
      if (op.op === 'test' && !sameJson(getAt(before, pointerTokens(op.path)), op.value)) return;
    let next = text;
    try {
      for (const op of p.ops) next = applyOp(next, op, eol);
    } catch (err) {
      if (!(err instanceof Skip)) throw err;
      skip(e.finding, err.message);
      return;
    }
    if (next === text) return;
    // the edited document must read as the patched value, and nothing else may have changed
    let want: unknown = structuredClone(before);
    for (const op of p.expect) want = patchValue(want, op);
    const after = parseDocument(next, YAML_OPTIONS) as Doc;
    let got: unknown;
    try {
      got = after.errors.length === 0 ? after.toJS({ maxAliasCount: 100 }) : undefined;
    } catch {
      got = undefined;
    }
    if (after.errors.length > 0 || !sameJson(got, want)) {
      skip(
        e.finding,
        'the edit would not give exactly the patched value (anchors, merge keys or an unusual layout): edit it by hand',
      );
      return;
    }
    text = next;
  });
  return text;
}

function getNode(doc: Doc, segs: readonly string[]): Node | undefined {
  let cur = (doc.contents ?? undefined) as Node | undefined;
  for (const s of segs) {
    if (isMap(cur))
      cur = (cur.items.findLast((p) => isScalar(p.key) && keyString(p.key.value) === s)?.value ??
        undefined) as Node | undefined;
    else if (isSeq(cur)) cur = cur.items[Number(s)] as Node | undefined;
    else return undefined;
  }
  return cur;
}

/**
 * Apply the fixes carried by `findings` (those with a location in this text) and return the new
 * text. Documents without fixes are kept byte for byte, and in a fixed document only the edited
 * nodes' bytes change. Fixes that cannot be applied that way are left out and reported to
 * `options.onSkip`. Given a file read with `decodeSource` that has invalid bytes, nothing is
 * fixed: its text is not the file's content.
 */
export function applyFixes(
  input: string | DecodedSource,
  findings: readonly Finding[],
  options: FixOptions = {},
): string {
  const mine = findings.filter(
    (f) => f.fix && f.location && !f.suppressed && (f.fix.safety !== 'unsafe' || options.unsafe),
  );
  const skip = (f: Finding, why: string) => options.onSkip?.(f, why);
  const text = typeof input === 'string' ? input : input.text;
  if (typeof input !== 'string' && input.errors.length > 0) {
    for (const f of mine)
      skip(f, `the file is not valid ${input.encoding.toUpperCase()}, so it is not rewritten`);
    return text;
  }
  const byDoc = new Map<number, Entry[]>();
  for (const f of mine) {
    const prefix = f.location!.pointer ?? '';
    const patch = f.fix!.patch.map((op) => ({
      ...op,
      path: prefix + op.path,
      ...('from' in op ? { from: prefix + op.from } : {}),
    }));
    byDoc.set(f.location!.document, [...(byDoc.get(f.location!.document) ?? []), { finding: f, patch }]);
  }
  if (byDoc.size === 0) return text;
  const docs = parseAllDocuments(text, YAML_OPTIONS);
  if (!Array.isArray(docs)) return text;
  let out = '';
  let cursor = 0;
  docs.forEach((doc, i) => {
    const entries = byDoc.get(i + 1);
    if (!entries) return;
    if (doc.errors.length > 0) {
      for (const e of entries) skip(e.finding, 'the document has syntax errors');
      return;
    }
    // The document's own text: after the previous document up to its end (its `---` and comments).
    const start = i === 0 ? 0 : docs[i - 1]!.range[2];
    const end = doc.range[2];
    out += text.slice(cursor, start) + fixDocument(text.slice(start, end), entries, skip);
    cursor = end;
  });
  return out + text.slice(cursor);
}
