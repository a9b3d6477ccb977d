#!/usr/bin/env node
// Admission webhook load benchmark: `shipshape serve` over HTTPS (its own process) loaded from
// a separate load-generator process with a realistic mix of AdmissionReviews (Pods, Deployments,
// Services, ConfigMaps, RBAC; 70% /validate, 30% /mutate). Phases:
//   0. the floor: the same generator against a constant-answer HTTPS server;
//   1. a fixed rate (default 1,000 requests/s) for --duration seconds: latency percentiles (all
//      requests, and without the first second, when the generator opens its connections and the
//      TLS handshakes happen), errors, the server's CPU per request, its RSS sampled every second
//      (start, max, end, and the trend over the second half of the run);
//   2. the maximum sustainable rate: rising fixed rates for --step-duration seconds each until one
//      falls short (achieved < 97% of target, p99 > --max-p99 ms, or any error);
//   3. an unthrottled run (closed loop, --connections workers) for the raw throughput ceiling.
// Usage: npm run build && scripts/install-peers.sh vegeta &&
//        node bench/webhook.bench.mjs [--duration 30] [--rate 1000] [--step-duration 10]
//          [--connections 64] [--max-p99 5] [--skip-search] [--generator vegeta|paced|autocannon]
//          [--warmup 5] [--mutations] [--cpu-only [--repeat 5] [--floor]] [--stages [N] [--mutations]] [--cpu-prof DIR]
// The 10-minute soak of the issue is `--duration 600 --skip-search`.
// --mutations: the server's config also has declarative mutations (`mutations:`, the README's seed
// and four more), so every phase runs with them; and a phase [M] loads /mutate alone (the mix's
// /mutate requests only) at --rate for --duration s, against a second server without mutations and
// against the one with them, and prints /mutate p50/p99 for both: the per-request budget with and
// without mutations configured.
// --cpu-only: the server's CPU per request and its RSS only, for comparing builds (on a loaded
// machine too, since CPU time, unlike latency, hardly depends on what else runs): no floor [0], no
// [M], no search [2]/[3]; phase [1] runs --repeat times (default 5) after one warm-up, each run
// printing CPU µs per request (user + system from /proc/<pid>/stat over the run, divided by the
// requests answered) and RSS at its start and end, then the median. With --floor, first the same
// measure on the constant-answer server of [0] (TLS, HTTP and sockets alone).
// --cpu-prof DIR: the server runs under `node --cpu-prof --cpu-prof-dir DIR` (the profile is
// written when it exits at the end); summarise it with `node bench/webhook.bench.mjs --summarise-profile DIR/<file>.cpuprofile`
// (self and inclusive time of the top functions, mapped through the bundle's source map, and the
// share of each part of a request: TLS and HTTP, body and JSON parse, rules, mutation, answer,
// logging and metrics, GC).
// Only 127.0.0.1 is ever loaded. The generator is vegeta (Go, pinned by scripts/install-peers.sh):
// an open-loop constant-rate attacker over a fixed pool of keep-alive HTTPS connections that
// verify the CA, so it measures the server rather than a JavaScript client sharing its two cores.
// Without vegeta the built-in paced Node generator is used (and says so). The server's own
// histogram (/metrics) is printed too.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};

/** The declarative mutations of --mutations: labels (object and pod templates), an annotation, fields set and removed. */
const MUTATION_CONFIG = [
  'mutations:',
  '  - name: env-prod',
  '    match: { kinds: [Pod, Deployment] }',
  '    addLabels: { env: prod }',
  '  - name: cost-center',
  '    match: { namespaces: [shop], selector: { matchLabels: { team: payments } } }',
  '    addAnnotations: { example.com/cost-center: payments }',
  '  - name: pull-policy',
  '    match: { names: ["*"] }',
  '    set: { path: imagePullPolicy, value: IfNotPresent, in: container }',
  '  - name: non-root',
  '    set: { path: securityContext.runAsNonRoot, value: true, in: podSpec }',
  '  - name: no-host-network',
  '    remove: { path: /spec/hostNetwork }',
  '',
].join('\n');

// ---------------------------------------------------------------- the mix of AdmissionReviews
const managedFields = [
  {
    manager: 'kubectl-client-side-apply',
    operation: 'Update',
    apiVersion: 'apps/v1',
    time: '2026-11-22T10:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } },
  },
];
const meta = (name, ns, extra = {}) => ({
  name,
  namespace: ns,
  uid: '2f1c7c3e-8d55-4b8e-9a6f-1f0b8d7e6a10',
  creationTimestamp: null,
  labels: {
    app: name,
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': 'shop',
    team: 'payments',
  },
  annotations: { 'example.com/owner': 'payments@example.com' },
  managedFields,
  ...extra,
});
const container = (name, image, extra = {}) => ({
  name,
  image,
  imagePullPolicy: 'IfNotPresent',
  ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
  env: [
    { name: 'LOG_LEVEL', value: 'info' },
    { name: 'DB_HOST', valueFrom: { configMapKeyRef: { name: 'db', key: 'host' } } },
  ],
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
  livenessProbe: { httpGet: { path: '/live', port: 'http' }, periodSeconds: 10 },
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  },
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  ...extra,
});
const podSpec = (image, extra = {}) => ({
  containers: [
    container('app', image),
    container('sidecar', 'registry.example/proxy:2.4.1', { ports: [{ containerPort: 15001 }] }),
  ],
  securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
  restartPolicy: 'Always',
  dnsPolicy: 'ClusterFirst',
  serviceAccountName: 'shop',
  terminationGracePeriodSeconds: 30,
  volumes: [{ name: 'config', configMap: { name: 'shop-config' } }],
  ...extra,
});

