// The parser's, locator's and fixer's properties on many more random cases than the default suite
// runs (test/source/fix-properties.test.ts, test/proof/hostile.test.ts), over several seeds.
// SOURCE_PROPERTY_RUNS sets the cases per seed.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkFixCase, fixCaseArb } from '../source/gen/fix-check.js';
import { bytesArb, checkBytesCase, checkLocateCase, locateCaseArb } from '../source/gen/parser-check.js';

const RUNS = Number(process.env.SOURCE_PROPERTY_RUNS ?? 2000);
const SEEDS = [101, 202, 303];
const bound = { interruptAfterTimeLimit: 120_000, markInterruptAsFailure: false } as const;

describe('source properties, many cases', () => {
  for (const seed of SEEDS) {
    it(`applyFixes on random YAML documents (seed ${seed})`, () => {
      fc.assert(fc.property(fixCaseArb, checkFixCase), { numRuns: RUNS, seed, ...bound });
    });
    it(`random bytes in random encodings (seed ${seed})`, () => {
      fc.assert(fc.property(bytesArb, checkBytesCase), { numRuns: RUNS, seed, ...bound });
    });
    it(`locate stays inside its document (seed ${seed})`, () => {
      fc.assert(fc.property(locateCaseArb, checkLocateCase), { numRuns: RUNS, seed, ...bound });
    });
  }
});
