// Benchmark: per-resource overhead of the five shipped Rego policies on the generated corpus, and
// memory across runs (it must stay flat).
// Usage: npx tsc -p tsconfig.build.json && node bench/corpus.mjs /tmp/corpus &&
//        node --expose-gc bench/policy.bench.mjs /tmp/corpus [runs=5]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const dist = (p) => import(new URL(`../dist/${p}`, import.meta.url).href);
const { parseSource } = await dist('source/parse.js');
const { compileRules } = await dist('engine/compile.js');
const { lint } = await dist('engine/run.js');
const { builtinRules } = await dist('rules/builtin.js');
const { policyDeps } = await dist('policy/setup.js');

const dir = process.argv[2];
const RUNS = Number(process.argv[3] ?? 5);
if (!dir) {
  console.error('usage: node --expose-gc bench/policy.bench.mjs <corpus-dir> [runs]');
  process.exit(2);
}

const resources = [];
for (const f of readdirSync(dir).sort()) {
  if (!f.endsWith('.yaml')) continue;
  resources.push(...parseSource(f, readFileSync(join(dir, f), 'utf8')).resources);
}
const N = resources.length;

// Parameters in the spirit of a real organisation's; the corpus's namespaces are team-0 … team-6.
const settings = {
  presets: [],
  rules: {
    'allowed-registries-by-namespace': {
      options: {
        registries: ['registry.example.com'],
        namespaces: [{ match: ['team-0', 'team-1'], registries: ['registry.example.com/'] }],
      },
    },
    'require-label-patterns': {
      options: {
        labels: [
          { key: 'app.kubernetes.io/name', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
          { key: 'app.kubernetes.io/part-of' },
        ],
        kinds: ['Deployment', 'StatefulSet', 'Service'],
      },
    },
    'no-forbidden-annotation-values': {},
    'require-image-digest-by-namespace': { options: { namespaces: ['team-6'] } },
    'resource-ceilings-by-namespace': {
      options: {
        ceilings: { cpu: '4', memory: '8Gi' },
        namespaces: [{ match: ['team-1*'], ceilings: { cpu: '1', memory: '128Mi' } }],
      },
    },
  },
};
const { PolicyRuntime } = await dist('engine/checks/rego.js');
const runtime = new PolicyRuntime();
const deps = policyDeps(settings, undefined, runtime);
const rules = await compileRules(builtinRules(), settings, deps);
const none = await compileRules(builtinRules(), { presets: [], rules: {} });

const gc = globalThis.gc ?? (() => {});
const mib = (b) => (b / 1024 / 1024).toFixed(1);
const memory = () => {
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external };
};

function run(active) {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const findings = lint(resources, { rules: active });
  const wall = performance.now() - t;
  const c = process.cpuUsage(cpu);
  return { wall, cpu: (c.user + c.system) / 1000, findings: findings.length };
}

console.log(
  `policy bench: ${N} resources from ${dir}, ${rules.length} policy rules, ${RUNS} runs (after 2 warm-ups)`,
);
run(rules);
run(rules);
const before = memory();
const rows = [];
for (let i = 0; i < RUNS; i++) {
  const base = run(none);
  const withPolicies = run(rules);
  // Memory without a forced GC in between: a full GC also drops compiled code and skews the next run.
  const m = process.memoryUsage();
  rows.push({ base, withPolicies, m: { rss: m.rss, heap: m.heapUsed, external: m.external } });
  const per = ((withPolicies.wall - base.wall) * 1000) / N;
  const perCpu = ((withPolicies.cpu - base.cpu) * 1000) / N;
  console.log(
    `run ${i + 1}: ${per.toFixed(1)} µs/resource wall, ${perCpu.toFixed(1)} µs/resource cpu ` +
      `(lint ${withPolicies.wall.toFixed(0)} ms vs ${base.wall.toFixed(0)} ms without policies, ${withPolicies.findings} findings); ` +
      `rss ${mib(m.rss)} MiB, heap ${mib(m.heapUsed)} MiB`,
  );
}
rows[rows.length - 1].m = memory();
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const walls = rows.map((r) => ((r.withPolicies.wall - r.base.wall) * 1000) / N);
const cpus = rows.map((r) => ((r.withPolicies.cpu - r.base.cpu) * 1000) / N);
const perWall = mean(walls);
const perCpu = mean(cpus);
const stats = runtime.stats();
const last = rows[rows.length - 1].m;
console.log(
  `mean overhead: ${perWall.toFixed(1)} µs/resource wall, ${perCpu.toFixed(1)} µs/resource cpu (target ≤ 50 µs); ` +
    `best run: ${Math.min(...walls).toFixed(1)} µs wall, ${Math.min(...cpus).toFixed(1)} µs cpu`,
);
for (const s of stats)
  console.log(
    `  ${s.ruleId}: ${s.evaluations} evaluations, ${s.instantiations} instance(s), wasm memory ${mib(s.memoryBytes)} MiB, ${s.timeouts} timeouts`,
  );
console.log(
  `memory: ` +
    `after warm-up → after the last run: rss ${mib(before.rss)} → ${mib(last.rss)} MiB, heap ${mib(before.heap)} → ${mib(last.heap)} MiB, ` +
    `external ${mib(before.external)} → ${mib(last.external)} MiB`,
);