const objects = {
  podOk: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('api-7d9f', 'shop'),
    spec: podSpec('registry.example/api:3.2.0'),
  },
  podWarn: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('worker-5c2a', 'shop'),
    spec: podSpec('registry.example/worker:latest', { securityContext: {} }),
  },
  podDenied: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('debug', 'shop'),
    spec: {
      ...podSpec('registry.example/debug:1.0.0'),
      hostNetwork: true,
      containers: [
        container('debug', 'registry.example/debug:1.0.0', { securityContext: { privileged: true } }),
      ],
    },
  },
  deployment: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('api', 'shop'),
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'api' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { app: 'api', 'app.kubernetes.io/name': 'api' } },
        spec: podSpec('registry.example/api:3.2.0'),
      },
    },
  },
  deploymentFix: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('legacy', 'shop'),
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'legacy' } },
      template: {
        metadata: { labels: { app: 'legacy' } },
        spec: podSpec('registry.example/legacy:1.0.0', { securityContext: {} }),
      },
    },
  },
  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('api', 'shop'),
    spec: {
      type: 'ClusterIP',
      selector: { app: 'api' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  },
  configMap: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('shop-config', 'shop'),
    data: {
      'app.yaml': 'server:\n  port: 8080\n  timeout: 30s\nfeatures:\n  checkout: true\n'.repeat(8),
      LOG_FORMAT: 'json',
    },
  },
  role: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta('shop-reader', 'shop'),
    rules: [
      { apiGroups: [''], resources: ['configmaps', 'services'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
    ],
  },
  roleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta('shop-reader', 'shop'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'shop-reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'shop', namespace: 'shop' }],
  },
};
const resourceOf = {
  Pod: 'pods',
  Deployment: 'deployments',
  Service: 'services',
  ConfigMap: 'configmaps',
  Role: 'roles',
  RoleBinding: 'rolebindings',
};
let uid = 0;
function reviewFor(object, operation = 'CREATE') {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `bench-${++uid}`,
      kind: { group, version, kind: object.kind },
      resource: { group, version, resource: resourceOf[object.kind] },
      requestKind: { group, version, kind: object.kind },
      namespace: object.metadata.namespace,
      name: object.metadata.name,
      operation,
      userInfo: {
        username: 'system:serviceaccount:ci:deployer',
        groups: ['system:serviceaccounts', 'system:authenticated'],
      },
      object,
      oldObject: operation === 'UPDATE' ? object : null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  });
}
/**
 * 20 slots: Pods 7, Deployments 5, Services 3, ConfigMaps 3, RBAC 2; 14 validate + 6 mutate.
 * `mutate`: the 6 /mutate slots alone (2 Pods, 2 Deployments, a Service, a ConfigMap).
 */
function mix(kind = 'all') {
  if (kind === 'mutate') return mix().filter((r) => r.path === '/mutate');
  const v = (o, op) => ({
    method: 'POST',
    path: '/validate',
    headers: { 'content-type': 'application/json' },
    body: reviewFor(o, op),
  });
  const m = (o) => ({
    method: 'POST',
    path: '/mutate',
    headers: { 'content-type': 'application/json' },
    body: reviewFor(o),
  });
  return [
    v(objects.podOk),
    m(objects.podOk),
    v(objects.podWarn),
    m(objects.podWarn),
    v(objects.podDenied),
    v(objects.podOk, 'UPDATE'),
    v(objects.podOk),
    v(objects.deployment),
    m(objects.deployment),
    v(objects.deploymentFix),
    m(objects.deploymentFix),
    v(objects.deployment, 'UPDATE'),
    v(objects.service),
    v(objects.service, 'UPDATE'),
    m(objects.service),
    v(objects.configMap),
    v(objects.configMap, 'UPDATE'),
    m(objects.configMap),
    v(objects.role),
    v(objects.roleBinding),
  ];
}

// ---------------------------------------------------------------- the mix as JSON (for profiling)
if (args[0] === '--dump-mix') {
  writeFileSync(args[1], JSON.stringify(mix().map((r) => ({ path: r.path, review: JSON.parse(r.body) }))));
  process.exit(0);
}

