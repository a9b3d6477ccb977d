#!/usr/bin/env node
// The on-demand differential run: shipshape vs kubectl-validate on N generated cases.
// Usage: npm run differential -- --cases 5000 [--seed 7] [--minor 1.30] [--keep <dir>]
// Installs kubectl-validate first when missing; writes .cache/differential/report.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
if (!existsSync(join(ROOT, '.cache/peers/bin/kubectl-validate'))) {
  const r = spawnSync('bash', ['scripts/install-peers.sh', 'kubectl-validate'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, PEERS_STRICT: '1' },
  });
  if (r.status !== 0) process.exit(r.status ?? 2);
}
mkdirSync(join(ROOT, '.cache/differential'), { recursive: true });
const report = join(ROOT, '.cache/differential/report.json');
const env = {
  ...process.env,
  DIFFERENTIAL_CASES: opt('--cases', '5000'),
  DIFFERENTIAL_SEED: opt('--seed', String(Date.now() % 1e9)),
  DIFFERENTIAL_MINOR: opt('--minor', '1.30'),
  DIFFERENTIAL_REPORT: report,
  ...(opt('--keep') ? { DIFFERENTIAL_KEEP: resolve(opt('--keep')) } : {}),
};
console.log(
  `differential: ${env.DIFFERENTIAL_CASES} cases, seed ${env.DIFFERENTIAL_SEED}, Kubernetes ${env.DIFFERENTIAL_MINOR}`,
);
const r = spawnSync(
  'npx',
  ['vitest', 'run', '--config', 'vitest.proof.config.mjs', 'test/proof/differential.proof.ts'],
  {
    cwd: ROOT,
    stdio: 'inherit',
    env,
  },
);
if (existsSync(report))
  console.log(`\n${JSON.parse(readFileSync(report, 'utf8')).summary}\n\nreport: ${report}`);
process.exit(r.status ?? 2);
