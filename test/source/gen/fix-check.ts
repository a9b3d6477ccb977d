/**
 * The fixer's properties on one random case (test/source/fix-properties.test.ts runs a bounded
 * number of cases, test/proof/source-properties.proof.ts many more): the edited document reads as the
 * JSON patch applied to its value and nothing else changed; only bytes inside the edited node
 * change; nothing is skipped without a reason (nor, without anchors in the way, at all when the
 * patch can apply); applying the fix twice equals applying it once.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { isMap, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';
import type { Finding, JsonPatchOp } from '../../../src/engine/types.js';
import { applyFixes } from '../../../src/source/fix.js';
import { YAML_OPTIONS } from '../../../src/source/yaml-fallback.js';
import { jsonArb, opFor, styledArb } from './yaml-docs.js';

const finding = (document: number, patch: JsonPatchOp[]): Finding => ({
  ruleId: 'r',
  severity: 'warn',
  category: 'security',
  message: 'm',
  resource: { apiVersion: 'v1', kind: 'Pod' },
  path: '',
  helpUri: '',
  location: { file: 'f.yaml', document, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
  fix: { safety: 'safe', patch },
});

const tokens = (p: string) =>
  p === ''
    ? []
    : p
        .slice(1)
        .split('/')
        .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The value after `op` as the fixer promises it: RFC 6902, where `add` (and `replace` of a missing
 * path) also creates missing parent objects, in place of a null too; `undefined` when the op cannot
 * apply (a parent is a string, number, boolean or list without that index).
 */
function patched(value: unknown, op: JsonPatchOp): unknown {
  const segs = tokens(op.path);
  const root = { v: structuredClone(value) } as Record<string, unknown>;
  let parent: unknown = root;
  let key = 'v';
  for (const s of segs) {
    const p = parent as Record<string, unknown>;
    let cur = p[key];
    if (cur === undefined || cur === null) {
      if (op.op === 'remove') return value;
      cur = {};
      p[key] = cur;
    } else if (typeof cur !== 'object') return undefined;
    if (Array.isArray(cur) && !(s === '-' || (/^(0|[1-9]\d*)$/.test(s) && Number(s) <= cur.length)))
      return undefined;
    parent = cur;
    key = s;
  }
  const v = 'value' in op ? structuredClone(op.value) : undefined;
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (op.op === 'remove') {
      if (i < parent.length) parent.splice(i, 1);
    } else if (op.op === 'add') parent.splice(i, 0, v);
    else if (i < parent.length) parent[i] = v;
    else parent.push(v);
  } else if (op.op === 'remove') delete (parent as Record<string, unknown>)[key];
  else Object.defineProperty(parent, key, { value: v, writable: true, enumerable: true, configurable: true });
  return root.v;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObj(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys(v[k])]),
    );
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}

const lineStart = (t: string, i: number) => t.lastIndexOf('\n', i - 1) + 1;
const lineEnd = (t: string, i: number) => {
  const j = t.indexOf('\n', i);
  return j < 0 ? t.length : j + 1;
};

/**
 * The bytes a fix of `op` may touch, computed from the original AST: the collection whose content
 * changes (the target's parent, or the closest existing ancestor of a missing path; its parent when
 * it is a null value or would become empty). Flow nodes: exactly their text; block nodes: their lines.
 */
function editableRegion(text: string, document: number, op: JsonPatchOp): [number, number] {
  const doc = parseAllDocuments(text, YAML_OPTIONS) as unknown as Array<{ contents: Node | null }>;
  const chain: Node[] = [];
  let cur: Node | null | undefined = doc[document - 1]!.contents;
  const segs = tokens(op.path);
  for (const s of segs) {
    if (!cur) break;
    chain.push(cur);
    if (isMap(cur))
      cur = (cur.items.findLast((p) => isScalar(p.key) && String(p.key.value) === s)?.value ?? undefined) as
        Node | undefined;
    else if (isSeq(cur) && /^\d+$/.test(s)) cur = cur.items[Number(s)] as Node | undefined;
    else cur = undefined;
  }
  const found = cur !== undefined && chain.length === segs.length;
  let i = chain.length - 1; // index in chain of the container that changes
  if (!found && i >= 0 && isScalar(chain[i])) i--; // a null ancestor: its parent's entry changes
  if (found && op.op === 'remove' && (chain[i] as { items?: unknown[] }).items?.length === 1) i--;
  if (i < 0) return [0, text.length];
  const n = chain[i]! as Node & { flow?: boolean };
  const [s, e] = n.range!;
  if (n.flow) return [s, e];
  return [lineStart(text, s), text[e - 1] === '\n' ? e : lineEnd(text, e)];
}