// ---------------------------------------------------------------- in-process stages (CPU time)
// --stages [N]: the mix's requests handled in this process, N rounds (default 1000), with the
// bench's config, each stage timed alone in CPU time (process.cpuUsage, user + system): JSON.parse
// of the body, the decision (validate/mutate: skip checks, lint, mutation, answer building) and the
// lint alone within it, the answer's JSON.stringify, and the whole application handler (createApp
// with its logging to a discarding stream and its metrics) on in-memory requests: no TLS, no
// sockets, no HTTP parsing. The rest of the server's CPU per request (--cpu-only) is those.
if (args[0] === '--stages') {
  const rounds = Number(/^\d+$/.test(args[1] ?? '') ? args[1] : '1000');
  const dist = (m) => import(new URL(`../dist/${m}`, import.meta.url).href);
  const [
    { parseConfig },
    { resolveSettings, parseReview, validate, mutate, reviewResponse },
    { loadEngine },
    { createApp },
  ] = await Promise.all([
    dist('config/load.js'),
    dist('webhook/admission.js'),
    dist('webhook/engine.js'),
    dist('webhook/app.js'),
  ]);
  const { pino } = await import('pino');
  const { Readable, Writable } = await import('node:stream');
  // --stages N --mutations: the server's config of --mutations (the five declarative mutations)
  const config = parseConfig(
    'presets: [recommended]\nrules:\n  require-seccomp-profile: warn\n  no-privilege-escalation: warn\n' +
      (args.includes('--mutations') ? MUTATION_CONFIG : ''),
    'bench.yaml',
  );
  const settings = resolveSettings(config.webhook);
  const engine = await loadEngine(config, settings, ROOT);
  const reqs = mix().map((r) => ({ endpoint: r.path.slice(1), body: r.body, review: JSON.parse(r.body) }));
  const n = rounds * reqs.length;
  const cpu = (fn) => {
    for (let i = 0; i < Math.min(rounds, 200); i++) for (const r of reqs) fn(r); // warm-up
    const c0 = process.cpuUsage();
    for (let i = 0; i < rounds; i++) for (const r of reqs) fn(r);
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / n;
  };
  const decide = (r) => {
    const request = parseReview(r.review);
    return r.endpoint === 'validate'
      ? validate(request, engine, settings)
      : mutate(request, engine, settings);
  };
  const decisions = reqs.map(decide);
  const share = (endpoint) => reqs.filter((r) => r.endpoint === endpoint).length / reqs.length;
  const only = (endpoint, fn) => (r) => (r.endpoint === endpoint ? fn(r) : undefined);
  const out = {};
  out['JSON.parse of the body'] = cpu((r) => JSON.parse(r.body));
  out['decision (validate/mutate)'] = cpu(decide);
  out['  /validate decisions (per request of the mix)'] = cpu(only('validate', decide));
  out['  /mutate decisions (per request of the mix)'] = cpu(only('mutate', decide));
  out['  lint of the object, once per request'] = cpu((r) => engine.lint(r.review.request.object));
  out['    /validate share'] = cpu(only('validate', (r) => engine.lint(r.review.request.object)));
  out['    /mutate share'] = cpu(only('mutate', (r) => engine.lint(r.review.request.object)));
  console.log(
    `(/validate ${(share('validate') * 100).toFixed(0)} % of the mix, /mutate ${(share('mutate') * 100).toFixed(0)} %)`,
  );
  let k = 0;
  out['answer JSON.stringify'] = cpu(() =>
    JSON.stringify(reviewResponse(decisions[k++ % decisions.length].response)),
  );
  // The whole handler on in-memory requests: logs to a stream that drops them, metrics as served.
  const handler = (level) =>
    createApp({
      engine,
      settings,
      logger: pino(
        { level, base: { service: 'shipshape-webhook' } },
        new Writable({ write: (_c, _e, cb) => cb() }),
      ),
      processMetrics: false,
    });
  let app;
  const handle = (r) =>
    new Promise((resolvePromise) => {
      const req = Readable.from([Buffer.from(r.body)], { objectMode: false });
      Object.assign(req, {
        method: 'POST',
        url: `/${r.endpoint}?timeout=10s`,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(r.body)) },
        complete: true,
      });
      const res = {
        headersSent: false,
        setHeader() {},
        once() {},
        writeHead() {
          this.headersSent = true;
        },
        end: resolvePromise,
      };
      app(req, res);
    });
  const whole = async (fn) => {
    for (let i = 0; i < 200; i++) for (const r of reqs) await fn(r);
    const c0 = process.cpuUsage();
    for (let i = 0; i < rounds; i++) for (const r of reqs) await fn(r);
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / n;
  };
  app = handler('silent');
  const silent = await whole(handle);
  app = handler('info');
  out['whole handler, in memory (body stream, parse, decision, answer, log, metrics)'] = await whole(handle);
  out['  the same without the log line'] = silent;
  out['  the in-memory body stream alone (not in a server)'] = await whole(
    (r) =>
      new Promise((resolvePromise) => {
        const req = Readable.from([Buffer.from(r.body)], { objectMode: false });
        req.on('data', () => {});
        req.on('end', resolvePromise);
      }),
  );
  console.log(
    `in-process stages, CPU µs per request (mix of ${reqs.length}, ${rounds} rounds), node ${process.version}, load ${loadavg()[0].toFixed(2)}:`,
  );
  for (const [name, us] of Object.entries(out)) console.log(`  ${us.toFixed(1).padStart(7)}  ${name}`);
  process.exit(0);
}

