// The one JSON-data patch applier (src/engine/patch.ts): what a fix means on an object.
import { describe, expect, it } from 'vitest';
import { applyPatch, clone, jsonEqual, patchedCopy } from '../../src/engine/patch.js';
import type { JsonPatchOp } from '../../src/engine/types.js';

describe('applyPatch', () => {
  it('creates missing parent objects for add, as rules patch targets that may lack them', () => {
    const doc = { spec: { containers: [{ name: 'c' }] } };
    const r = applyPatch(doc, [
      { op: 'add', path: '/spec/containers/0/securityContext/runAsNonRoot', value: true },
    ]);
    expect(r).toEqual({ applied: true, changed: true });
    expect(doc.spec.containers[0]).toEqual({ name: 'c', securityContext: { runAsNonRoot: true } });
  });

  it('is atomic: a failing test operation leaves the document untouched', () => {
    const doc = { a: 1, b: { c: 2 } };
    const r = applyPatch(doc, [
      { op: 'replace', path: '/a', value: 9 },
      { op: 'test', path: '/b/c', value: 3 },
    ]);
    expect(r).toEqual({ applied: false, changed: false });
    expect(doc).toEqual({ a: 1, b: { c: 2 } });
  });

  it('honours a test that holds, and applies the rest', () => {
    const doc = { a: 1, b: { c: 2 } };
    expect(
      applyPatch(doc, [
        { op: 'test', path: '/b/c', value: 2 },
        { op: 'replace', path: '/a', value: 9 },
      ]),
    ).toEqual({ applied: true, changed: true });
    expect(doc.a).toBe(9);
  });

  it('treats removing something absent and adding the value already there as no change', () => {
    const doc = { a: { b: 1 } };
    expect(applyPatch(doc, [{ op: 'remove', path: '/a/x' }])).toEqual({ applied: true, changed: false });
    expect(applyPatch(doc, [{ op: 'add', path: '/a/b', value: 1 }])).toEqual({
      applied: true,
      changed: false,
    });
    expect(doc).toEqual({ a: { b: 1 } });
  });

  it('inserts, appends and removes array items', () => {
    const doc = { l: ['a', 'c'] };
    applyPatch(doc, [{ op: 'add', path: '/l/1', value: 'b' }]);
    applyPatch(doc, [{ op: 'add', path: '/l/-', value: 'd' }]);
    applyPatch(doc, [{ op: 'remove', path: '/l/0' }]);
    expect(doc.l).toEqual(['b', 'c', 'd']);
  });

  it('does not apply through a scalar parent, or to an index out of range', () => {
    const doc = { spec: 'text', l: [1] };
    expect(applyPatch(doc, [{ op: 'add', path: '/spec/x', value: 1 }]).applied).toBe(false);
    expect(applyPatch(doc, [{ op: 'add', path: '/l/5', value: 1 }]).applied).toBe(false);
    expect(applyPatch(doc, [{ op: 'replace', path: '/l/1', value: 1 }]).applied).toBe(false);
    expect(doc).toEqual({ spec: 'text', l: [1] });
  });

  it('moves and copies values', () => {
    const doc = { a: { x: [1] }, b: {} as Record<string, unknown> };
    applyPatch(doc, [{ op: 'copy', from: '/a/x', path: '/b/y' }]);
    (doc.b.y as number[]).push(2);
    expect(doc.a.x).toEqual([1]);
    applyPatch(doc, [{ op: 'move', from: '/a/x', path: '/b/z' }]);
    expect(doc).toEqual({ a: {}, b: { y: [1, 2], z: [1] } });
  });

  it('writes a "__proto__" key as data and never changes a prototype, also in multi-op patches', () => {
    const doc = JSON.parse('{"metadata":{"name":"x"}}') as { metadata: Record<string, unknown> };
    applyPatch(doc, [
      { op: 'add', path: '/metadata/__proto__', value: { polluted: true } },
      { op: 'add', path: '/metadata/labels', value: {} },
    ]);
    expect(Object.keys(doc.metadata)).toEqual(['name', '__proto__', 'labels']);
    expect(Object.getPrototypeOf(doc.metadata)).toBe(Object.prototype);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('rejects a malformed pointer without throwing', () => {
    expect(applyPatch({ a: 1 }, [{ op: 'remove', path: 'a' }])).toEqual({ applied: false, changed: false });
  });
});

describe('jsonEqual', () => {
  it('compares structurally, key order aside', () => {
    expect(jsonEqual({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] })).toBe(true);
    expect(jsonEqual({ a: [1] }, { a: [1, 2] })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
  });
});

describe('clone (the mutation path’s deep copy)', () => {
  it('copies JSON data deeply, equal and independent', () => {
    const original = JSON.parse(
      '{"a":1,"b":"x","c":null,"d":true,"e":[1,{"f":[2,3]}],"g":{"h":{"i":"j"}},"k":[]}',
    ) as Record<string, unknown>;
    const copy = clone(original);
    expect(copy).toEqual(original);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(original)); // same key order
    ((copy.e as unknown[])[1] as { f: number[] }).f.push(4);
    (copy.g as { h: { i: string } }).h.i = 'changed';
    expect(original).toEqual(
      JSON.parse('{"a":1,"b":"x","c":null,"d":true,"e":[1,{"f":[2,3]}],"g":{"h":{"i":"j"}},"k":[]}'),
    );
  });

  it('keeps a "__proto__" key as data and never changes a prototype', () => {
    const original = JSON.parse('{"metadata":{"__proto__":{"polluted":true},"name":"x"}}') as {
      metadata: Record<string, unknown>;
    };
    const copy = clone(original);
    expect(Object.keys(copy.metadata)).toEqual(['__proto__', 'name']);
    expect(Object.getPrototypeOf(copy.metadata)).toBe(Object.prototype);
    expect((copy.metadata as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(original));
  });
});

/** Freeze every container of `value`: any write into it then throws (the test files are modules: strict). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('patchedCopy (copy-on-write applyPatch)', () => {
  const DOC =
    '{"metadata":{"name":"x","labels":{"a":"1"}},"spec":{"containers":[{"name":"c","image":"i"},{"name":"d"}],"hostNetwork":true}}';
  const CASES: [string, string, JsonPatchOp[]][] = [
    ['add into an existing map', DOC, [{ op: 'add', path: '/metadata/labels/env', value: 'prod' }]],
    [
      'add with missing parents',
      DOC,
      [{ op: 'add', path: '/spec/containers/1/securityContext/runAsNonRoot', value: true }],
    ],
    ['replace', DOC, [{ op: 'replace', path: '/spec/containers/0/image', value: 'j' }]],
    ['remove a field', DOC, [{ op: 'remove', path: '/spec/hostNetwork' }]],
    [
      'insert, append and remove list items',
      DOC,
      [
        { op: 'add', path: '/spec/containers/0', value: { name: 'first' } },
        { op: 'add', path: '/spec/containers/-', value: { name: 'last' } },
        { op: 'remove', path: '/spec/containers/1' },
      ],
    ],
    [
      'move and copy',
      DOC,
      [
        { op: 'copy', from: '/metadata/labels', path: '/spec/labels' },
        { op: 'move', from: '/spec/containers/1', path: '/spec/extra' },
        { op: 'add', path: '/spec/labels/b', value: '2' },
      ],
    ],
    [
      'a test that holds',
      DOC,
      [
        { op: 'test', path: '/metadata/name', value: 'x' },
        { op: 'add', path: '/metadata/uid', value: 'u' },
      ],
    ],
    [
      'a failing test: nothing applied',
      DOC,
      [
        { op: 'remove', path: '/spec/hostNetwork' },
        { op: 'test', path: '/metadata/name', value: 'y' },
      ],
    ],
    ['through a scalar: not applied', DOC, [{ op: 'add', path: '/metadata/name/x', value: 1 }]],
    ['an index out of range: not applied', DOC, [{ op: 'replace', path: '/spec/containers/5', value: {} }]],
    [
      'no-ops: unchanged',
      DOC,
      [
        { op: 'remove', path: '/spec/absent' },
        { op: 'add', path: '/metadata/name', value: 'x' },
      ],
    ],
    [
      'a "__proto__" key stays data in the copies',
      '{"metadata":{"__proto__":{"p":1},"name":"x"}}',
      [{ op: 'add', path: '/metadata/labels', value: {} }],
    ],
  ];

  it.each(CASES)(
    '%s: the same result as applyPatch on a deep copy, the original untouched',
    (_, text, patch) => {
      const doc = deepFreeze(JSON.parse(text) as Record<string, unknown>);
      const expected = clone(doc);
      const verdict = applyPatch(expected, patch);
      const r = patchedCopy(doc, patch);
      expect({ applied: r.applied, changed: r.changed }).toEqual(verdict);
      expect(JSON.stringify(r.value)).toBe(JSON.stringify(expected)); // key order included
      expect(JSON.stringify(doc)).toBe(JSON.stringify(JSON.parse(text))); // frozen: never written
      if (!verdict.changed) expect(r.value).toBe(doc);
    },
  );

  it('shares every part it does not write with the original', () => {
    const doc = deepFreeze(JSON.parse(DOC) as { metadata: object; spec: { containers: object[] } });
    const r = patchedCopy(doc, [{ op: 'add', path: '/spec/containers/0/imagePullPolicy', value: 'Always' }]);
    expect(r.value).not.toBe(doc);
    expect(r.value.metadata).toBe(doc.metadata);
    expect(r.value.spec.containers[1]).toBe(doc.spec.containers[1]);
    expect(r.value.spec.containers[0]).not.toBe(doc.spec.containers[0]);
  });

  it('writes its own copies in place on the next call with the same set, and stays atomic', () => {
    const doc = deepFreeze(JSON.parse(DOC) as Record<string, unknown>);
    const owned = new Set<object>();
    const first = patchedCopy(doc, [{ op: 'add', path: '/metadata/labels/env', value: 'prod' }], owned).value;
    const second = patchedCopy(first, [{ op: 'add', path: '/metadata/labels/tier', value: 'gold' }], owned);
    expect(second.value).toBe(first);
    expect((first.metadata as { labels: object }).labels).toEqual({ a: '1', env: 'prod', tier: 'gold' });
    // a multi-operation patch that fails leaves the containers of earlier calls as they were
    const failed = patchedCopy(
      first,
      [
        { op: 'remove', path: '/metadata/labels/env' },
        { op: 'test', path: '/metadata/name', value: 'nope' },
      ],
      owned,
    );
    expect(failed).toEqual({ value: first, applied: false, changed: false });
    expect((first.metadata as { labels: object }).labels).toEqual({ a: '1', env: 'prod', tier: 'gold' });
  });

  it('never writes into a value an operation inserted (it may be shared: a config value)', () => {
    const value = deepFreeze({ runAsNonRoot: true });
    const owned = new Set<object>();
    const doc = { spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
    let r = patchedCopy(doc, [{ op: 'add', path: '/spec/containers/0/securityContext', value }], owned).value;
    r = patchedCopy(r, [{ op: 'add', path: '/spec/containers/1/securityContext', value }], owned).value;
    r = patchedCopy(
      r,
      [{ op: 'add', path: '/spec/containers/0/securityContext/runAsUser', value: 1000 }],
      owned,
    ).value;
    expect(r.spec.containers.map((c) => (c as { securityContext?: unknown }).securityContext)).toEqual([
      { runAsNonRoot: true, runAsUser: 1000 },
      { runAsNonRoot: true },
    ]);
    expect(doc).toEqual({ spec: { containers: [{ name: 'a' }, { name: 'b' }] } });
  });
});
