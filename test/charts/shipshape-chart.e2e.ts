// End to end (`npm run e2e`): `helm install` of charts/shipshape into a real kube-apiserver + etcd on
// loopback (test/proof/apiserver.ts), in the documented two steps (webhooks.register=false, then
// `helm upgrade --set webhooks.register=true`). The webhooks are registered by `clientConfig.url`
// on https://127.0.0.1:<port>, where this test runs `shipshape serve` with real certificates and
// the chart's own `config` value; a Service-based configuration would make the API server dial a
// cluster IP outside loopback, so none may ever reach it (checked before and after the install).
//
// There is no kubelet and no controller-manager: the chart's Deployment is stored but never gets a
// pod, so the install runs without `--wait` (the "Deployment ready" of step 1 is the local server's
// /readyz here). The harness also disables the Priority admission plugin, so the Deployment's
// priorityClassName is stored as written.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCerts, type GeneratedCerts } from '../../src/webhook/certs.js';
import { startApiServer, type ApiServer } from '../proof/apiserver.js';
import { tool } from '../integrations/tools.js';
import { CHART, HELM, renderChart, ROOT, urlModeValues } from './chart.js';

/** The chart's `config`: the README's seed (require env=prod, add it when missing). */
const CONFIG = readFileSync(join(ROOT, 'test/fixtures/readme/seed.shipshape.yaml'), 'utf8');
const NS = 'shipshape-system';

const tmp = mkdtempSync(join(tmpdir(), 'shipshape-helm-e2e-'));
const kubeconfig = join(tmp, 'kubeconfig');
const valuesFile = join(tmp, 'values.json');
let api: ApiServer;
let certs: GeneratedCerts;
let hookPort = 0;
let hook: ChildProcess | undefined;
let hookLog = '';

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => ok(p));
    });
  });
}

