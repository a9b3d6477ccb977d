// The one JSON-data patch applier (src/engine/patch.ts): what a fix means on an object.
import { describe, expect, it } from 'vitest';
import { applyPatch, clone, jsonEqual } from '../../src/engine/patch.js';

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
