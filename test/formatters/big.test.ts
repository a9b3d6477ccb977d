// Big reports: every format streams 150,000 findings (past the 125k where a spread into Math.max
// used to throw) in bounded memory, and a smaller run of the same shape is well-formed end to end.
// The million-finding run is in test/proof/bigfile.proof.ts.
import { describe, expect, it } from 'vitest';
import { formatNames, formatters, formatToString, type FormatName } from '../../src/formatters/index.js';
import { parseXml } from './xml.js';
import { consume, expectWellFormedEdges, syntheticReport } from './synthetic.js';

describe('big reports', () => {
  const big = syntheticReport(150_000);

  it.each(formatNames)('%s streams 150,000 findings in bounded memory', (name) => {
    const out = consume(formatters[name](big.findings, big.ctx));
    expect(out.bytes).toBeGreaterThan(big.visible.total * 40);
    expectWellFormedEdges(name, out, big);
    expect(out.peakHeapGrowthMiB).toBeLessThan(300);
  });

  describe('a smaller report of the same shape is well-formed throughout', () => {
    const small = syntheticReport(3_000);
    const text = (name: FormatName) => formatToString(formatters[name], small.findings, small.ctx);

    it('json and sarif parse, with every finding', () => {
      const report = JSON.parse(text('json')) as { summary: { errors: number }; findings: unknown[] };
      expect(report.summary.errors).toBe(small.visible.errors);
      expect(report.findings).toHaveLength(small.findings.length);
      const log = JSON.parse(text('sarif')) as { runs: { results: unknown[] }[] };
      expect(log.runs[0]!.results).toHaveLength(small.findings.length);
    });

    it('gitlab parses, with every unsuppressed finding', () => {
      expect(JSON.parse(text('gitlab'))).toHaveLength(small.visible.total);
    });

    it('junit is well-formed XML with a failure per unsuppressed finding', () => {
      const root = parseXml(text('junit'));
      const failures = root.children.flatMap((s) => s.children.flatMap((c) => c.children));
      expect(failures).toHaveLength(small.visible.total);
      expect(Number(root.attrs.tests)).toBe(root.children.reduce((n, s) => n + s.children.length, 0));
    });

    it.each(formatNames)('%s: the start and end look the same as at 150,000', (name) => {
      const out = consume(formatters[name](small.findings, small.ctx));
      expectWellFormedEdges(name, out, small);
    });
  });
});