// ---------------------------------------------------------------- a .cpuprofile, summarised
if (args[0] === '--summarise-profile') {
  const { SourceMap } = await import('node:module');
  const prof = JSON.parse(readFileSync(args[1], 'utf8'));
  const maps = new Map();
  /** The original source file and line of a bundled frame (through its .map), else the frame's own. */
  const origin = (cf) => {
    if (!cf.url.startsWith('file://')) return { file: cf.url || '(native)', line: cf.lineNumber + 1 };
    let map = maps.get(cf.url);
    if (map === undefined) {
      const f = `${fileURLToPath(cf.url)}.map`;
      map = existsSync(f) ? new SourceMap(JSON.parse(readFileSync(f, 'utf8'))) : null;
      maps.set(cf.url, map);
    }
    const e = map?.findEntry(cf.lineNumber, cf.columnNumber);
    return e?.originalSource
      ? { file: e.originalSource.replace(/^.*?(src\/|node_modules\/)/, '$1'), line: e.originalLine + 1 }
      : { file: cf.url.replace(/^.*\//, ''), line: cf.lineNumber + 1 };
  };
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const info = new Map();
  for (const n of prof.nodes) {
    const o = origin(n.callFrame);
    info.set(n.id, {
      key: `${n.callFrame.functionName || '(anonymous)'} ${o.file}:${o.line}`,
      name: n.callFrame.functionName,
      file: o.file,
    });
  }
  /** The part of a request a stack belongs to: the innermost frame that names one. */
  const PARTS = [
    ['GC', (f) => f.name === '(garbage collector)'],
    [
      'logging (pino)',
      (f) =>
        /node_modules\/(pino|sonic-boom|fast-redact|quick-format|atomic-sleep)/.test(f.file) ||
        (/\brecord\b/.test(f.name) && f.file.includes('webhook/app')),
    ],
    ['metrics (prom-client)', (f) => /node_modules\/prom-client/.test(f.file)],
    [
      'mutation: fix, re-lint, diff, verify',
      (f) =>
        /src\/engine\/(patch|fix|mutate)|fast-json-patch/.test(f.file) ||
        f.name === 'fixObject' ||
        f.name === 'planMutations',
    ],
    ['rules (lint)', (f) => /src\/(rules|engine|linter|schema|policy|config)\//.test(f.file)],
    ['admission mapping (answer building)', (f) => /src\/webhook\/admission/.test(f.file)],
    ['answer serialisation + write', (f) => f.name === 'sendJson' || f.name === 'stringify'],
    [
      'body read + JSON.parse',
      // readJson and its 'end' handler (onBodyEnd; anonymous at app.ts:155 before it was named)
      (f) => /^(readJson|onBodyEnd)$/.test(f.name) || f.key.endsWith('src/webhook/app.ts:155'),
    ],
    ['webhook HTTP handler (app.ts)', (f) => f.file.includes('src/webhook/')],
    ['express', (f) => /node_modules\/(express|router|finalhandler|body-parser)/.test(f.file)],
    ['TLS (JS side)', (f) => /node:_tls|node:tls|node:internal\/tls/.test(f.file)],
    [
      'TLS encryption + socket write (native writev)',
      (f) => f.file === '(native)' && /^write(v|String|Buffer|Utf8String|Latin1String)$/.test(f.name),
    ],
    ['HTTP server + streams (node internals)', (f) => /^node:/.test(f.file)],
  ];
  const self = new Map();
  const incl = new Map();
  const parts = new Map();
  let total = 0;
  let idle = 0;
  const dt = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) {
    const d = dt[i + 1] ?? 0;
    const id = prof.samples[i];
    const leaf = info.get(id);
    if (leaf.name === '(idle)') {
      idle += d;
      continue;
    }
    total += d;
    self.set(leaf.key, (self.get(leaf.key) ?? 0) + d);
    const seen = new Set();
    let part;
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const f = info.get(cur);
      if (!seen.has(f.key)) {
        seen.add(f.key);
        incl.set(f.key, (incl.get(f.key) ?? 0) + d);
      }
      part ??= PARTS.find(([, test]) => test(f))?.[0];
    }
    part ??=
      leaf.name === '(program)'
        ? '(program): native, no JS on the stack (TLS record crypto, libuv, parser)'
        : 'other';
    parts.set(part, (parts.get(part) ?? 0) + d);
  }
  const pct = (x) => `${((x / total) * 100).toFixed(1).padStart(5)} %`;
  const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(
    `profile ${args[1]}: ${(total / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle`,
  );
  console.log('\nparts of the busy time (innermost frame that names one):');
  for (const [k, v] of top(parts, 99)) console.log(`  ${pct(v)}  ${k}`);
  console.log('\ntop self time:');
  for (const [k, v] of top(self, Number(args[2] ?? 30))) console.log(`  ${pct(v)}  ${k}`);
  console.log('\ntop inclusive time:');
  for (const [k, v] of top(incl, Number(args[2] ?? 30))) console.log(`  ${pct(v)}  ${k}`);
  process.exit(0);
}

// ---------------------------------------------------------------- paced load-generator child
// An open-loop generator: requests leave on a uniform schedule (every 1/rate s) whatever the answers
// do, over a keep-alive pool with a client that verifies the CA, and latency is measured from the
// *scheduled* send time (no coordinated omission) with microsecond resolution. autocannon's rate
// limit is a per-second quota per connection (lib/httpClient.js), which sends each second's
// requests in one burst and so measures the burst queue rather than the server.
if (args[0] === '--paced') {
  const spec = JSON.parse(args[1]);
  const { default: https } = await import('node:https');
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: spec.connections,
    ca: readFileSync(spec.ca),
    servername: 'shipshape',
  });
  const url = new URL(spec.url);
  const reqs = mix(spec.mix).map((r) => ({ ...r, body: Buffer.from(r.body) }));
  const lat = [];
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  let done = 0;
  const start = process.hrtime.bigint();
  const total = Math.round(spec.rate * spec.duration);
  const send = (scheduled) => {
    const r = reqs[sent % reqs.length];
    sent++;
    const req = https.request(
      {
        host: url.hostname,
        port: url.port,
        path: r.path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': r.body.length },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          lat.push(Number(process.hrtime.bigint() - scheduled) / 1e6);
          if (res.statusCode !== 200) non2xx++;
          done++;
        });
      },
    );
    req.on('error', () => {
      errors++;
      done++;
    });
    req.end(r.body);
  };
  await new Promise((resolvePromise) => {
    const tick = () => {
      const now = process.hrtime.bigint();
      const due = Math.min(total, Math.floor((Number(now - start) / 1e9) * spec.rate));
      while (sent < due) send(start + BigInt(Math.round((sent / spec.rate) * 1e9)));
      if (sent >= total) return resolvePromise();
      setImmediate(tick);
    };
    tick();
  });
  const deadline = Date.now() + 15_000;
  while (done < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  lat.sort((a, b) => a - b);
  const q = (p) => Number((lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] ?? NaN).toFixed(2));
  process.stdout.write(
    JSON.stringify({
      target: spec.rate,
      rps: done / elapsed,
      total: done,
      duration: elapsed,
      latency: {
        p50: q(0.5),
        p90: q(0.9),
        p99: q(0.99),
        p999: q(0.999),
        max: q(1),
        mean: Number((lat.reduce((a, b) => a + b, 0) / lat.length).toFixed(2)),
      },
      errors,
      timeouts: sent - done,
      non2xx,
    }),
  );
  agent.destroy();
  process.exit(0);
}

