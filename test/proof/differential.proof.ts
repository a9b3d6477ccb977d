// Differential proof of schema validation: shipshape (`--preset schema --kubernetes-version 1.37`)
// against the real kube-apiserver 1.37 (strict dry-run create on a private, loopback API server),
// on generated realistic objects with single mutations and on the hand-written sample in
// fixtures/api-sample/. Bounded here (CI); `npm run differential -- --cases 5000` runs more.
// Fails on a false rejection (shipshape rejects what the API server accepts) that is not in the
// documented allow-list, and on an agreement below the floors (docs/differential.md).
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from './apiserver.js';
import {
  describeOutcome,
  generatedCases,
  judgeCases,
  sampleCases,
  summarize,
  type Report,
} from './differential-lib.js';
import { NAMESPACES } from './gen/realistic.js';

const CASES = Number(process.env.DIFFERENTIAL_CASES ?? 300);
const SEED = Number(process.env.DIFFERENTIAL_SEED ?? 20240601);
const MINOR = process.env.DIFFERENTIAL_MINOR ?? '1.37';
/** An older API server (scripts/apiservers.sh), judged against shipshape at that minor. */
const APISERVER = process.env.DIFFERENTIAL_APISERVER;

/**
 * Agreement floors, measured on main at the branch point (docs/differential.md): they may only be
 * raised as the API server's Go validation is ported (issue 12; the bar is 99 %).
 */
// generated: 65.8 % at the oracle's branch point; 98.9 % (5,000 cases, seed 424242) once the Go
// validation was ported; 99.98 % (4,999/5,000) once the last classes were closed; the bar is 99 %
export const GENERATED_AGREEMENT_FLOOR = 0.99;
// the sample is fixed: 364/863 = 42.2 % at the branch point, 856/863 = 99.2 % after the port (bar 99 %)
export const SAMPLE_AGREEMENT_FLOOR = 0.99;
/** Of the generator's valid objects, the API server must accept at least this share. */
export const VALID_ACCEPTED_FLOOR = 0.99;

let server: ApiServer;
const reports: Record<string, Report & { summary: string }> = {};

beforeAll(async () => {
  server = await startApiServer({
    namespaces: NAMESPACES.filter((n) => n !== 'default'),
    ...(APISERVER ? { minor: APISERVER } : {}),
  });
});
afterAll(async () => {
  await server?.stop();
  if (process.env.DIFFERENTIAL_REPORT)
    writeFileSync(process.env.DIFFERENTIAL_REPORT, JSON.stringify(reports, null, 1));
});

describe('differential: shipshape vs the kube-apiserver', () => {
  it(`${CASES} generated cases: no unexplained false rejection, agreement at or above the floor`, async () => {
    const { report, outcomes } = await judgeCases(
      `generated (seed ${SEED})`,
      generatedCases(CASES, SEED, MINOR),
      server,
      MINOR,
    );
    if (process.env.DIFFERENTIAL_OUTCOMES)
      writeFileSync(process.env.DIFFERENTIAL_OUTCOMES, outcomes.map((o) => JSON.stringify(o)).join('\n'));
    const summary = summarize(report);
    reports.generated = { ...report, summary };
    console.log(summary);
    expect(report.unexplained.map(describeOutcome).join('\n\n')).toBe('');
    const valid = report.byClass.valid!;
    // the generator's promise: its valid objects are ones the API server accepts
    expect(valid.cases).toBeGreaterThan(CASES / 10);
    expect(valid.apiAccepts / valid.cases).toBeGreaterThanOrEqual(VALID_ACCEPTED_FLOOR);
    expect(report.agree / report.cases).toBeGreaterThanOrEqual(GENERATED_AGREEMENT_FLOOR);
  });

  it('the hand-written sample: no unexplained false rejection, agreement at or above the floor', async () => {
    const { report } = await judgeCases('api-sample', sampleCases(), server, MINOR);
    const summary = summarize(report);
    reports.sample = { ...report, summary };
    console.log(summary);
    expect(report.cases).toBeGreaterThanOrEqual(500);
    expect(report.unexplained.map(describeOutcome).join('\n\n')).toBe('');
    expect(report.agree / report.cases).toBeGreaterThanOrEqual(SAMPLE_AGREEMENT_FLOOR);
  });
});
