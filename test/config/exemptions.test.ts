// Config exemptions at scale: the indexed suppressor decides exactly as a plain all-pairs scan does
// (property test against a reference written here), and consults only the exemptions that can apply.
import { isAbsolute, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Exemption } from '../../src/config/config.js';
import { exemptionSuppressor } from '../../src/config/exemptions.js';
import { globsMatcher } from '../../src/engine/glob.js';
import type { Finding, Suppression } from '../../src/engine/types.js';

const BASE = '/work/repo';

/** The reference: every exemption, in order, against every finding; the first that applies wins. */
function reference(exemptions: readonly Exemption[], baseDir: string, cwd: string) {
  const compiled = exemptions.map((e) => ({
    ...e,
    // The matcher config globs use (RE2, linear time); the config refuses extended globs.
    nameMatch: e.names && globsMatcher(e.names),
    pathMatch: e.paths && globsMatcher(e.paths),
  }));
  return (f: Finding): Suppression | undefined => {
    for (const e of compiled) {
      if (!e.rules.includes('*') && !e.rules.includes(f.ruleId)) continue;
      if (e.namespaces && !e.namespaces.includes(f.resource.namespace ?? 'default')) continue;
      if (e.kinds && !e.kinds.includes(f.resource.kind)) continue;
      if (e.nameMatch && !e.nameMatch(f.resource.name ?? '')) continue;
      if (e.paths) {
        const file = f.location?.file;
        if (!file || file === '-') continue;
        const abs = isAbsolute(file) ? file : resolve(cwd, file);
        if (!e.pathMatch!(relative(baseDir, abs).split('\\').join('/'))) continue;
      }
      return { kind: 'config', justification: e.reason };
    }
    return undefined;
  };
}

function finding(
  ruleId: string,
  r: { kind: string; name?: string; namespace?: string },
  file: string | undefined,
): Finding {
  return {
    ruleId,
    severity: 'warn',
    category: 'security',
    message: 'm',
    resource: { apiVersion: 'v1', ...r },
    path: '',
    ...(file === undefined
      ? {}
      : {
          location: { file, document: 0, start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
        }),
    helpUri: '',
  };
}

// Small alphabets, so that random exemptions and findings often meet.
const RULES = ['r1', 'r2', 'r3'];
const KINDS = ['Pod', 'Deployment', 'Job'];
const NAMESPACES = ['default', 'prod', 'dev'];
const NAME_PARTS = ['a', 'b', '-', '.'];
const GLOB_PARTS = [...NAME_PARTS, '*', '?', '{a,b}', '[ab]', '**', '/'];
const PATH_PARTS = ['a', 'b', '.', '/'];
const PATH_GLOB_PARTS = [...PATH_PARTS, '*', '**', '/**', '?', './', '../', '{a,b}', '//'];

const joined = (parts: readonly string[], max: number) =>
  fc.array(fc.constantFrom(...parts), { minLength: 1, maxLength: max }).map((xs) => xs.join(''));

const exemptionArb: fc.Arbitrary<Exemption> = fc.record(
  {
    rules: fc.oneof(
      fc.constant<string[]>(['*']),
      fc.array(fc.constantFrom(...RULES, '*'), { minLength: 0, maxLength: 3 }),
    ),
    namespaces: fc.array(fc.constantFrom(...NAMESPACES), { maxLength: 2 }),
    kinds: fc.array(fc.constantFrom(...KINDS), { maxLength: 2 }),
    names: fc.array(fc.oneof(joined(NAME_PARTS, 3), joined(GLOB_PARTS, 4)), { maxLength: 3 }),
    paths: fc.array(fc.oneof(joined(PATH_PARTS, 4), joined(PATH_GLOB_PARTS, 4)), { maxLength: 2 }),
  },
  { requiredKeys: ['rules'] },
);
/** Exemptions with distinct reasons, so that a test sees which one won. */
const exemptionsArb = (max: number) =>
  fc
    .array(exemptionArb, { minLength: 1, maxLength: max })
    .map((es) => es.map((e, i) => ({ ...e, reason: `#${i}` })));

const findingArb: fc.Arbitrary<Finding> = fc
  .tuple(
    fc.constantFrom(...RULES, 'r4'),
    fc.constantFrom(...KINDS),
    fc.option(joined(NAME_PARTS, 3), { nil: undefined }),
    fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined }),
    fc.option(
      fc.oneof(
        joined(PATH_PARTS, 4).map((p) => `${BASE}/${p}`),
        joined(PATH_PARTS, 4),
        fc.constant('-'),
        fc.constant('/elsewhere/a.yaml'),
      ),
      { nil: undefined },
    ),
  )
  .map(([rule, kind, name, namespace, file]) =>
    finding(
      rule,
      { kind, ...(name === undefined ? {} : { name }), ...(namespace ? { namespace } : {}) },
      file,
    ),
  );

