// Config globs match in linear time (RE2, not picomatch's backtracking RegExps), mean what
// picomatch means for ordinary globs, and the ones shipshape refuses are config errors with file:line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { collectInputs } from '../../src/linter/inputs.js';
import { ConfigError } from '../../src/config/config.js';
import { exemptionSuppressor } from '../../src/config/exemptions.js';
import { parseConfig } from '../../src/config/load.js';
import { globsMatcher } from '../../src/engine/glob.js';
import type { Finding } from '../../src/engine/types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/shipshape.js');
/** Polynomial (11 stars) for a backtracking engine on a long name without a `b`. */
const STARS = '*a*a*a*a*a*a*a*a*a*a*a*b';

describe('globs agree with picomatch on ordinary globs', () => {
  const globs = [
    '*.yaml',
    '**/*.yaml',
    'deploy/**',
    'deploy/**/x.yaml',
    '**',
    'a/*/b',
    'a/**/b',
    '?.yaml',
    '[ab].yaml',
    '{a,b}/*.yaml',
    'a/{b,c/{d,e}}/f',
    '**/test/**',
    'vendor/*',
    '**/.git/**',
    '.hidden/*',
    '*-values.yaml',
    'a.b',
    'x[[:digit:]].yaml',
    './deploy/*.yaml',
  ];
  const paths = [
    'a.yaml',
    'x/a.yaml',
    'x/y/a.yaml',
    'deploy',
    'deploy/a',
    'deploy/x.yaml',
    'deploy/y/x.yaml',
    'a/c/b',
    'a/b',
    'a/x/y/b',
    'b/z.yaml',
    'a/b/f',
    'a/c/d/f',
    'a/c/f',
    'p/test/q/r',
    'vendor/a',
    'vendor/a/b',
    '.git/config',
    'x/.git/c',
    '.hidden/a',
    'my-values.yaml',
    'a.b',
    'axb',
    'x1.yaml',
    'xa.yaml',
    '.a.yaml',
    '../a.yaml',
    '../x/a.yaml',
  ];
  for (const g of globs)
    it(g, () => {
      const theirs = picomatch(g, { dot: true });
      const ours = globsMatcher([g]);
      expect(paths.filter((p) => ours(p))).toEqual(paths.filter((p) => theirs(p)));
    });
});

describe('globs cannot backtrack', () => {
  const finding = (name: string): Finding => ({
    ruleId: 'r',
    severity: 'error',
    category: 'security',
    message: 'm',
    resource: { apiVersion: 'v1', kind: 'ConfigMap', name },
    path: '',
    helpUri: '',
  });

  it('match many stars against a long name at once', () => {
    const suppress = exemptionSuppressor([{ rules: ['*'], names: [STARS] }], '/', '/')!;
    expect(suppress(finding('a'.repeat(5000)), undefined)).toBeUndefined();
    expect(suppress(finding('a'.repeat(12) + 'b'), undefined)).toEqual({
      kind: 'config',
      justification: undefined,
    });
  });

  it('lint through the CLI with such globs in ignorePaths and exemptions (dist/)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-globs-'));
    const name = 'a'.repeat(60);
    writeFileSync(
      join(dir, '.shipshape.yaml'),
      `ignorePaths: ["${STARS}"]\nexemptions:\n  - rules: ["*"]\n    names: ["${STARS}"]\n    paths: ["**/${STARS}"]\n`,
    );
    mkdirSync(join(dir, 'deploy'));
    writeFileSync(
      join(dir, 'deploy', `${name}.yaml`),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: 1\n`,
    );
    const r = spawnSync(process.execPath, [BIN, 'lint', 'deploy', '--preset', 'schema'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toContain('data.k: expected string, got integer 1');
    expect(r.status).toBe(1);
  });
});

describe('globs shipshape refuses are config errors naming file and line', () => {
  const bad = (text: string) => {
    try {
      parseConfig(text, '/x/.shipshape.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('accepted');
  };

  it('an extglob (picomatch backtracks on them for minutes)', () => {
    expect(bad('exemptions:\n  - rules: ["*"]\n    names:\n      - "@(a*|*a)*(a*|*a)*(a*|*a)b"\n')).toBe(
      'invalid configuration:\n  /x/.shipshape.yaml:4:9: exemptions[0].names[0]: uses the extended glob @(…), which is not supported; use {a,b} alternatives',
    );
  });

  it('a glob over 1,024 characters, and braces nested too deep', () => {
    expect(bad(`ignorePaths: ["${'a'.repeat(1025)}"]\n`)).toBe(
      'invalid configuration:\n  /x/.shipshape.yaml:1:15: ignorePaths[0]: is longer than 1024 characters (1025)',
    );
    expect(
      bad(`exemptions:\n  - rules: ["*"]\n    paths: ["${'{a,'.repeat(9)}b${'}'.repeat(9)}"]\n`),
    ).toMatch(/:3:13: exemptions\[0\]\.paths\[0\]: nests \{…\} more than 8 deep$/);
  });
});

describe('ignorePaths', () => {
  it('still skips what it names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-ignore-'));
    for (const f of ['a.yaml', 'vendor/b.yaml', 'x/vendor/c.yaml', 'x/d.yaml']) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), 'kind: ConfigMap\n');
    }
    expect(collectInputs(['.'], dir, ['**/vendor/**'], dir).files).toEqual(['a.yaml', 'x/d.yaml']);
  });
});