// ---------------------------------------------------------------- autocannon child (closed loop)
if (args[0] === '--load') {
  const { default: autocannon } = await import('autocannon');
  const spec = JSON.parse(args[1]);
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.duration,
    overallRate: spec.rate || undefined,
    requests: mix(spec.mix),
    servername: 'shipshape',
    tlsOptions: { ca: readFileSync(spec.ca) },
    timeout: 10,
  });
  process.stdout.write(
    JSON.stringify({
      target: spec.rate,
      rps: result.requests.average,
      total: result.requests.total,
      duration: result.duration,
      latency: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        p999: result.latency.p99_9,
        max: result.latency.max,
        mean: result.latency.mean,
      },
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
    }),
  );
  process.exit(0);
}

// ---------------------------------------------------------------- orchestrator
const DURATION = Number(opt('--duration', '30'));
const RATE = Number(opt('--rate', '1000'));
const STEP = Number(opt('--step-duration', '10'));
const CONNECTIONS = Number(opt('--connections', '64'));
const MAX_P99 = Number(opt('--max-p99', '5'));
const SKIP_SEARCH = args.includes('--skip-search');
const VEGETA = join(ROOT, '.cache/peers/bin/vegeta');
/**
 * `vegeta` (default when scripts/install-peers.sh installed it), `paced` (the Node generator
 * above, uniform schedule) or `autocannon` (per-second bursts; closed loop).
 */
const GENERATOR = opt('--generator', existsSync(VEGETA) ? 'vegeta' : 'paced');
if (GENERATOR === 'vegeta' && !existsSync(VEGETA))
  throw new Error('vegeta is not installed: run scripts/install-peers.sh vegeta (or pass --generator paced)');

const dir = mkdtempSync(join(tmpdir(), 'shipshape-webhook-bench-'));
const certs = spawnSync(
  process.execPath,
  [
    'bin/shipshape.js',
    'certs',
    '--service',
    'shipshape',
    '--namespace',
    'bench',
    '--ip',
    '127.0.0.1',
    '--out-dir',
    dir,
  ],
  {
    cwd: ROOT,
    encoding: 'utf8',
  },
);
if (certs.status !== 0) throw new Error(certs.stderr);
const MUTATIONS = args.includes('--mutations');
const RULES =
  'presets: [recommended]\nrules:\n  require-seccomp-profile: warn\n  no-privilege-escalation: warn\n';
writeFileSync(join(dir, 'config.yaml'), RULES + (MUTATIONS ? MUTATION_CONFIG : ''));
writeFileSync(join(dir, 'config-plain.yaml'), RULES);

