// The fixer's properties over random YAML documents (see gen/fix-check.ts), bounded for the default
// suite: FIX_PROPERTY_RUNS / FIX_PROPERTY_SEED change them; test/proof runs many more cases.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkFixCase, fixCaseArb } from './gen/fix-check.js';

const RUNS = Number(process.env.FIX_PROPERTY_RUNS ?? 150);
const SEED = Number(process.env.FIX_PROPERTY_SEED ?? 14);

describe('applyFixes on random YAML documents', () => {
  it('gives the patched value; only the edited node changes; nothing is skipped without a reason; idempotent', () => {
    fc.assert(fc.property(fixCaseArb, checkFixCase), {
      numRuns: RUNS,
      seed: SEED,
      interruptAfterTimeLimit: 60_000,
    });
  });
});
