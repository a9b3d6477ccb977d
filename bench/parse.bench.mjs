// Benchmark: parseSource (fast path) vs the yaml package on a generated 10k-resource manifest corpus.
// Usage: npx tsc -p tsconfig.build.json && node bench/parse.bench.mjs [resources=10000] [runs=7]
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';

const { parseSource, parseDocuments } = await import(
  new URL('../dist/source/parse.js', import.meta.url).href
);

const N = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 7);

// ---- corpus: Deployments, Services, ConfigMaps with block scalars, RBAC Roles, CronJobs --------

const deployment = (i) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
  namespace: team-${i % 17}
  labels: {app.kubernetes.io/name: web-${i}, app.kubernetes.io/part-of: shop}
spec:
  replicas: ${1 + (i % 5)}
  selector: {matchLabels: {app.kubernetes.io/name: web-${i}}}
  template:
    metadata: {labels: {app.kubernetes.io/name: web-${i}}}
    spec:
      containers:
      - name: app
        image: "registry.example.com/team-${i % 17}/web:1.${i % 40}.0"
        resources: {limits: {cpu: 500m, memory: 256Mi}, requests: {cpu: 100m, memory: 128Mi}}
`;

const service = (i) => `apiVersion: v1
kind: Service
metadata:
  name: web-${i}
  namespace: team-${i % 17}
  annotations: {prometheus.io/scrape: "true", prometheus.io/port: "9102"}
spec:
  selector: {app.kubernetes.io/name: web-${i}}
  ports:
  - {name: http, port: 80, targetPort: 8080, protocol: TCP} # container port
`;

const configMap = (i) => `apiVersion: v1
kind: ConfigMap
metadata: {name: config-${i}, namespace: team-${i % 17}}
data:
  LOG_LEVEL: info
  nginx.conf: |
    server {
      listen 8080;
      location / { return 200 'ok-${i}'; }
    }
`;

const role = (i) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader-${i}
  namespace: team-${i % 17}
rules:
- {apiGroups: [""], resources: ["pods", "configmaps", "services"], verbs: [get, list, watch]}
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  verbs: ["get"]
`;

const cronJob = (i) => `apiVersion: batch/v1
kind: CronJob
metadata: {name: backup-${i}, namespace: team-${i % 17}}
spec:
  schedule: "${i % 60} 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: backup
            image: registry.example.com/tools/backup:2.4.1
            args: ["--source=/data/${i}", "--target=s3://backups/team-${i % 17}"]
`;

function corpus(n) {
  const parts = [];
  for (let i = 0; i < n; i++) {
    const r = i % 20;
    // 20% Deployments, 25% Services, 25% ConfigMaps, 15% Roles, 15% CronJobs
    parts.push(
      r < 4 ? deployment(i) : r < 9 ? service(i) : r < 14 ? configMap(i) : r < 17 ? role(i) : cronJob(i),
    );
  }
  return parts.join('---\n');
}

// ---- measurement -------------------------------------------------------------------------------

/** Median and minimum wall time (and CPU time, less sensitive to a busy machine) over RUNS runs after a warm-up. */
function time(fn) {
  const wall = [];
  const cpu = [];
  let result;
  fn(); // warm-up
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { ms: med(wall), min: Math.min(...wall), cpu: med(cpu), result };
}

const text = corpus(N);
const mb = Buffer.byteLength(text) / 1e6;
const lines = text.split('\n').length;
console.log(
  `corpus: ${N} resources, ${lines} lines (${(lines / N).toFixed(1)}/resource), ${mb.toFixed(2)} MB`,
);

const row = (label, t, resources) =>
  console.log(
    `${label.padEnd(40)} ${t.ms.toFixed(1).padStart(8)} ms (min ${t.min.toFixed(1).padStart(6)}, cpu ${t.cpu.toFixed(1).padStart(6)})` +
      `  ${(mb / (t.ms / 1000)).toFixed(1).padStart(6)} MB/s  ${Math.round(resources / (t.ms / 1000))
        .toLocaleString('en-US')
        .padStart(9)} resources/s`,
  );

// the very first call pays for JIT warm-up, as a one-shot CLI run does
const c0 = performance.now();
parseSource('corpus.yaml', text);
console.log(`first parseSource call (cold JIT): ${(performance.now() - c0).toFixed(1)} ms`);

const fast = time(() => parseSource('corpus.yaml', text));
const parsers = parseDocuments('corpus.yaml', text).documents.reduce(
  (m, d) => ((m[d.parser] = (m[d.parser] ?? 0) + 1), m),
  {},
);
console.log(
  `fast path handled: ${JSON.stringify(parsers)}; problems: ${fast.result.problems.length}; resources: ${fast.result.resources.length}`,
);
row('parseSource (fast path)', fast, N);

const locate = time(() => {
  const { resources } = parseSource('corpus.yaml', text);
  for (const r of resources) r.source.locate('/metadata/name');
  return resources.length;
});
row('parseSource + 1 locate per resource', locate, N);

const forced = time(() => parseSource('corpus.yaml', text, { fastPath: false }));
row('parseSource (yaml package for all docs)', forced, N);

const yamlOnly = time(() => parseAllDocuments(text, { version: '1.1' }));
row('yaml parseAllDocuments (no toJS)', yamlOnly, N);

const yamlJs = time(() => parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS()));
row('yaml parseAllDocuments + toJS', yamlJs, N);

console.log(`speed-up vs yaml parseAllDocuments + toJS: ${(yamlJs.ms / fast.ms).toFixed(1)}x`);