const ca = join(dir, 'ca.crt');
let logBytes = 0;
/** `shipshape serve` on a free loopback port with `config`, once /readyz answers 200. */
const CPU_PROF = opt('--cpu-prof', undefined);
async function startServer(config) {
  const proc = spawn(
    process.execPath,
    [
      ...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF] : []),
      'bin/shipshape.js',
      'serve',
      '--config',
      join(dir, config),
      '--cert-file',
      join(dir, 'tls.crt'),
      '--key-file',
      join(dir, 'tls.key'),
      '--host',
      '127.0.0.1',
      '--port',
      '0',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const listening = await new Promise((resolvePromise, reject) => {
    let head = '';
    let found;
    proc.stdout.on('data', (c) => {
      logBytes += c.length; // structured logs at info, one line per request, drained like a container runtime would
      if (found) return;
      head += c.toString();
      const m = /"port":(\d+)/.exec(head);
      if (m) {
        found = Number(m[1]);
        resolvePromise(found);
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  for (
    let i = 0;
    i < 100 &&
    (await request(listening, 'GET', '/readyz').then(
      (r) => r.status,
      () => 0,
    )) !== 200;
    i++
  )
    await new Promise((r) => setTimeout(r, 100));
  return { proc, port: listening };
}
/** One HTTPS request to a server of this run (CA-verified). */
function request(targetPort, method, path, body) {
  return new Promise((resolvePromise, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: targetPort,
        path,
        method,
        ca: readFileSync(ca),
        servername: 'shipshape',
        headers: body
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
          : {},
      },
      (res) => {
        let t = '';
        res.on('data', (c) => (t += c));
        res.on('end', () => resolvePromise({ status: res.statusCode, text: t }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const main = await startServer('config.yaml');
const server = main.proc;
const port = main.port;
const get = (path) => request(port, 'GET', path);

const rssMiB = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

function load(rate, duration, targetPort = port, kind = 'all') {
  if (GENERATOR === 'vegeta') return vegeta(rate, duration, targetPort, kind);
  const spec = JSON.stringify({
    url: `https://127.0.0.1:${targetPort}`,
    rate,
    duration,
    connections: CONNECTIONS,
    ca,
    mix: kind,
  });
  return new Promise((resolvePromise, reject) => {
    const mode = rate > 0 && GENERATOR === 'paced' ? '--paced' : '--load';
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), mode, spec], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) =>
      code === 0 ? resolvePromise(JSON.parse(out)) : reject(new Error(`load generator exited ${code}`)),
    );
  });
}

/**
 * One vegeta attack: `rate` requests/s (0 = closed loop with CONNECTIONS workers) for `duration` s
 * over exactly CONNECTIONS keep-alive HTTP/1.1 connections (the API server's webhook client also
 * keeps its connections). Latencies are exact, from every result (`vegeta encode --to csv`).
 */
async function vegeta(rate, duration, targetPort, kind) {
  const targets = join(dir, `targets-${targetPort}-${kind}.jsonl`);
  if (!existsSync(targets))
    writeFileSync(
      targets,
      mix(kind)
        .map((r) =>
          JSON.stringify({
            method: 'POST',
            url: `https://127.0.0.1:${targetPort}${r.path}?timeout=10s`,
            body: Buffer.from(r.body).toString('base64'),
            header: { 'Content-Type': ['application/json'] },
          }),
        )
        .join('\n') + '\n',
    );
  const results = join(dir, 'results.bin');
  const attack = [
    'attack',
    '-format=json',
    `-targets=${targets}`,
    `-root-certs=${ca}`,
    '-keepalive=true',
    '-http2=false',
    `-connections=${CONNECTIONS}`,
    `-max-connections=${CONNECTIONS}`,
    `-workers=${CONNECTIONS}`,
    `-duration=${duration}s`,
    '-timeout=10s',
    '-max-body=0',
    `-output=${results}`,
    ...(rate > 0 ? [`-rate=${rate}/1s`] : ['-rate=0', `-max-workers=${CONNECTIONS}`]),
  ];
  await new Promise((resolvePromise, reject) => {
    const child = spawn(VEGETA, attack, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`vegeta attack exited ${code}`)),
    );
  });
  // CSV columns: timestamp (ns), status code, latency (ns), bytes out, bytes in, error, …
  const enc = spawn(VEGETA, ['encode', '--to', 'csv', results], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lat = [];
  const steady = [];
  let t0 = -1;
  let end = 0;
  let errors = 0;
  let non2xx = 0;
  const { createInterface } = await import('node:readline');
  for await (const line of createInterface({ input: enc.stdout })) {
    const f = line.split(',', 6);
    const ts = Number(f[0]);
    const code = Number(f[1]);
    const ms = Number(f[2]) / 1e6;
    if (t0 < 0) t0 = ts;
    end = Math.max(end, ts + Number(f[2]));
    if (code === 0) {
      errors++;
      continue;
    }
    if (code !== 200) non2xx++;
    lat.push(ms);
    if (ts - t0 >= 1e9) steady.push(ms);
  }
  rmSync(results, { force: true });
  const quantiles = (xs) => {
    xs.sort((a, b) => a - b);
    const q = (p) => Number((xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN).toFixed(2));
    return {
      p50: q(0.5),
      p90: q(0.9),
      p99: q(0.99),
      p999: q(0.999),
      max: q(1),
      mean: Number((xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2)),
    };
  };
  const total = lat.length + errors;
  const seconds = (end - t0) / 1e9;
  return {
    target: rate,
    rps: total / seconds,
    total,
    duration: seconds,
    latency: quantiles(lat),
    steady: quantiles(steady),
    errors,
    timeouts: 0,
    non2xx,
  };
}

/** Rising fixed rates until one is not sustained; the last sustained rate. */
async function searchRate(targetPort) {
  let sustainable = 0;
  for (const rate of [500, 1000, 1250, 1500, 1750, 2000, 2250, 2500, 2750, 3000, 3500, 4000, 5000]) {
    const r = await load(rate, STEP, targetPort);
    const ok =
      r.rps >= rate * 0.97 &&
      (r.steady ?? r.latency).p99 <= MAX_P99 &&
      r.errors === 0 &&
      r.timeouts === 0 &&
      r.non2xx === 0;
    console.log(`    ${ok ? 'ok  ' : 'FAIL'} ${fmt(r)}`);
    if (!ok) break;
    sustainable = rate;
  }
  return sustainable;
}

/** Server-side latency quantiles from the /metrics histogram (upper bucket bounds). */
async function serverQuantiles() {
  const text = (await get('/metrics')).text;
  const out = {};
  for (const endpoint of ['validate', 'mutate']) {
    const buckets = [
      ...text.matchAll(
        new RegExp(
          `shipshape_admission_request_duration_seconds_bucket\\{le="([^"]+)",endpoint="${endpoint}"\\} (\\d+)`,
          'g',
        ),
      ),
    ].map((m) => [m[1], Number(m[2])]);
    const total = buckets.find(([le]) => le === '+Inf')?.[1] ?? 0;
    const q = (p) => buckets.find(([, n]) => n >= total * p)?.[0];
    out[endpoint] = { count: total, p50: `≤${q(0.5)}s`, p99: `≤${q(0.99)}s` };
  }
  return out;
}

const fmt = (r) =>
  `target ${r.target || 'max'}/s → ${r.rps.toFixed(0)}/s, ${r.total} requests; latency p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, p99 ${r.latency.p99} ms, p99.9 ${r.latency.p999} ms, max ${r.latency.max} ms` +
  (r.steady
    ? ` (after the first second: p50 ${r.steady.p50}, p99 ${r.steady.p99}, p99.9 ${r.steady.p999}, max ${r.steady.max} ms)`
    : '') +
  `; errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}`;

const keyType = spawnSync('openssl', ['x509', '-in', join(dir, 'tls.crt'), '-noout', '-text'], {
  encoding: 'utf8',
}).stdout.match(/Public Key Algorithm: (\S+)/)?.[1];
console.log(
  `shipshape webhook bench: node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)} before the run, generator ${GENERATOR}, ${CONNECTIONS} connections, HTTPS (TLS, keep-alive, server key ${keyType ?? 'unknown'}), server pid ${server.pid}`,
);
const rssStart = rssMiB();
console.log(`server RSS after start: ${rssStart.toFixed(1)} MiB`);

/** The floor of this machine: a constant-answer Node HTTPS server (same certificate) and its port. */
async function startFloor() {
  const proc = spawn(
    process.execPath,
    [
      ...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF, '--cpu-prof-name', 'floor.cpuprofile'] : []),
      '-e',
      `process.on('SIGTERM', () => process.exit(0));
     const https = require('node:https'); const fs = require('node:fs');
     const body = '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"x","allowed":true}}';
     https.createServer({ cert: fs.readFileSync(${JSON.stringify(join(dir, 'tls.crt'))}), key: fs.readFileSync(${JSON.stringify(join(dir, 'tls.key'))}) },
       (req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }); res.end(body); }); })
       .listen(0, '127.0.0.1', function () { console.log(this.address().port); });`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const floorPort = await new Promise((r) => proc.stdout.once('data', (c) => r(Number(String(c).trim()))));
  return { proc, port: floorPort };
}

/** CPU seconds (user + system) a process (default: the server) has used so far. */
const cpuSeconds = (pid = server.pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (args.includes('--cpu-only')) {
  const REPEAT = Number(opt('--repeat', '5'));
  const warm = Number(opt('--warmup', '5'));
  if (args.includes('--floor')) {
    // The same measure on the constant-answer server: what TLS, HTTP and the sockets cost alone.
    const f = await startFloor();
    if (warm > 0) await load(RATE, warm, f.port);
    const c0 = cpuSeconds(f.proc.pid);
    const r = await load(RATE, DURATION, f.port);
    console.log(
      `[floor] constant-answer HTTPS server, ${DURATION} s at ${RATE}/s: ${r.total} requests; CPU ${(((cpuSeconds(f.proc.pid) - c0) / r.total) * 1e6).toFixed(0)} µs per request`,
    );
    f.proc.kill('SIGTERM');
  }
  if (warm > 0) await load(RATE, warm);
  const perRequest = [];
  for (let i = 1; i <= REPEAT; i++) {
    const rss0 = rssMiB();
    const c0 = cpuSeconds();
    const r = await load(RATE, DURATION);
    const us = ((cpuSeconds() - c0) / r.total) * 1e6;
    perRequest.push(us);
    console.log(
      `[cpu ${i}/${REPEAT}] ${DURATION} s at ${RATE}/s: ${r.total} requests, errors ${r.errors}, non-2xx ${r.non2xx}; server CPU ${us.toFixed(0)} µs per request; RSS ${rss0.toFixed(1)} → ${rssMiB().toFixed(1)} MiB; load average ${loadavg()[0].toFixed(2)}`,
    );
  }
  console.log(
    `server CPU per request, median of ${REPEAT}: ${median(perRequest).toFixed(0)} µs (runs: ${perRequest.map((x) => x.toFixed(0)).join(', ')}); RSS at start ${rssStart.toFixed(1)} MiB, at the end ${rssMiB().toFixed(1)} MiB`,
  );
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

// 0. the floor of this machine: the same generator against a constant-answer HTTPS server
const { proc: baseline, port: baselinePort } = await startFloor();
const floor = await load(RATE, Math.min(DURATION, 10), baselinePort);
console.log(
  `\n[0] baseline, constant-answer HTTPS server, ${Math.min(DURATION, 10)} s at ${RATE}/s: ${fmt(floor)}`,
);
if (args.includes('--search-baseline')) {
  console.log(`    the same server's maximum sustainable rate (criterion as in [2]):`);
  console.log(`    maximum sustainable rate: ${await searchRate(baselinePort)}/s`);
}
baseline.kill('SIGTERM');

// 1. fixed rate, after a short warm-up (the JIT compiles the hot paths; a webhook that has been
// up for a minute is in that state)
const WARMUP = Number(opt('--warmup', '5'));
if (WARMUP > 0) await load(RATE, WARMUP);
const rssWarm = rssMiB();
const rssSamples = [];
const sampler = setInterval(() => rssSamples.push(rssMiB()), 1000);
const cpu0 = cpuSeconds();
const fixed = await load(RATE, DURATION);
const cpuPerRequest = ((cpuSeconds() - cpu0) / fixed.total) * 1e6;
clearInterval(sampler);
const rssEnd = rssMiB();
const rssMax = Math.max(rssWarm, ...rssSamples);
/** Least-squares slope of the RSS samples over the second half of the run, in MiB per minute. */
const half = rssSamples.slice(Math.floor(rssSamples.length / 2));
const slope = (() => {
  const n = half.length;
  if (n < 3) return NaN;
  const mx = (n - 1) / 2;
  const my = half.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  half.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return (num / den) * 60;
})();
console.log(`\n[1] ${DURATION} s at ${RATE}/s (after ${WARMUP} s of warm-up): ${fmt(fixed)}`);
console.log(`    server CPU: ${cpuPerRequest.toFixed(0)} µs per request (user + system)`);
console.log(
  `    server RSS: after start ${rssStart.toFixed(1)} MiB, after warm-up ${rssWarm.toFixed(1)} MiB, max ${rssMax.toFixed(1)} MiB, end ${rssEnd.toFixed(1)} MiB; trend over the second half ${slope >= 0 ? '+' : ''}${slope.toFixed(2)} MiB/min`,
);
console.log(`    server-side (from /metrics): ${JSON.stringify(await serverQuantiles())}`);

// M. /mutate alone, without and with the declarative mutations (--mutations)
if (MUTATIONS) {
  const review = mix('mutate')[0].body; // the clean Pod: only the mutations change it
  const patchOf = async (p) => {
    const r = JSON.parse((await request(p, 'POST', '/mutate', review)).text).response;
    return r.patch ? JSON.parse(Buffer.from(r.patch, 'base64').toString('utf8')) : [];
  };
  const plain = await startServer('config-plain.yaml');
  const [without, withMutations] = [await patchOf(plain.port), await patchOf(port)];
  const again = await patchOf(port);
  console.log(
    `\n[M] /mutate alone (the mix's ${mix('mutate').length} /mutate slots), ${DURATION} s at ${RATE}/s after ${WARMUP} s of warm-up, each server`,
  );
  console.log(
    `    check: the clean Pod gets ${without.length} patch operations without mutations, ${withMutations.length} with them (${withMutations.map((o) => `${o.op} ${o.path}`).join(', ')})${again.length === withMutations.length ? '' : ' — NOT DETERMINISTIC'}`,
  );
  if (withMutations.length === 0) throw new Error('--mutations: the mutations changed nothing');
  const runs = [];
  for (const [name, p] of [
    ['without mutations', plain.port],
    ['with 5 declarative mutations', port],
  ]) {
    if (WARMUP > 0) await load(RATE, WARMUP, p, 'mutate');
    const r = await load(RATE, DURATION, p, 'mutate');
    runs.push([name, r]);
    console.log(`    ${name}: ${fmt(r)}`);
  }
  for (const [name, r] of runs)
    console.log(
      `    /mutate ${name}: p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms${r.steady ? ` (after the first second: p50 ${r.steady.p50} ms, p99 ${r.steady.p99} ms)` : ''}`,
    );
  plain.proc.kill('SIGTERM');
  await new Promise((r) => plain.proc.on('exit', r));
}

// 2. maximum sustainable rate
if (!SKIP_SEARCH) {
  console.log(
    `\n[2] maximum sustainable rate (${STEP} s per step; sustained = ≥97% of target, no errors, p99 ≤ ${MAX_P99} ms once the connections are open: the API server keeps its connections, so each step's first second of handshakes is reported but not judged)`,
  );
  console.log(`    maximum sustainable rate: ${await searchRate(port)}/s`);
  // 3. closed loop
  const open = await load(0, STEP);
  console.log(`\n[3] unthrottled (closed loop, ${CONNECTIONS} connections): ${fmt(open)}`);
}
console.log(
  `\nserver RSS at the end: ${rssMiB().toFixed(1)} MiB; log output ${(logBytes / 1048576).toFixed(1)} MiB; load average ${loadavg()[0].toFixed(2)}`,
);

server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