/** The changed window of `after` against `before`, in `before`'s offsets. */
function changed(before: string, after: string): [number, number] {
  let p = 0;
  while (p < before.length && p < after.length && before[p] === after[p]) p++;
  let q = 0;
  while (
    q < before.length - p &&
    q < after.length - p &&
    before[before.length - 1 - q] === after[after.length - 1 - q]
  )
    q++;
  return [p, before.length - q];
}

const docValue = (text: string, document: number): unknown => {
  const docs = parseAllDocuments(text, YAML_OPTIONS) as unknown as Array<{
    errors: unknown[];
    toJS(o: object): unknown;
  }>;
  const d = docs[document - 1]!;
  expect(d.errors).toEqual([]);
  return d.toJS({ maxAliasCount: 1000 });
};

export const fixCaseArb = fc.record({
  doc: styledArb,
  pick: fc.nat(),
  kind: fc.nat(),
  value: jsonArb,
  key: fc.constantFrom('a', 'new', 'name', 'on', 'x y', '0'),
});

export type FixCase = typeof fixCaseArb extends fc.Arbitrary<infer T> ? T : never;

/** Check one case; throws (an expect failure) when a property does not hold. */
export function checkFixCase({ doc: { text, document }, pick, kind, value, key }: FixCase): void {
  // the yaml package's stringify occasionally writes text its parser refuses: not a case
  fc.pre(parseAllDocuments(text, YAML_OPTIONS).every((d) => d.errors.length === 0));
  const before = docValue(text, document);
  const op = opFor(before, pick, kind, value, key);
  const skipped: string[] = [];
  const f = finding(document, [op]);
  const out = applyFixes(text, [f], { onSkip: (_f, why) => skipped.push(why) });
  const want = patched(before, op);
  const shared = /(^|[\s[{,:-])[&*<]/.test(text); // anchors, aliases or merge keys
  if (out === text) {
    // nothing changed: the op was a no-op, or it was skipped with a reason
    if (skipped.length === 0) expect(want === undefined || sameJson(want, before)).toBe(true);
    else expect(skipped[0]).toMatch(/\S/);
    if (want !== undefined && !shared && !sameJson(want, before))
      expect.fail(`skipped without anchors in the way: ${skipped.join('; ')}\n${op.op} ${op.path}\n${text}`);
    return;
  }
  expect(skipped).toEqual([]);
  // the patched value, and the other document untouched
  expect(want, `${op.op} ${op.path} cannot apply, yet the text changed`).toBeDefined();
  expect(
    sameJson(docValue(out, document), want),
    `${op.op} ${op.path}\n--- before\n${text}\n--- after\n${out}`,
  ).toBe(true);
  if (document === 2) expect(out.startsWith(text.slice(0, text.indexOf('---')))).toBe(true);
  // only bytes inside the edited node changed
  if (!shared) {
    const [s, e] = editableRegion(text, document, op);
    const [cs, ce] = changed(text, out);
    expect(
      cs >= s && ce <= e,
      `changed ${cs}..${ce} outside ${s}..${e} for ${op.op} ${op.path}\n${text}\n---\n${out}`,
    ).toBe(true);
  }
  // twice = once (appending and inserting into lists are not idempotent by definition)
  const seg = tokens(op.path).at(-1);
  const listOp = seg === '-' || (op.op !== 'replace' && /^\d+$/.test(seg ?? ''));
  if (!listOp) expect(applyFixes(out, [f])).toBe(out);
}
