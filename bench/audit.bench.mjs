#!/usr/bin/env node
// `shipshape audit` of many live objects: starts a private kube-apiserver + etcd on loopback (the
// e2e harness, test/proof/apiserver.ts, bundled with esbuild into a temporary file), creates
// --objects objects (default 10,000: Deployments, Services and ConfigMaps in 10 namespaces,
// --concurrency requests in flight), then runs the built CLI once, `audit --all-namespaces
// --format json --page-size N`, and prints its wall time, peak RSS (bench/rss-launcher.mjs), the
// objects audited and the findings. Only 127.0.0.1 is used.
// Usage: npm run build && bash scripts/e2e-setup.sh &&
//        node bench/audit.bench.mjs [--objects 10000] [--page-size 500] [--concurrency 32]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '10000' },
    'page-size': { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '32' },
  },
});
const total = Number(values.objects);
const pageSize = Number(values['page-size']);
const concurrency = Number(values.concurrency);
for (const [name, v] of [
  ['--objects', total],
  ['--page-size', pageSize],
  ['--concurrency', concurrency],
])
  if (!Number.isInteger(v) || v < 1) {
    console.error(`audit.bench: ${name} expects a whole number above 0`);
    process.exit(2);
  }

const dir = mkdtempSync(join(tmpdir(), 'shipshape-audit-bench-'));
// bundled two folders below the repository, like test/proof/, so that its paths (.cache/bin) and
// its packages (node_modules) resolve as they do for the tests
const harness = join(ROOT, '.cache/bench/apiserver.mjs');
await build({
  entryPoints: [join(ROOT, 'test/proof/apiserver.ts')],
  outfile: harness,
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
const { startApiServer } = await import(pathToFileURL(harness).href);

const NAMESPACES = Array.from({ length: 10 }, (_, i) => `bench-${i}`);
/** The i-th object: a third each of Deployments, Services and ConfigMaps, round-robin over namespaces. */
function object(i) {
  const namespace = NAMESPACES[i % NAMESPACES.length];
  const name = `obj-${i}`;
  const labels = { app: name };
  switch (i % 3) {
    case 0:
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace, labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'app', image: `registry.example/app:1.${i % 50}` }] },
          },
        },
      };
    case 1:
      return {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace, labels },
        spec: { selector: { app: `obj-${i - 1}` }, ports: [{ port: 80, targetPort: 8080 }] },
      };
    default:
      return {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace, labels },
        data: { index: String(i), mode: 'bench' },
      };
  }
}
const path = (o) =>
  `${o.apiVersion === 'v1' ? '/api/v1' : `/apis/${o.apiVersion}`}/namespaces/${o.metadata.namespace}/${
    { Deployment: 'deployments', Service: 'services', ConfigMap: 'configmaps' }[o.kind]
  }`;

let server;
try {
  console.log(`audit.bench: starting kube-apiserver (${dir})`);
  server = await startApiServer({ namespaces: NAMESPACES });
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const o = object(i);
      const r = await server.request('POST', path(o), JSON.stringify(o));
      if (r.status !== 201)
        throw new Error(`creating ${o.kind} ${o.metadata.name}: HTTP ${r.status} ${r.body}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  console.log(`audit.bench: created ${total} objects in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const kubeconfig = join(dir, 'kubeconfig');
  server.writeKubeconfig(kubeconfig);
  const args = [
    join(ROOT, 'bench/rss-launcher.mjs'),
    join(ROOT, 'bin/shipshape.js'),
    'audit',
    '--no-config',
    '--kubeconfig',
    kubeconfig,
    '--all-namespaces',
    '--format',
    'json',
    '--page-size',
    String(pageSize),
  ];
  const t1 = performance.now();
  const { code, stdout, stderr } = await new Promise((ok, fail) => {
    const child = spawn(process.execPath, args, { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } });
    const out = [];
    let err = '';
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', fail);
    child.on('close', (c) => ok({ code: c, stdout: Buffer.concat(out).toString('utf8'), stderr: err }));
  });
  const wall = (performance.now() - t1) / 1000;
  const rss = /@@maxrss (\d+)/.exec(stderr);
  if (code !== 0 && code !== 1)
    throw new Error(`audit exited ${code}: ${stderr.replace(/@@maxrss \d+\n/, '')}`);
  const report = JSON.parse(stdout);
  console.log(
    `audit.bench: audited ${report.summary.resources} objects (${total} created, page size ${pageSize}): ` +
      `wall ${wall.toFixed(2)} s, peak RSS ${rss ? (Number(rss[1]) / 1024).toFixed(0) : '?'} MiB, ` +
      `${report.findings.length} findings`,
  );
} finally {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}
