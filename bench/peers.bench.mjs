#!/usr/bin/env node
// Side-by-side benchmark: shipshape beside the tools users would pick instead, on the same corpora
// in the same run, each peer doing its closest equivalent job:
//   schema         shipshape --preset schema  vs kubeconform (default concurrency, -strict, schemas
//                  generated offline from ours), kubectl-validate (builtin schemas), @monokle/validation
//   best-practice  shipshape --preset recommended  vs kube-score, @monokle/validation (schema, PSS,
//                  practices, resource links), kube-linter, polaris
//   policy         shipshape --preset all  vs conftest with bench/peers/conftest/*.rego
// Corpora: the generated 10k-resource corpus (bench/corpus.mjs), the hand-written platform corpus
// (bench/platform/), and cold start on one Deployment. Per tool: median wall time of --runs runs
// (after one warm-up), resources/s, peak RSS (rss-launcher for node, /usr/bin/time -f %M for Go
// binaries) and the ratio of its median to shipshape's (> 1: shipshape is faster).
// Usage: npm run build && scripts/install-peers.sh && node bench/peers.bench.mjs
//        [--runs 5] [--cold-runs 10] [--resources 10000] [--only schema,policy] [--corpus 10k,platform,cold]
//        [--kubernetes-version 1.30]
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { corpus } from './corpus.mjs';
import { writePlatformCorpus } from './platform/index.mjs';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const PEERS = join(ROOT, '.cache/peers');
const BIN = join(PEERS, 'bin');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', 5));
const COLD_RUNS = Number(opt('--cold-runs', 10));
const N = Number(opt('--resources', 10000));
const ONLY = opt('--only', 'schema,best-practice,policy').split(',');
const CORPORA = opt('--corpus', '10k,platform,cold').split(',');
const MINOR = opt('--kubernetes-version', '1.30');
const FULL = JSON.parse(readFileSync(join(ROOT, 'schemas/kubernetes/index.json'), 'utf8')).versions[
  MINOR
].replace(/^v/, '');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

// ---- corpora ---------------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'shipshape-peers-'));
const corpora = [];
if (CORPORA.includes('10k')) {
  const dir = join(work, '10k');
  mkdirSync(dir);
  const docs = corpus(N);
  let lines = 0;
  for (let f = 0; f * 100 < N; f++) {
    const text = docs.slice(f * 100, (f + 1) * 100).join('---\n');
    lines += text.split('\n').length;
    writeFileSync(join(dir, `part-${String(f).padStart(4, '0')}.yaml`), text);
  }
  corpora.push({ name: `generated ${N / 1000}k`, target: dir, resources: N, lines, runs: RUNS });
}
if (CORPORA.includes('platform')) {
  const dir = join(work, 'platform');
  const { documents, lines } = writePlatformCorpus(dir);
  corpora.push({ name: 'platform stacks', target: dir, resources: documents, lines, runs: RUNS });
}
if (CORPORA.includes('cold')) {
  const dir = join(work, 'cold');
  mkdirSync(dir);
  const file = join(dir, 'deployment.yaml');
  writeFileSync(file, corpus(1)[0]);
  corpora.push({ name: 'cold start, 1 Deployment', target: file, resources: 1, lines: 0, runs: COLD_RUNS });
}

/** Every file under a target (kube-score takes files, not folders). */
function filesOf(target) {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target, { recursive: true })
    .map((f) => join(target, String(f)))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

// ---- tools -----------------------------------------------------------------------------------
const bin = (name) => join(BIN, name);
const kcSchemas = join(PEERS, 'kubeconform-schemas');
const monokleDriver = join(ROOT, 'bench/peers/monokle.mjs');
const shipshape = (preset) => ({
  tool: 'shipshape',
  node: true,
  version: () => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
  args: (t) => ['bin/shipshape.js', 'lint', t, '--no-config', '--preset', preset, '-k', MINOR, '-f', 'json'],
});

const monokle = (mode) => ({
  tool: '@monokle/validation',
  node: true,
  available: () =>
    existsSync(join(PEERS, 'node/node_modules/@monokle/validation/package.json'))
      ? undefined
      : 'not installed (scripts/install-peers.sh monokle)',
  args: (t) => [monokleDriver, mode, MINOR, t],
});

const JOBS = {
  schema: [
    shipshape('schema'),
    {
      tool: 'kubeconform',
      exe: bin('kubeconform'),
      prepare: () => {
        if (!existsSync(join(kcSchemas, `v${FULL}-standalone-strict`))) {
          const r = spawnSync(process.execPath, ['scripts/kubeconform-schemas.mjs', kcSchemas, MINOR], {
            cwd: ROOT,
          });
          if (r.status !== 0) throw new Error(`kubeconform schemas: ${r.stderr}`);
        }
      },
      args: (t) => ['-kubernetes-version', FULL, '-schema-location', kcSchemas, '-strict', '-summary', t],
      // kubeconform skips (rather than fails) a resource whose schema it cannot find: make sure none was.
      check: (out, c) => {
        const m = /Valid: (\d+), Invalid: (\d+), Errors: (\d+), Skipped: (\d+)/.exec(out);
        if (!m) return 'no summary';
        const seen = Number(m[1]) + Number(m[2]) + Number(m[3]);
        return Number(m[4]) > 0 || seen !== c.resources
          ? `validated ${seen}/${c.resources}, skipped ${m[4]}`
          : undefined;
      },
    },
    { tool: 'kubectl-validate', exe: bin('kubectl-validate'), args: (t) => [t, '--version', MINOR] },
    monokle('schema'),
  ],
  'best-practice': [
    shipshape('recommended'),
    monokle('best-practice'),
    {
      tool: 'kube-score',
      exe: bin('kube-score'),
      args: (t) => ['score', '--output-format', 'ci', ...filesOf(t)],
    },
    { tool: 'kube-linter', exe: bin('kube-linter'), args: (t) => ['lint', t] },
    { tool: 'polaris', exe: bin('polaris'), args: (t) => ['audit', '--audit-path', t, '--format', 'json'] },
  ],
  policy: [
    shipshape('all'),
    {
      tool: 'conftest',
      exe: bin('conftest'),
      args: (t) => ['test', '--no-color', '--policy', join(ROOT, 'bench/peers/conftest'), t],
    },
  ],
};

