#!/usr/bin/env node
// End-to-end CLI benchmarks (process start to exit): the 10k-resource corpus with schema
// validation only and with every rule, and the cold start of linting one Deployment.
// Usage: npm run build && node bench/lint.bench.mjs [--runs 5] [--cold-runs 20]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpus } from './corpus.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('--runs', 5);
const COLD_RUNS = arg('--cold-runs', 20);
const N = arg('--resources', 10000);

const dir = mkdtempSync(join(tmpdir(), 'shipshape-bench-'));
const docs = corpus(N);
let lines = 0;
for (let f = 0; f * 100 < N; f++) {
  const text = docs.slice(f * 100, (f + 1) * 100).join('---\n');
  lines += text.split('\n').length;
  writeFileSync(join(dir, `part-${String(f).padStart(4, '0')}.yaml`), text);
}
const one = join(dir, 'one');
spawnSync('mkdir', ['-p', one]);
writeFileSync(
  join(one, 'deployment.yaml'),
  docs.find((d) => d.includes('kind: Deployment')),
);

function run(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['bench/rss-launcher.mjs', 'bin/shipshape.js', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const rss = Number(/@@maxrss (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
  if (r.status !== 0 && r.status !== 1) throw new Error(`shipshape exited ${r.status}: ${r.stderr}`);
  return { ms, rss };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];

const rows = [];
for (const [name, extra] of [
  ['10k corpus, schema validation only', ['--preset', 'schema']],
  ['10k corpus, recommended preset (default)', []],
  ['10k corpus, every rule (--preset all)', ['--preset', 'all']],
]) {
  run([dir, '--no-config', '-f', 'json', ...extra]); // warm the file cache
  const rs = Array.from({ length: RUNS }, () => run([dir, '--no-config', '-f', 'json', ...extra]));
  const ms = median(rs.map((r) => r.ms));
  rows.push({
    name,
    runs: RUNS,
    medianMs: ms,
    resourcesPerSec: Math.round((N / ms) * 1000),
    peakRssMiB: Math.max(...rs.map((r) => r.rss)),
  });
}
const cold = Array.from({ length: COLD_RUNS }, () => run([join(one, 'deployment.yaml'), '--no-config']));
rows.push({
  name: 'cold start, one Deployment, recommended preset',
  runs: COLD_RUNS,
  medianMs: median(cold.map((r) => r.ms)),
  p90Ms: p90(cold.map((r) => r.ms)),
  peakRssMiB: Math.max(...cold.map((r) => r.rss)),
});
const nodeOnly = Array.from({ length: COLD_RUNS }, () => {
  const t0 = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  return Number(process.hrtime.bigint() - t0) / 1e6;
});

console.log(
  `corpus: ${N} resources, ${lines} lines (${Math.round((lines / N) * 100)} per 100); node ${process.version}; baseline \`node -e 0\` median ${median(nodeOnly).toFixed(0)} ms\n`,
);
console.log('| run | runs | median wall ms | resources/s | p90 ms | peak RSS MiB |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.runs} | ${r.medianMs.toFixed(0)} | ${r.resourcesPerSec ?? ''} | ${r.p90Ms ? r.p90Ms.toFixed(0) : ''} | ${r.peakRssMiB.toFixed(0)} |`,
  );