describe('config exemptions', () => {
  it('decide exactly as the all-pairs reference over random exemptions and findings', () => {
    fc.assert(
      fc.property(
        exemptionsArb(30),
        fc.array(findingArb, { minLength: 1, maxLength: 60 }),
        (exemptions, findings) => {
          const indexed = exemptionSuppressor(exemptions, BASE, BASE)!;
          const naive = reference(exemptions, BASE, BASE);
          for (const f of findings) expect(indexed(f, undefined)).toEqual(naive(f));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('look globs up by their literal start exactly as the glob matcher matches them', () => {
    // Name and path globs alone, so that each exemption is filed under its glob.
    const globOnly: fc.Arbitrary<Exemption> = fc.oneof(
      fc.array(joined([...GLOB_PARTS, '/**'], 4), { minLength: 1, maxLength: 2 }).map((names) => ({
        rules: ['*'],
        names,
      })),
      fc.array(joined(PATH_GLOB_PARTS, 4), { minLength: 1, maxLength: 2 }).map((paths) => ({
        rules: ['*'],
        paths,
      })),
    );
    fc.assert(
      fc.property(
        fc
          .array(globOnly, { minLength: 1, maxLength: 20 })
          .map((es) => es.map((e, i) => ({ ...e, reason: `#${i}` }))),
        fc.array(findingArb, { minLength: 1, maxLength: 60 }),
        (exemptions, findings) => {
          const indexed = exemptionSuppressor(exemptions, BASE, BASE)!;
          const naive = reference(exemptions, BASE, BASE);
          for (const f of findings) expect(indexed(f, undefined)).toEqual(naive(f));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the same decisions with 5,000 exemptions and 3,000 findings', () => {
    // Each exemption narrowed by a name glob and a rule, so that findings are suppressed or not.
    const narrow = exemptionArb.filter((e) => !e.rules.includes('*') && (e.names?.length ?? 0) > 0);
    const exemptions = fc
      .sample(narrow, { numRuns: 5000, seed: 7 })
      .map((e, i) => ({ ...e, reason: `#${i}` }));
    const findings = fc.sample(findingArb, { numRuns: 3000, seed: 11 });
    const indexed = exemptionSuppressor(exemptions, BASE, BASE)!;
    const naive = reference(exemptions, BASE, BASE);
    const reasons = new Set<string | undefined>();
    let suppressed = 0;
    for (const f of findings) {
      const got = indexed(f, undefined);
      expect(got).toEqual(naive(f));
      if (got) suppressed++;
      reasons.add(got?.justification);
    }
    // Not a vacuous comparison: both outcomes occur, and different exemptions win.
    expect(suppressed).toBeGreaterThan(0);
    expect(suppressed).toBeLessThan(findings.length);
    expect(reasons.size).toBeGreaterThan(3);
  });

  it('consults only the exemptions that can apply to a finding, not all of them', () => {
    // A generated allow-list of 5,000: by rule, by rule and name, by name prefix, by kind, by folder.
    const exemptions: Exemption[] = [];
    for (let i = 0; i < 1000; i++) {
      exemptions.push({ rules: [`rule-${i}`], reason: `rule ${i}` });
      exemptions.push({ rules: ['no-latest-tag'], names: [`web-${i}`], reason: `web ${i}` });
      exemptions.push({ rules: ['*'], names: [`team-${i}-*`], reason: `team ${i}` });
      exemptions.push({ rules: ['*'], kinds: [`Kind${i}`], reason: `kind ${i}` });
      exemptions.push({ rules: ['*'], paths: [`apps/app-${i}/**`], reason: `app ${i}` });
    }
    const indexed = exemptionSuppressor(exemptions, BASE, BASE)!;
    const cases: Array<[Finding, string | undefined]> = [];
    for (let i = 0; i < 2000; i++) {
      cases.push([
        finding('no-latest-tag', { kind: 'Deployment', name: `svc-${i}` }, `${BASE}/f${i}.yaml`),
        undefined,
      ]);
      cases.push([
        finding('no-latest-tag', { kind: 'Deployment', name: `web-${i}` }, `${BASE}/f${i}.yaml`),
        i < 1000 ? `web ${i}` : undefined,
      ]);
      // rule-7 is exemption 35; team-i-* is 5i+2 and apps/app-i is 5i+4: the first in the file wins.
      cases.push([
        finding('rule-7', { kind: 'Pod', name: `team-${i}-db` }, `${BASE}/apps/app-${i}/pod.yaml`),
        i < 7 ? `team ${i}` : 'rule 7',
      ]);
      cases.push([
        finding('other', { kind: `Kind${i}` }, `${BASE}/apps/app-${i}/x.yaml`),
        i < 1000 ? `kind ${i}` : undefined,
      ]);
    }
    for (const [f, reason] of cases) expect(indexed(f, undefined)?.justification).toBe(reason);
    const naive = reference(exemptions, BASE, BASE);
    for (let i = 0; i < cases.length; i += 97)
      expect(indexed(cases[i]![0], undefined)).toEqual(naive(cases[i]![0]));
    // The all-pairs scan consults up to all 5,000 exemptions for each of these findings.
    expect(indexed.stats.findings).toBeGreaterThanOrEqual(cases.length);
    expect(indexed.stats.consulted).toBeLessThanOrEqual(3 * indexed.stats.findings);
  });
});