/** Peers that cannot be installed here, and why (scripts/install-peers.sh tries them anyway). */
const UNAVAILABLE = {
  'kube-linter':
    'cannot be installed here: the Go module proxy answers 403 "not available" for v0.7.6 (and the version list) under both golang.stackrox.io/kube-linter and github.com/stackrox/kube-linter',
  polaris:
    'cannot be installed here: the Go module proxy answers 403 "not available" for every version of github.com/fairwindsops/polaris (v8, v9, v10)',
};

function availability(t) {
  if (t.available) return t.available();
  if (t.exe && !existsSync(t.exe))
    return (
      UNAVAILABLE[t.tool] ??
      `not installed (${t.exe.replace(ROOT + '/', '')} missing: see scripts/install-peers.sh)`
    );
  return undefined;
}

/** One run: wall ms, peak RSS MiB, exit status, output. */
function runOnce(t, c) {
  const args = t.args(c.target);
  let cmd;
  let full;
  const rssFile = join(work, 'rss.txt');
  if (t.node) {
    cmd = process.execPath;
    full = [join(ROOT, 'bench/rss-launcher.mjs'), ...args];
  } else if (TIME) {
    cmd = TIME;
    full = ['-f', '%M', '-o', rssFile, t.exe, ...args];
  } else {
    cmd = t.exe;
    full = args;
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, full, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let rss = NaN;
  if (t.node) rss = Number(/@@maxrss (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
  else if (TIME && existsSync(rssFile))
    rss = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
  return { ms, rss, status: r.status, signal: r.signal, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function bench(t, c) {
  t.prepare?.();
  const warm = runOnce(t, c);
  // Exit 0 = clean, 1 = findings, for every tool here; anything else is a crash or a usage error.
  if (warm.signal || (warm.status !== 0 && warm.status !== 1))
    return {
      error: `exit ${warm.status ?? warm.signal}: ${warm.out.trim().split('\n').slice(-3).join(' | ').slice(0, 300)}`,
    };
  const problem = t.check?.(warm.out, c);
  if (problem) return { error: problem };
  const runs = Array.from({ length: c.runs }, () => runOnce(t, c));
  return { ms: median(runs.map((r) => r.ms)), rss: Math.max(...runs.map((r) => r.rss)), runs: runs.length };
}

// ---- run -------------------------------------------------------------------------------------
const rows = [];
const notes = new Map();
for (const c of corpora) {
  for (const job of ONLY) {
    let base;
    for (const t of JOBS[job]) {
      const missing = availability(t);
      if (missing) {
        notes.set(t.tool, missing);
        continue;
      }
      process.stderr.write(`${c.name} / ${job} / ${t.tool} …`);
      const r = bench(t, c);
      process.stderr.write(r.error ? ` ${r.error}\n` : ` ${r.ms.toFixed(0)} ms\n`);
      if (t.tool === 'shipshape') base = r.ms;
      rows.push({ corpus: c, job, tool: t.tool, ...r, ratio: r.ms && base ? r.ms / base : undefined });
    }
  }
}

const nodeBaseline = median(
  Array.from({ length: 5 }, () => {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  }),
);
const fmt = (n, d = 0) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(d));
console.log(
  `\nKubernetes ${FULL} schemas for every tool; node ${process.version}; \`node -e 0\` ${nodeBaseline.toFixed(0)} ms; ${process.platform} ${process.arch}`,
);
for (const c of corpora)
  console.log(
    `- ${c.name}: ${c.resources} resources${c.lines ? `, ${c.lines} lines` : ''}; median of ${c.runs} runs after a warm-up`,
  );
console.log('\n| corpus | job | tool | median ms | resources/s | peak RSS MiB | time vs shipshape |');
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  if (r.error) {
    console.log(`| ${r.corpus.name} | ${r.job} | ${r.tool} | failed: ${r.error.replace(/\|/g, '/')} | | | |`);
    continue;
  }
  const rps = r.corpus.resources > 1 ? fmt((r.corpus.resources / r.ms) * 1000) : '';
  const ratio = r.tool === 'shipshape' ? '1.00×' : r.ratio ? `${r.ratio.toFixed(2)}×` : 'n/a';
  console.log(
    `| ${r.corpus.name} | ${r.job} | ${r.tool === 'shipshape' ? '**shipshape**' : r.tool} | ${fmt(r.ms)} | ${rps} | ${fmt(r.rss)} | ${ratio} |`,
  );
}
if (notes.size > 0) {
  console.log('\nNot measured:');
  for (const [tool, why] of notes) console.log(`- ${tool}: ${why}`);
}
rmSync(work, { recursive: true, force: true });
