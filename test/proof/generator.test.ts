// The object generator's own promise: what it calls valid, shipshape's schema check accepts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bundledSchemas } from '../../src/schema/bundled.js';
import { SchemaRegistry } from '../../src/schema/registry.js';
import { COMMON_KINDS, MUTATIONS, ObjectGenerator, SchemaSet, caseArb } from './gen/k8s-objects.js';

describe('generated Kubernetes objects', () => {
  const schemas = new SchemaSet('1.30');
  const gen = new ObjectGenerator(schemas);
  const registry = new SchemaRegistry(bundledSchemas(), '1.30');

  it('valid objects pass the schema check', () => {
    for (const key of COMMON_KINDS) {
      fc.assert(
        fc.property(gen.valid(key), (obj) => {
          const found = registry.lookup(obj.apiVersion as string, obj.kind as string);
          if (found.status !== 'found') throw new Error(`${key}: ${found.status}`);
          expect(found.check(obj, { strict: true, redact: false })).toEqual([]);
        }),
        { numRuns: Number(process.env.GEN_RUNS ?? 15), seed: 7 },
      );
    }
  });

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
