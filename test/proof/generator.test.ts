// The object generators' promises: the schema walk's mutations all apply (the hostile-input tests
// use it); the realistic objects of the differential proof pass shipshape's schema check (the
// proof itself measures that the API server accepts them) and every mutation class applies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bundledSchemas } from '../../src/schema/bundled.js';
import { SchemaRegistry } from '../../src/schema/registry.js';
import { COMMON_KINDS, MUTATIONS, ObjectGenerator, SchemaSet, caseArb } from './gen/k8s-objects.js';
import { ALL_MUTATIONS, BUILDERS, realisticCaseArb, realisticKinds } from './gen/realistic.js';

describe('generated Kubernetes objects', () => {
  const schemas = new SchemaSet('1.30');
  const gen = new ObjectGenerator(schemas);

  it('mutations apply', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(caseArb(gen, COMMON_KINDS), ({ case: c }) => {
        if (c.mutation) seen.add(c.mutation.kind);
      }),
      { numRuns: 200, seed: 11 },
    );
    expect([...seen].sort()).toEqual([...MUTATIONS].sort());
  });
});

describe('realistic objects (the differential proof against the API server)', () => {
  const schemas = new SchemaSet('1.37');
  const registry = new SchemaRegistry(bundledSchemas(), '1.37');
  const kinds = realisticKinds(schemas);

  it('cover the kinds people write, and every builder is for a kind the bundled schemas know', () => {
    expect(kinds.length).toBe(Object.keys(BUILDERS).length);
    expect(kinds.length).toBeGreaterThanOrEqual(50);
  });

  it('valid objects pass the schema check', () => {
    fc.assert(
      fc.property(realisticCaseArb(schemas, kinds), (c) => {
        if (c.mutation) return;
        const found = registry.lookup(c.object.apiVersion as string, c.object.kind as string);
        if (found.status !== 'found') throw new Error(`${c.key}: ${found.status}`);
        expect(found.check(JSON.parse(JSON.stringify(c.object)), { strict: true, redact: false })).toEqual(
          [],
        );
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('every mutation class applies', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(realisticCaseArb(schemas, kinds), (c) => {
        if (c.mutation) seen.add(c.mutation.kind);
      }),
      { numRuns: 10_000, seed: 11 },
    );
    expect([...seen].sort()).toEqual([...ALL_MUTATIONS].sort());
  });
});