async function until(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (hook?.exitCode != null) break;
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not so after ${ms} ms\n--- shipshape serve\n${hookLog.slice(-3000)}`);
}

/** helm with its state in the temporary directory, against the test API server only. */
function helm(...args: string[]) {
  const r = spawnSync(HELM, [...args, '--kubeconfig', kubeconfig], {
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...process.env,
      HELM_CACHE_HOME: join(tmp, 'helm/cache'),
      HELM_CONFIG_HOME: join(tmp, 'helm/config'),
      HELM_DATA_HOME: join(tmp, 'helm/data'),
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface WebhookEntry {
  name: string;
  clientConfig: { url?: string; service?: unknown; caBundle?: string };
}
interface WebhookConfig {
  metadata: { name: string; labels?: Record<string, string> };
  webhooks?: WebhookEntry[];
}
const list = async (kind: 'validating' | 'mutating'): Promise<WebhookConfig[]> => {
  const r = await api.request('GET', `/apis/admissionregistration.k8s.io/v1/${kind}webhookconfigurations`);
  expect(r.status).toBe(200);
  return (JSON.parse(r.body) as { items: WebhookConfig[] }).items;
};

const pod = (name: string, labels: Record<string, string> = {}, container: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'team', labels: { app: 'web', ...labels } },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'registry.example/app:1.0',
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '64Mi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 8080 } },
        securityContext: { readOnlyRootFilesystem: true },
        ...container,
      },
    ],
  },
});
const create = (object: unknown, dryRun = false) =>
  api.request('POST', `/api/v1/namespaces/team/pods${dryRun ? '?dryRun=All' : ''}`, JSON.stringify(object));

/**
 * The webhook entries the install values render (with webhooks.register=true, as step 2 installs
 * them); throws when one of them would name a Service, so the suite stops before any install.
 */
function renderedHooks(): WebhookEntry[] {
  const rendered = renderChart({ namespace: NS, valuesFile, set: ['webhooks.register=true'] });
  const hooks = rendered
    .filter((o) => o.kind.endsWith('WebhookConfiguration'))
    .flatMap((o) => o.webhooks as WebhookEntry[]);
  if (JSON.stringify(rendered).includes('"service":{') || hooks.some((h) => h.clientConfig.service))
    throw new Error('the e2e values render a clientConfig.service: refusing to install them');
  return hooks;
}

beforeAll(async () => {
  tool(HELM);
  hookPort = await freePort();
  certs = await generateCerts({ service: 'shipshape-webhook', namespace: NS, ipAddresses: ['127.0.0.1'] });
  writeFileSync(join(tmp, 'config.yaml'), CONFIG);
  writeFileSync(join(tmp, 'hook.crt'), certs.cert);
  writeFileSync(join(tmp, 'hook.key'), certs.key, { mode: 0o600 });
  writeFileSync(
    valuesFile,
    JSON.stringify({
      ...urlModeValues({ port: hookPort, caBundle: certs.caBundle, tlsCrt: certs.cert, tlsKey: certs.key }),
      config: CONFIG,
    }),
  );
  renderedHooks(); // a test API server must never hold a Service-based webhook configuration
  api = await startApiServer({ namespaces: [NS, 'team'] });
  api.writeKubeconfig(kubeconfig);
  // the webhook the configurations point at, with the configuration the chart installs
  hook = spawn(
    process.execPath,
    [
      join(ROOT, 'bin/shipshape.js'),
      'serve',
      '--config',
      join(tmp, 'config.yaml'),
      '--cert-file',
      join(tmp, 'hook.crt'),
      '--key-file',
      join(tmp, 'hook.key'),
      '--host',
      '127.0.0.1',
      '--port',
      String(hookPort),
      '--namespace',
      NS,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const add = (c: Buffer) => (hookLog = (hookLog + c.toString()).slice(-100_000));
  hook.stdout!.on('data', add);
  hook.stderr!.on('data', add);
  await until(
    'shipshape serve /readyz',
    () =>
      new Promise<boolean>((ok) => {
        https
          .get({ host: '127.0.0.1', port: hookPort, path: '/readyz', ca: certs.caCert }, (res) => {
            res.resume();
            ok(res.statusCode === 200);
          })
          .on('error', () => ok(false));
      }),
    30_000,
  );
}, 300_000);

afterAll(async () => {
  if (hook && hook.exitCode === null) {
    const exited = new Promise((r) => hook!.once('exit', r));
    hook.kill('SIGTERM');
    await exited;
  }
  await api?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('helm install charts/shipshape into a real kube-apiserver (webhooks by URL on 127.0.0.1)', () => {
  it('the values to install render no clientConfig.service, before anything reaches the API server', () => {
    const hooks = renderedHooks();
    expect(hooks).toHaveLength(3);
    for (const h of hooks) {
      expect(h.clientConfig.service, h.name).toBeUndefined();
      expect(h.clientConfig.url, h.name).toMatch(
        new RegExp(`^https://127\\.0\\.0\\.1:${hookPort}/(validate|mutate)$`),
      );
    }
  });

  it('step 1 (webhooks.register=false) installs the webhook and registers nothing', async () => {
    const r = helm(
      'install',
      'shipshape',
      CHART,
      '-n',
      NS,
      '-f',
      valuesFile,
      '--set',
      'webhooks.register=false',
    );
    expect(r.stderr + r.stdout, 'helm install').toContain('STATUS: deployed');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No webhook configuration is registered yet');
    expect(await list('validating')).toEqual([]);
    expect(await list('mutating')).toEqual([]);
    // the chart's objects are stored (the Deployment never gets a pod: there is no kubelet)
    const deploy = await api.request('GET', `/apis/apps/v1/namespaces/${NS}/deployments/shipshape-webhook`);
    expect(deploy.status).toBe(200);
    const spec = (JSON.parse(deploy.body) as { spec: { template: { spec: Record<string, unknown> } } }).spec
      .template.spec;
    expect(spec.priorityClassName).toBe('system-cluster-critical');
    const configMap = await api.request('GET', `/api/v1/namespaces/${NS}/configmaps/shipshape-config`);
    expect((JSON.parse(configMap.body) as { data: Record<string, string> }).data['config.yaml']).toBe(CONFIG);
  });

  it('step 2 (helm upgrade --set webhooks.register=true) registers both configurations by URL only', async () => {
    const r = helm(
      'upgrade',
      'shipshape',
      CHART,
      '-n',
      NS,
      '--reuse-values',
      '--set',
      'webhooks.register=true',
    );
    expect(r.stderr + r.stdout, 'helm upgrade').toContain('STATUS: deployed');
    expect(r.code).toBe(0);
    const configs = [...(await list('validating')), ...(await list('mutating'))];
    expect(configs.map((c) => c.metadata.name)).toEqual(['shipshape', 'shipshape']);
    const hooks = configs.flatMap((c) => c.webhooks ?? []);
    expect(hooks.map((h) => h.name).sort()).toEqual([
      'mutate.shipshape.dev',
      'validate-cluster.shipshape.dev',
      'validate.shipshape.dev',
    ]);
    for (const h of hooks) {
      expect(Object.keys(h.clientConfig).sort(), h.name).toEqual(['caBundle', 'url']);
      expect(h.clientConfig.url).toMatch(
        new RegExp(`^https://127\\.0\\.0\\.1:${hookPort}/(validate|mutate)$`),
      );
      expect(h.clientConfig.caBundle).toBe(certs.caBundle);
    }
    for (const c of configs) expect(c.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
    const status = helm('status', 'shipshape', '-n', NS, '-o', 'json');
    expect((JSON.parse(status.stdout) as { version: number; info: { status: string } }).info.status).toBe(
      'deployed',
    );
  });

  it('the API server then calls the installed webhooks: denied, mutated, and env=dev denied', async () => {
    // the API server picks up new configurations through an informer: wait until it calls us
    const privileged = pod(
      'root',
      {},
      { securityContext: { privileged: true, readOnlyRootFilesystem: true } },
    );
    await until(
      'the API server calling the webhook',
      async () => (await create(privileged, true)).status === 403,
      30_000,
    );
    const denied = await create(privileged);
    expect(denied.status).toBe(403);
    const message = (JSON.parse(denied.body) as { message: string }).message;
    expect(message).toContain('admission webhook "validate.shipshape.dev" denied the request');
    expect(message).toContain('[no-privileged-container]');

    // no env label: /mutate adds env=prod, /validate sees the mutated object, and it is stored so
    const created = await create(pod('web'));
    expect(created.status, created.body).toBe(201);
    const stored = await api.request('GET', '/api/v1/namespaces/team/pods/web');
    expect(
      (JSON.parse(stored.body) as { metadata: { labels: Record<string, string> } }).metadata.labels,
    ).toEqual({
      app: 'web',
      env: 'prod',
    });

    // env=dev is never overwritten, and require-labels (pattern prod) denies it
    const dev = await create(pod('web-dev', { env: 'dev' }));
    expect(dev.status).toBe(403);
    expect((JSON.parse(dev.body) as { message: string }).message).toContain('[require-labels]');
  });

  it('the API server holds no Service-based webhook configuration at the end', async () => {
    const all = [...(await list('validating')), ...(await list('mutating'))];
    expect(all.length).toBeGreaterThan(0);
    for (const c of all)
      for (const h of c.webhooks ?? []) expect(h.clientConfig.service, h.name).toBeUndefined();
  });
});
