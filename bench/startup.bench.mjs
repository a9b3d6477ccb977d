#!/usr/bin/env node
// Cold start of `shipshape lint <one Deployment>` against `node -e 0`, by CPU time (user + system of
// the child, from bash's `times`), which a loaded machine disturbs much less than wall time.
//   node bench/startup.bench.mjs [--runs N]   N interleaved triples in one run: `node -e 0`, the lint
//                                             with V8's code cache (warmed once, in a temp
//                                             XDG_CACHE_HOME), the lint without it
//                                             (SHIPSHAPE_CODE_CACHE=0); medians and ratios to
//                                             `node -e 0` (issue 15's goal: ≤ 1.25×)
//   node bench/startup.bench.mjs --profile [--runs N]
//                                             where the CPU goes, from `node --cpu-prof` samples
// Build first (`npm run build`): it runs bin/shipshape.js.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const BIN = join(ROOT, 'bin/shipshape.js');
const argValue = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = argValue('--runs', 15);

const work = mkdtempSync(join(tmpdir(), 'shipshape-startup-'));
const deployment = join(work, 'deployment.yaml');
writeFileSync(
  deployment,
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
`,
);
const LINT = ['lint', '--no-config', deployment];

/** CPU ms (user + system) of one run of `argv`, measured by bash's `times` (children's rusage). */
function cpuMs(argv, env = process.env) {
  const r = spawnSync('bash', ['-c', '"$@" >/dev/null 2>&1; code=$?; times; exit $code', 'bash', ...argv], {
    encoding: 'utf8',
    env,
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  // `times` prints the shell's own times, then its children's: "0m0.071s 0m0.012s".
  const line = r.stdout.trim().split('\n').at(-1);
  const [user, sys] = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map(
    (m) => Number(m[1]) * 60e3 + Number(m[2]) * 1e3,
  );
  return user + sys;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// --- Where the time goes: categories of `--cpu-prof` samples, by the functions on their stack. ---
/** First matching category wins; a sample matches when a frame on its stack does. */
const CATEGORIES = [
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['schema load (read + JSON.parse)', (f) => /^(readJson|loadDefs|loadVersion)$/.test(f.functionName)],
  ['formatting + output', (f) => /^(writeReport|writeChunks)$/.test(f.functionName)],
  ['lint (parse, validate, rules)', (f) => /^(lintTexts|lintParsed|lintFiles)$/.test(f.functionName)],
  ['config + rule compile (openLinter)', (f) => /^(openLinter|loadConfig)$/.test(f.functionName)],
  ['Node built-in modules (load)', (f) => /^compileFor(Internal|Public)Loader$/.test(f.functionName)],
  [
    'bundle compile',
    (f) => /^(compileSourceTextModule|wrapSafe|compileFunction|runInThisContext)$/.test(f.functionName),
  ],
  [
    'CLI (commander, argv)',
    (f) => /^(buildProgram|parseAsync|run)$/.test(f.functionName) && /shipshape|bundle/.test(f.url),
  ],
  ['bundle evaluation (module bodies)', (f) => /dist\/bundle\//.test(f.url)],
];
function profileBreakdown(file) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = new Map();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    const frames = [];
    for (let id = p.samples[i]; id !== undefined; id = parent.get(id)) frames.push(byId.get(id).callFrame);
    if (frames[0].functionName === '(idle)') continue;
    total += dt;
    const cat = CATEGORIES.find(([, match]) => frames.some(match))?.[0] ?? 'Node start-up and the rest';
    out.set(cat, (out.get(cat) ?? 0) + dt);
  }
  return { total, out };
}

function profile() {
  const dir = join(work, 'prof');
  const sums = new Map();
  let sampled = 0;
  for (let i = 0; i < RUNS; i++) {
    rmSync(dir, { recursive: true, force: true });
    const r = spawnSync(process.execPath, [
      '--cpu-prof',
      '--cpu-prof-dir',
      dir,
      '--cpu-prof-interval',
      '200',
      BIN,
      ...LINT,
    ]);
    if (r.status !== 0 && r.status !== 1) throw new Error(`lint exited ${r.status}: ${r.stderr}`);
    const { total, out } = profileBreakdown(join(dir, readdirSync(dir)[0]));
    sampled += total;
    for (const [k, v] of out) sums.set(k, (sums.get(k) ?? 0) + v);
  }
  const floor = median(Array.from({ length: RUNS }, () => cpuMs(['node', '-e', '0'])));
  const lint = median(Array.from({ length: RUNS }, () => cpuMs(['node', BIN, ...LINT])));
  console.log(`load average ${load()}; ${RUNS} runs; node ${process.version}`);
  console.log(
    `CPU median: node -e 0 ${floor.toFixed(1)} ms, shipshape lint ${lint.toFixed(1)} ms (${(lint / floor).toFixed(2)}×)`,
  );
  console.log(
    `share of the profiled samples (${(sampled / RUNS / 1000).toFixed(1)} ms per profiled run), scaled to the unprofiled CPU:`,
  );
  for (const [k, v] of [...sums].sort((a, b) => b[1] - a[1]))
    console.log(
      `  ${((100 * v) / sampled).toFixed(1).padStart(5)} %  ${((lint * v) / sampled).toFixed(1).padStart(6)} ms  ${k}`,
    );
}

/** `node -e 0` and the cold lint side by side: one of each in turn, so load drifts hit all alike. */
function paired() {
  const xdg = join(work, 'xdg-cache');
  const cached = { ...process.env, XDG_CACHE_HOME: xdg, SHIPSHAPE_CODE_CACHE: '' };
  const uncached = { ...process.env, XDG_CACHE_HOME: xdg, SHIPSHAPE_CODE_CACHE: '0' };
  // Warm the code cache once (the state of every run after an install's first).
  cpuMs(['node', BIN, ...LINT], cached);
  if (readdirSync(join(xdg, 'shipshape', 'code-cache')).length !== 1)
    throw new Error('the warming run wrote no code cache');
  const floor = [];
  const withCache = [];
  const without = [];
  const before = load();
  for (let i = 0; i < RUNS; i++) {
    floor.push(cpuMs([process.execPath, '-e', '0']));
    withCache.push(cpuMs([process.execPath, BIN, ...LINT], cached));
    without.push(cpuMs([process.execPath, BIN, ...LINT], uncached));
  }
  const f = median(floor);
  const row = (name, xs) =>
    console.log(
      `  ${name.padEnd(42)} ${median(xs).toFixed(1).padStart(7)} ms  ${(median(xs) / f).toFixed(2)}×`,
    );
  console.log(`load average ${before} (before), ${load()} (after); ${RUNS} triples; node ${process.version}`);
  console.log(`command: node bench/startup.bench.mjs --runs ${RUNS}`);
  console.log('CPU (user + system) median, ratio to node -e 0:');
  row('node -e 0', floor);
  row('shipshape lint <Deployment> (code cache)', withCache);
  row('shipshape lint <Deployment> (no code cache)', without);
}

try {
  if (process.argv.includes('--profile')) profile();
  else paired();
} finally {
  rmSync(work, { recursive: true, force: true });
}
