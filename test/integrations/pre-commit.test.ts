// The real `pre-commit` tool (installed in .cache/venv by scripts/install-test-tools.sh) installs
// shipshape's hook from a git snapshot of this working tree (language: node, so npm installs the
// package and its `prepare` script builds it) and runs it on `git commit` in a scratch repository.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git, gitEnv, ROOT, snapshotRepo, tool } from './tools.js';

const PRE_COMMIT = join(ROOT, '.cache/venv/bin/pre-commit');
// Stable paths so a rerun on the same tree reuses the hook environment pre-commit built.
const HOOK_REPO = join(ROOT, '.cache/pre-commit-test/shipshape');
const PRE_COMMIT_HOME = join(ROOT, '.cache/pre-commit-test/home');

const BAD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      hostNetwork: true
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
`;
const GOOD = BAD.replace('      hostNetwork: true\n', '');
const FIXABLE = GOOD.replace(
  '          image: registry.example.com/web:1.4.2\n',
  '          image: registry.example.com/web:1.4.2\n          securityContext:\n            procMount: Unmasked\n',
);

let rev = '';
const env = () => gitEnv({ PRE_COMMIT_HOME, PRE_COMMIT_COLOR: 'never', NO_COLOR: '1' });

function project(args?: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-pre-commit-'));
  git(dir, 'init', '-q');
  const hook = args
    ? `      - id: shipshape\n        args: [${args.join(', ')}]\n`
    : '      - id: shipshape\n';
  writeFileSync(
    join(dir, '.pre-commit-config.yaml'),
    `repos:\n  - repo: ${HOOK_REPO}\n    rev: ${rev}\n    hooks:\n${hook}`,
  );
  const r = spawnSync(PRE_COMMIT, ['install'], { cwd: dir, env: env(), encoding: 'utf8' });
  expect(r.status, r.stderr + r.stdout).toBe(0);
  return dir;
}

/** `git commit` with the installed hook; returns its exit code and combined output. */
function commit(dir: string, files: Record<string, string>): { code: number | null; out: string } {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  git(dir, 'add', '-A');
  const r = spawnSync('git', ['-c', 'commit.gpgsign=false', 'commit', '-m', 'change'], {
    cwd: dir,
    env: env(),
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('pre-commit hook (real pre-commit)', () => {
  beforeAll(() => {
    tool(PRE_COMMIT);
    rev = snapshotRepo(HOOK_REPO);
    // Build the hook environment once (npm installs the package from the git repo and builds it).
    const dir = project();
    const r = spawnSync(PRE_COMMIT, ['install-hooks'], { cwd: dir, env: env(), encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  }, 900_000);

  it('declares the hook as the docs say', () => {
    const hooks = readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8');
    expect(hooks).toContain('- id: shipshape');
    expect(hooks).toContain('language: node');
    expect(hooks).toContain('entry: shipshape lint');
    expect(hooks).toContain('pass_filenames: true');
  });

  it('blocks a commit of a bad manifest with shipshape’s message', () => {
    const dir = project();
    const r = commit(dir, { 'k8s/deploy.yaml': BAD });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/shipshape\.+Failed/);
    expect(r.out).toContain('k8s/deploy.yaml');
    expect(r.out).toMatch(/13:20 +error +Deployment web sets hostNetwork: true\. +no-host-network/);
    expect(git(dir, 'rev-list', '--all', '--count')).toBe('0');
  }, 120_000);

  it('lets a good manifest through', () => {
    const dir = project();
    const r = commit(dir, { 'k8s/deploy.yaml': GOOD, 'README.md': '# not yaml\n' });
    expect(r.out).toMatch(/shipshape\.+Passed/);
    expect(r.code).toBe(0);
    expect(git(dir, 'log', '--oneline').split('\n')).toHaveLength(1);
  }, 120_000);

  it('fixes files with args: [--fix]; the fixed file then commits', () => {
    const dir = project(['--fix']);
    const first = commit(dir, { 'k8s/deploy.yaml': FIXABLE });
    // pre-commit fails a hook that changed files, so the user can review and stage the fix.
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/shipshape\.+Failed/);
    expect(first.out).toContain('files were modified by this hook');
    expect(readFileSync(join(dir, 'k8s/deploy.yaml'), 'utf8')).toBe(
      FIXABLE.replace('procMount: Unmasked', 'procMount: Default'),
    );
    const second = commit(dir, {});
    expect(second.out).toMatch(/shipshape\.+Passed/);
    expect(second.code).toBe(0);
  }, 120_000);
});
