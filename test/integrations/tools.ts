// Shared setup of the integration tests: where scripts/install-test-tools.sh put the real tools,
// and a git snapshot of this working tree (pre-commit installs hooks from a git repository at a rev).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin/shipshape.js');
export const CACHE_BIN = join(ROOT, '.cache/bin');

/** A tool installed by scripts/install-test-tools.sh; fails loudly (tests are never skipped) when missing. */
export function tool(path: string): string {
  if (!existsSync(path))
    throw new Error(`${path} is missing: run scripts/install-test-tools.sh (CI runs it before the tests)`);
  return path;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'shipshape tests',
  GIT_AUTHOR_EMAIL: 'tests@shipshape.invalid',
  GIT_COMMITTER_NAME: 'shipshape tests',
  GIT_COMMITTER_EMAIL: 'tests@shipshape.invalid',
  // Fixed dates: the same tree gives the same commit, so pre-commit's cached hook env is reused.
  GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z',
};

export const gitEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  ...GIT_ENV,
  ...extra,
});

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env: gitEnv(),
    encoding: 'utf8',
  }).trim();
}

/**
 * Commit the current working tree (tracked and untracked, not ignored files) into a git
 * repository at `dir` and return the commit: what a user's `rev:` would point at.
 */
export function snapshotRepo(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(ROOT, f)));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(dir, f));
  }
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'snapshot for the pre-commit test');
  return git(dir, 'rev-parse', 'HEAD');
}
