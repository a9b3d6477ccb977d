// Inline directives at scale: the suppressor's per-file index picks the same directive as a scan
// of the file's directives (matchDirective) over random files, and looks at only a few of them
// per finding however many the file holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aliasTable } from '../../src/engine/suppress.js';
import type { Finding } from '../../src/engine/types.js';
import { matchDirective, scanDirectives } from '../../src/source/directives.js';
import { Suppressor } from '../../src/source/suppressions.js';

const FILE = '/w/a.yaml';
const RULES = ['r1', 'r2', 'r3'];

function finding(ruleId: string, line: number): Finding {
  return {
    ruleId,
    severity: 'warn',
    category: 'security',
    message: 'm',
    resource: { apiVersion: 'v1', kind: 'Pod', name: 'p' },
    path: '',
    location: { file: FILE, document: 1, start: { line, column: 1 }, end: { line, column: 2 } },
    helpUri: '',
  };
}

const suppressor = () => new Suppressor({ inline: true, aliases: aliasTable([]) });

/** One line of a manifest: plain content, a comment, a blank, or a directive of any kind. */
const lineArb = fc.oneof(
  fc.constant('key: value'),
  fc.constant('# a comment'),
  fc.constant(''),
  fc
    .tuple(
      fc.constantFrom('disable-next-line', 'disable-line', 'disable', 'enable', 'disable-file'),
      fc.subarray(RULES),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([kind, rules, trailing, reason]) => {
      const d = `# shipshape-${kind}${rules.length ? ` ${rules.join(', ')}` : ''}${reason ? ' -- why' : ''}`;
      return trailing ? `key: value ${d}` : d;
    }),
);

describe('inline directives', () => {
  it('suppress exactly what a scan of the directives decides, over random files', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 40 }), (lines) => {
        const text = lines.join('\n');
        const ds = scanDirectives(text);
        const s = suppressor();
        s.addFile(FILE, text);
        for (let line = 1; line <= lines.length + 1; line++)
          for (const rule of [...RULES, 'r4']) {
            const d = matchDirective(ds, rule, line);
            const got = s.hook(finding(rule, line), undefined);
            expect(got).toEqual(d ? { kind: 'inline', justification: d.justification } : undefined);
          }
        // The same directives count as used.
        const used = new Set(s.unusedDirectives().map((f) => f.location!.start.line));
        for (const d of ds) {
          if (d.kind === 'enable') continue;
          const wasUsed = RULES.concat('r4').some((rule) =>
            Array.from({ length: lines.length + 1 }, (_, i) => i + 1).some(
              (line) => matchDirective(ds, rule, line) === d,
            ),
          );
          expect(used.has(d.line)).toBe(!wasUsed);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('look at a few directives per finding in a file with thousands of them', () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      lines.push(`# shipshape-disable-next-line rule-${i} -- generated`);
      lines.push(`key${i}: value`);
    }
    lines.push('# shipshape-disable rule-x', 'a: 1', '# shipshape-enable rule-x', 'b: 1');
    const text = lines.join('\n');
    const s = suppressor();
    s.addFile(FILE, text);
    const n = lines.length;
    for (let i = 0; i < 5000; i++) {
      expect(s.hook(finding(`rule-${i}`, 2 * i + 2), undefined)?.justification).toBe('generated');
      expect(s.hook(finding(`rule-${i}`, 2 * i + 4), undefined)).toBeUndefined();
      expect(s.hook(finding('rule-x', 2 * i + 2), undefined)).toBeUndefined();
    }
    expect(s.hook(finding('rule-x', n - 2), undefined)).toEqual({ kind: 'inline', justification: undefined });
    expect(s.hook(finding('rule-x', n), undefined)).toBeUndefined();
    // A scan looks at all 10,002 directives for each of these 15,002 findings.
    expect(s.stats.findings).toBe(15_002);
    expect(s.stats.consulted).toBeLessThanOrEqual(4 * s.stats.findings);
  });
});
