#!/usr/bin/env node
// The on-demand differential run: shipshape (`--preset schema`) vs a private kube-apiserver (strict
// dry-run create) on N generated cases and the hand-written sample (test/proof/fixtures/api-sample).
// Usage: npm run differential -- --cases 5000 [--seed 7] [--minor 1.37] [--apiserver 1.36]
// (--apiserver: an older kube-apiserver built by scripts/apiservers.sh; --minor defaults to it)
// Builds the API server and etcd first when missing (scripts/e2e-setup.sh); kubectl-validate is a
// secondary column when installed (`npm run peers -- kubectl-validate`). Writes
// .cache/differential/report.json (both reports) and outcomes.jsonl (every generated case).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const setup = spawnSync('bash', ['scripts/e2e-setup.sh'], { cwd: ROOT, stdio: 'inherit' });
if (setup.status !== 0) process.exit(setup.status ?? 2);
const apiserver = opt('--apiserver', '');
if (apiserver !== '') {
  const built = spawnSync('bash', ['scripts/apiservers.sh', apiserver], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 2);
}
const out = join(ROOT, '.cache/differential');
mkdirSync(out, { recursive: true });
const report = join(out, `report${opt('--apiserver', '') ? '-' + opt('--apiserver', '') : ''}.json`);
const env = {
  ...process.env,
  DIFFERENTIAL_CASES: opt('--cases', '5000'),
  DIFFERENTIAL_SEED: opt('--seed', String(Date.now() % 1e9)),
  DIFFERENTIAL_MINOR: opt('--minor', apiserver || '1.37'),
  ...(apiserver ? { DIFFERENTIAL_APISERVER: apiserver } : {}),
  DIFFERENTIAL_REPORT: report,
  DIFFERENTIAL_OUTCOMES: join(out, 'outcomes.jsonl'),
};
console.log(
  `differential: ${env.DIFFERENTIAL_CASES} cases, seed ${env.DIFFERENTIAL_SEED}, shipshape at Kubernetes ${env.DIFFERENTIAL_MINOR}`,
);
const r = spawnSync(
  'npx',
  ['vitest', 'run', '--config', 'vitest.proof.config.mjs', 'test/proof/differential.proof.ts'],
  { cwd: ROOT, stdio: 'inherit', env },
);
if (existsSync(report)) {
  const reports = JSON.parse(readFileSync(report, 'utf8'));
  for (const rep of Object.values(reports)) console.log(`\n${rep.summary}`);
  console.log(`\nreport: ${report}`);
}
process.exit(r.status ?? 2);
