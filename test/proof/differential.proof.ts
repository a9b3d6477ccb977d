// Differential test of schema validation: shipshape (`--preset schema`) against kubectl-validate
// (API-server structural validation, builtin schemas) for the same Kubernetes minor, on generated
// valid and mutated objects. Bounded here (CI); `npm run differential -- --cases 5000` runs more.
// Every disagreement must be in a documented class (docs/differential.md), or the test fails.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeOutcome, requireKubectlValidate, runDifferential, summarize } from './differential-lib.js';

const CASES = Number(process.env.DIFFERENTIAL_CASES ?? 400);
const SEED = Number(process.env.DIFFERENTIAL_SEED ?? 20240601);
// kubectl-validate v0.0.4 ships builtin schemas up to 1.30, so the comparison runs at 1.30.
const MINOR = process.env.DIFFERENTIAL_MINOR ?? '1.30';

describe('differential: shipshape vs kubectl-validate', () => {
  it('kubectl-validate is installed (scripts/install-peers.sh kubectl-validate)', () => {
    expect(requireKubectlValidate()).toBeTruthy();
  });

  it(`${CASES} generated cases agree, or disagree for a documented reason`, async () => {
    const report = await runDifferential({
      cases: CASES,
      seed: SEED,
      minor: MINOR,
      keep: process.env.DIFFERENTIAL_KEEP,
    });
    const summary = summarize(report);
    console.log(summary);
    if (process.env.DIFFERENTIAL_REPORT)
      writeFileSync(process.env.DIFFERENTIAL_REPORT, JSON.stringify({ summary, ...report }, null, 1));
    expect(report.unexplained.map(describeOutcome).join('\n\n')).toBe('');
    // the generator must keep exercising both sides
    expect(report.byMutation.valid?.cases ?? 0).toBeGreaterThan(CASES / 10);
  });
});
