/**
 * fast-check generators of YAML text in the shapes people write: nested mappings and sequences in
 * block and flow style, comments, quoting styles, explicit tags, anchors and aliases (and `<<`
 * merges), indentation variants, CRLF, several documents; plus JSON-patch operations on them.
 */
import fc from 'fast-check';
import { Document, isMap, isScalar, isSeq, Scalar, visit, type YAMLMap, type YAMLSeq } from 'yaml';
import type { JsonPatchOp } from '../../../src/engine/types.js';
import { YAML_OPTIONS } from '../../../src/source/yaml-fallback.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const KEYS = ['a', 'b', 'name', 'metadata', 'on', 'x y', '0', 'spec', 'securityContext', 'k.io/n'];
const STRINGS = [
  'web',
  'yes',
  'on',
  '0777',
  '1:30',
  '#x',
  ' lead',
  'a b',
  "it's",
  'x: y',
  'a\nb',
  '-',
  '~',
  '',
  'é✓',
];

export const scalarArb: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...STRINGS),
  fc.integer({ min: -1000, max: 100000 }),
  fc.constantFrom(1.5, -0.25, 1e21),
  fc.boolean(),
  fc.constant(null),
);

export const jsonArb: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArb,
    fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 4 }),
    fc.array(tie('v'), { maxLength: 4 }),
  ),
})).v;

/** A document's top level: always a mapping with a few keys, like a manifest. */
export const topArb: fc.Arbitrary<Record<string, Json>> = fc.dictionary(fc.constantFrom(...KEYS), jsonArb, {
  minKeys: 1,
  maxKeys: 5,
});

export interface Styled {
  text: string;
  /** Number of documents in the text; the first one is the generated value. */
  documents: number;
}

/** Render `value` as YAML, with style choices drawn from `rand` (0 ≤ r < 1 each). */
export function render(value: Json, rand: () => number, opts: { crlf: boolean; second: boolean }): string {
  const doc = new Document(value, YAML_OPTIONS);
  const anchored: Array<YAMLMap | YAMLSeq> = [];
  let n = 0;
  visit(doc, {
    Node(key, node) {
      const r = rand();
      if (isMap(node) || isSeq(node)) {
        if (node.items.length > 0 && r < 0.35) node.flow = true;
        // never the root: an alias to it from inside it would be a cycle
        if (key !== null && r > 0.85 && !anchored.includes(node)) {
          node.anchor = `a${n++}`;
          anchored.push(node);
        }
      } else if (isScalar(node)) {
        if (typeof node.value === 'string') {
          if (r < 0.15) node.type = Scalar.QUOTE_DOUBLE;
          else if (r < 0.25) node.type = Scalar.QUOTE_SINGLE;
          else if (r < 0.3 && node.value.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
          else if (r > 0.95) node.tag = 'tag:yaml.org,2002:str';
        } else if (Number.isSafeInteger(node.value) && r > 0.92) node.tag = 'tag:yaml.org,2002:int';
      }
      if (rand() < 0.12) node.comment = ` note ${n++}`;
      else if (rand() < 0.08) node.commentBefore = ` before ${n++}`;
    },
  });
  // a few aliases to anchored nodes, placed later in the top-level mapping (so the anchor precedes them)
  if (isMap(doc.contents) && anchored.length > 0) {
    const m = doc.contents;
    if (rand() < 0.6) m.add(doc.createPair(`alias${n++}`, doc.createAlias(anchored[0]!)));
    const target = anchored[anchored.length - 1]!;
    if (isMap(target) && rand() < 0.3) {
      const merged = doc.createNode({ own: 1 });
      merged.items.unshift(doc.createPair('<<', doc.createAlias(target)));
      m.add(doc.createPair(`merged${n++}`, merged));
    }
  }
  let text = doc.toString({
    lineWidth: 0,
    flowCollectionPadding: rand() < 0.5,
    indentSeq: rand() < 0.5,
    indent: rand() < 0.8 ? 2 : 4,
  });
  if (opts.second) text = `# first document\nkind: Other\nlist: [ {name: p}, {name: q} ]\n---\n${text}`;
  if (opts.crlf) text = text.replace(/\n/g, '\r\n');
  return text;
}

/** A rendered document and the random numbers it was styled with. */
export const styledArb = fc
  .record({
    value: topArb,
    seeds: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
      minLength: 64,
      maxLength: 64,
    }),
    crlf: fc.boolean(),
    second: fc.boolean(),
  })
  .map(({ value, seeds, crlf, second }) => {
    let i = 0;
    const rand = () => seeds[i++ % seeds.length]!;
    return { text: render(value, rand, { crlf, second }), document: second ? 2 : 1 };
  });

/** All JSON pointers (as segment lists) of a value, the root included. */
export function pathsOf(v: unknown, at: string[] = [], out: string[][] = []): string[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, String(i)], out));
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out);
  return out;
}

export const ptr = (segs: readonly string[]) =>
  segs.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');

/** An operation on a document whose value is `value`, chosen with the numbers `pick`/`kind`. */
export function opFor(
  value: unknown,
  pick: number,
  kind: number,
  newValue: Json,
  newKey: string,
): JsonPatchOp {
  const paths = pathsOf(value).filter((p) => p.length > 0);
  const path = paths[pick % paths.length]!;
  let parent: unknown = value;
  for (const s of path.slice(0, -1)) parent = (parent as Record<string, unknown>)[s];
  const target = (parent as Record<string, unknown>)[path[path.length - 1]!];
  switch (kind % 6) {
    case 0:
      return { op: 'replace', path: ptr(path), value: newValue };
    case 1:
      return { op: 'remove', path: ptr(path) };
    case 2:
      // a new (or existing) key under a mapping, or a nested missing path
      if (target !== null && typeof target === 'object' && !Array.isArray(target))
        return { op: 'add', path: ptr([...path, newKey]), value: newValue };
      return { op: 'add', path: ptr([...path.slice(0, -1), newKey, 'deep']), value: newValue };
    case 3:
      if (Array.isArray(target)) return { op: 'add', path: ptr([...path, '-']), value: newValue };
      return { op: 'add', path: ptr(path), value: newValue };
    case 4:
      return { op: 'add', path: ptr([...path, newKey]), value: newValue }; // through whatever it is
    default:
      return {
        op: 'replace',
        path: ptr(path),
        value: target === undefined ? newValue : structuredClone(target),
      };
  }
}
