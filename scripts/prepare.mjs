#!/usr/bin/env node
// npm `prepare`: builds dist/ (tsc + the CLI bundle) when the package is installed from a git
// checkout, e.g. by pre-commit (`language: node` runs `npm install -g git+file://<clone>`).
// npm's global install of a git dependency runs `prepare` without installing devDependencies
// (npm/cli#8440: the prepare step inherits the global prefix), so tsc and esbuild would be
// missing; install them locally first in that case.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.env.npm_execpath
  ? [process.execPath, process.env.npm_execpath]
  : [process.platform === 'win32' ? 'npm.cmd' : 'npm'];

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const missing = ['typescript', 'esbuild'].filter(
  (p) => !existsSync(join(root, 'node_modules', p, 'package.json')),
);
if (missing.length > 0) {
  process.stderr.write(
    `prepare: ${missing.join(', ')} not installed; installing devDependencies into ${root}\n`,
  );
  run(npm[0], [
    ...npm.slice(1),
    'install',
    '--global=false',
    `--prefix=${root}`,
    '--include=dev',
    '--no-save',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
  ]);
}
run(npm[0], [...npm.slice(1), 'run', 'build', '--global=false', `--prefix=${root}`]);
