// The documented install from a clone works on a machine where the package is not published:
// `npm pack` the built tree, install the tarball globally into a scratch prefix with npm --offline
// (its dependencies come from the npm cache that `npm ci` filled), and run the installed command.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './tools.js';

const version = (
  JSON.parse(
    execFileSync('node', ['-p', 'JSON.stringify(require("./package.json"))'], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  ) as { version: string }
).version;
let bin = '';

describe('npm pack, then npm install -g <tarball> (docs: README "Install")', () => {
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-install-'));
    // dist/ is built by `npm run test:tools`; --ignore-scripts so pack does not build again.
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    expect(tarball).toBe(`shipshape-${version}.tgz`);
    const prefix = join(dir, 'prefix');
    const r = spawnSync(
      'npm',
      ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(dir, tarball)],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    bin = join(prefix, 'bin', 'shipshape');
  }, 300_000);

  const run = (args: string[], cwd = tmpdir()) => spawnSync(bin, args, { cwd, encoding: 'utf8' });

  it('installs the shipshape command', () => {
    const r = run(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('lints with the bundled schemas and rules, and describes a rule from its docs page', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-installed-'));
    writeFileSync(
      join(dir, 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n  containers:\n    - name: c\n      image: nginx:1.27\n',
    );
    const lint = run(['lint', 'pod.yaml', '--preset', 'pss-baseline'], dir);
    expect(lint.stdout).toContain('pod.yaml:6:16  error  Pod p sets hostNetwork: true.  no-host-network');
    expect(lint.status).toBe(1);
    // docs/rules/*.md ships in the package (`files`), or this is an internal error.
    const describeRule = run(['rules', 'describe', 'no-host-network']);
    expect(describeRule.stderr).toBe('');
    expect(describeRule.status).toBe(0);
    expect(describeRule.stdout).toMatch(/^# no-host-network/m);
  });
});
