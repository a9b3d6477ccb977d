// End to end against a real kube-apiserver + etcd on loopback (built by scripts/e2e-setup.sh), with
// kubectl as the client: denial message, warnings, mutation (the rules' fixes and the config's
// declarative mutations), dry run, exemptions, failurePolicy, and the latency the webhook adds to a create. Run with `npm run e2e` (not part of `npm test`).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { generateCerts, type GeneratedCerts } from '../../src/webhook/certs.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, '.cache/bin');
const SHIPSHAPE = join(ROOT, 'bin/shipshape.js');
const TOKEN = 'e2e-admin-token';

const dir = mkdtempSync(join(tmpdir(), 'shipshape-e2e-'));
const procs: ChildProcess[] = [];
/** etcd and the API server: when one exits, waiting is pointless. */
const critical = new Set<ChildProcess>();
const logs = new Map<string, string>();
let apiPort = 0;
let hookPort = 0;
let apiCerts: GeneratedCerts;
let hookCerts: GeneratedCerts;
let kubeconfig = '';
let hook: ChildProcess | undefined;

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolvePromise(p));
    });
  });
}

function launch(name: string, cmd: string, args: string[]): ChildProcess {
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  logs.set(name, '');
  const add = (c: Buffer) => logs.set(name, (logs.get(name)! + c.toString()).slice(-200_000));
  p.stdout.on('data', add);
  p.stderr.on('data', add);
  procs.push(p);
  return p;
}

async function until(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const dead = [...critical].find((p) => p.exitCode !== null);
    if (dead) break;
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${what} not ready after ${ms} ms\n${[...logs].map(([k, v]) => `--- ${k}\n${v.slice(-3000)}`).join('\n')}`,
  );
}

/** A raw HTTPS call to the API server (the latency probe; kubectl's process start would dominate). */
const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(
      {
        host: '127.0.0.1',
        port: apiPort,
        path,
        method,
        agent,
        ca: apiCerts.caCert,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
          ...(data ? { 'content-length': Buffer.byteLength(data) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolvePromise({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Run kubectl; resolves with its exit code and output (never rejects on a non-zero exit). */
function kubectl(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      join(BIN, 'kubectl'),
      ['--kubeconfig', kubeconfig, ...args],
      { timeout: 60_000 },
      (err, stdout, stderr) =>
        resolvePromise({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}
const apply = (manifest: unknown, ...extra: string[]) =>
  kubectl(['create', '-f', '-', ...extra], JSON.stringify(manifest));

async function startWebhook(): Promise<void> {
  hook = launch('shipshape', process.execPath, [
    SHIPSHAPE,
    'serve',
    '--config',
    join(dir, 'shipshape.yaml'),
    '--cert-file',
    join(dir, 'hook.crt'),
    '--key-file',
    join(dir, 'hook.key'),
    '--host',
    '127.0.0.1',
    '--port',
    String(hookPort),
    '--log-level',
    'warn',
  ]);
  await until(
    'shipshape serve',
    () =>
      new Promise<boolean>((r) => {
        https
          .get(
            {
              host: '127.0.0.1',
              port: hookPort,
              path: '/readyz',
              ca: hookCerts.caCert,
              servername: 'shipshape',
            },
            (res) => {
              res.resume();
              r(res.statusCode === 200);
            },
          )
          .on('error', () => r(false));
      }),
    30_000,
  );
}

async function stopWebhook(): Promise<void> {
  if (!hook) return;
  const exited = new Promise((r) => hook!.once('exit', r));
  hook.kill('SIGTERM');
  await exited;
  hook = undefined;
}

/**
 * The shipped webhook configurations (webhook/plain-certs/), called by URL on loopback instead of
 * through the Service, with our caBundle: the rules, selectors and policies are the ones users install.
 */
const webhookConfigs = () => {
  const items = ['mutatingwebhookconfiguration.yaml', 'validatingwebhookconfiguration.yaml'].map((f) => {
    const config = parseYaml(readFileSync(join(ROOT, 'webhook/plain-certs', f), 'utf8')) as {
      webhooks: { clientConfig: { service?: { path: string }; url?: string; caBundle?: string } }[];
    };
    for (const w of config.webhooks) {
      const path = w.clientConfig.service!.path;
      w.clientConfig = { url: `https://127.0.0.1:${hookPort}${path}`, caBundle: hookCerts.caBundle };
    }
    return config;
  });
  return { apiVersion: 'v1', kind: 'List', items };
};

const pod = (name: string, container: Record<string, unknown> = {}, namespace = 'team') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'registry.example/app:1.0.0',
        imagePullPolicy: 'IfNotPresent',
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '16Mi' } },
        readinessProbe: { httpGet: { path: '/', port: 8080 } },
        ports: [{ containerPort: 8080 }],
        ...container,
        securityContext: {
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          ...(container.securityContext as object),
        },
      },
    ],
  },
});

const need = ['etcd', 'kube-apiserver', 'kubectl'].filter((b) => !existsSync(join(BIN, b)));

beforeAll(async () => {
  if (need.length > 0) throw new Error(`missing ${need.join(', ')} in .cache/bin: run scripts/e2e-setup.sh`);
  const [etcdPort, peerPort] = [await freePort(), await freePort()];
  apiPort = await freePort();
  hookPort = await freePort();

  apiCerts = await generateCerts({
    service: 'kubernetes',
    namespace: 'default',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  hookCerts = await generateCerts({
    service: 'shipshape',
    namespace: 'shipshape-system',
    ipAddresses: ['127.0.0.1'],
  });
  writeFileSync(join(dir, 'api.crt'), apiCerts.cert);
  writeFileSync(join(dir, 'api.key'), apiCerts.key);
  writeFileSync(join(dir, 'api-ca.crt'), apiCerts.caCert);
  writeFileSync(join(dir, 'hook.crt'), hookCerts.cert);
  writeFileSync(join(dir, 'hook.key'), hookCerts.key);
  const sa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'sa.key'), sa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(dir, 'sa.pub'), sa.publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(join(dir, 'tokens.csv'), `${TOKEN},e2e-admin,e2e-admin,"system:masters"\n`);
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'e2e',
          cluster: {
            server: `https://127.0.0.1:${apiPort}`,
            'certificate-authority': join(dir, 'api-ca.crt'),
          },
        },
      ],
      users: [{ name: 'admin', user: { token: TOKEN } }],
      contexts: [{ name: 'e2e', context: { cluster: 'e2e', user: 'admin', namespace: 'team' } }],
      'current-context': 'e2e',
    }),
  );
  writeFileSync(
    join(dir, 'shipshape.yaml'),
    [
      'presets: [recommended]',
      'rules:',
      '  require-seccomp-profile: warn',
      '  no-privilege-escalation: warn',
      // The README's seed: require env=prod, and add it when it is missing.
      '  require-labels:',
      '    severity: error',
      '    options: { labels: [{ key: env, pattern: prod }], kinds: [Pod, Deployment] }',
      'mutations:',
      '  - name: env-prod',
      '    match: { kinds: [Pod, Deployment] }',
      '    addLabels: { env: prod }',
      'webhook:',
      '  exemptNamespaces: [kube-system, shipshape-system, sandbox]',
      '',
    ].join('\n'),
  );

  const etcd = launch('etcd', join(BIN, 'etcd'), [
    '--name=e2e',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
    `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
    `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
    `--initial-cluster=e2e=http://127.0.0.1:${peerPort}`,
    '--log-level=warn',
  ]);
  const apiserver = launch('kube-apiserver', join(BIN, 'kube-apiserver'), [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${apiPort}`,
    `--tls-cert-file=${join(dir, 'api.crt')}`,
    `--tls-private-key-file=${join(dir, 'api.key')}`,
    `--token-auth-file=${join(dir, 'tokens.csv')}`,
    '--authorization-mode=RBAC',
    `--service-account-key-file=${join(dir, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    '--service-cluster-ip-range=10.96.0.0/24',
    // No controller-manager creates the default ServiceAccount in each namespace.
    '--disable-admission-plugins=ServiceAccount',
    // The default reconciler refuses a loopback advertise address; nothing here needs endpoints.
    '--endpoint-reconciler-type=none',
    // Otherwise the API server's own validation refuses privileged pods before our webhook sees them.
    '--allow-privileged=true',
    `--cert-dir=${join(dir, 'apiserver-certs')}`,
    '--v=0',
  ]);
  critical.add(etcd).add(apiserver);
  await until('kube-apiserver', async () => (await api('GET', '/readyz')).status === 200, 120_000);
  for (const ns of ['team', 'sandbox', 'lat'])
    expect((await kubectl(['create', 'namespace', ns])).code).toBe(0);
  await startWebhook();
  const reg = await apply(webhookConfigs());
  expect(reg.stderr).toBe('');
  // The API server picks up new webhook configurations through an informer: wait until it calls us.
  await until(
    'webhook registration',
    async () =>
      (
        await kubectl(
          ['create', '-f', '-', '--dry-run=server'],
          JSON.stringify(pod('probe', { securityContext: { privileged: true } })),
        )
      ).code !== 0,
    30_000,
  );
}, 300_000);

afterAll(async () => {
  for (const p of procs.reverse()) if (p.exitCode === null) p.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  agent.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('shipshape behind a real kube-apiserver, driven by kubectl', () => {
  it('denies a privileged Pod with our message', async () => {
    const r = await apply(pod('root', { securityContext: { privileged: true } }));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'admission webhook "validate.shipshape.dev" denied the request: shipshape: Pod root violates 1 policy:',
    );
    expect(r.stderr).toContain(
      '- [no-privileged-container] Container app of Pod root runs privileged. (spec.containers[0].securityContext.privileged) — https://shipshape.dev/rules/no-privileged-container',
    );
    expect((await kubectl(['get', 'pod', 'root'])).code).not.toBe(0);
  });

  it('admits a Deployment with warnings and kubectl shows them', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'team' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: pod('x', { image: 'nginx:latest', imagePullPolicy: 'Always' }).spec,
        },
      },
    };
    const r = await apply(deployment);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('deployment.apps/web created');
    expect(r.stderr).toContain(
      'Warning: [no-latest-image-tag] Container app of Deployment web uses the mutable image tag nginx:latest. (spec.template.spec.containers[0].image) — https://shipshape.dev/rules/no-latest-image-tag',
    );
  });

  it('stores a mutated object with the safe fixes applied', async () => {
    const r = await apply(pod('fixme'));
    expect(r.code).toBe(0);
    const stored = JSON.parse((await kubectl(['get', 'pod', 'fixme', '-o', 'json'])).stdout) as {
      spec: {
        securityContext?: { seccompProfile?: { type: string } };
        containers: { securityContext: Record<string, unknown> }[];
      };
    };
    expect(stored.spec.securityContext?.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(stored.spec.containers[0]!.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
    // so the validating webhook saw the fixed object: no warning for what mutation fixed
    expect(r.stderr).not.toContain('require-seccomp-profile');
    expect(r.stderr).not.toContain('no-privilege-escalation');
  });

  it('a declarative mutation adds env=prod to a Pod without it, and validation sees the stored label', async () => {
    const r = await apply(pod('no-env'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const stored = JSON.parse((await kubectl(['get', 'pod', 'no-env', '-o', 'json'])).stdout) as {
      metadata: { labels?: Record<string, string> };
    };
    expect(stored.metadata.labels).toEqual({ env: 'prod' });
  });

  it('never overwrites env=dev, and require-labels with pattern prod denies it', async () => {
    const dev = pod('dev-env');
    Object.assign(dev.metadata, { labels: { env: 'dev' } });
    const r = await apply(dev);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'admission webhook "validate.shipshape.dev" denied the request: shipshape: Pod dev-env violates 1 policy:',
    );
    expect(r.stderr).toContain(
      '- [require-labels] Pod dev-env has label "env" with a value that does not match /prod/. (metadata.labels.env)',
    );
    expect((await kubectl(['get', 'pod', 'dev-env'])).stderr).toContain('NotFound');
  });

  it('a Deployment gets the label on itself and on its pod template', async () => {
    const r = await apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'labelled', namespace: 'team' },
      spec: {
        selector: { matchLabels: { app: 'labelled' } },
        template: { metadata: { labels: { app: 'labelled' } }, spec: pod('x').spec },
      },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const stored = JSON.parse((await kubectl(['get', 'deployment', 'labelled', '-o', 'json'])).stdout) as {
      metadata: { labels?: Record<string, string> };
      spec: { selector: unknown; template: { metadata: { labels: Record<string, string> } } };
    };
    expect(stored.metadata.labels).toEqual({ env: 'prod' });
    expect(stored.spec.template.metadata.labels).toEqual({ app: 'labelled', env: 'prod' });
    // the selector is the user's: untouched
    expect(stored.spec.selector).toEqual({ matchLabels: { app: 'labelled' } });
  });

  it('a server dry run shows the mutated object and leaves no trace', async () => {
    const r = await apply(pod('dry-env'), '--dry-run=server', '-o', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout) as { metadata: { labels?: Record<string, string> } };
    expect(shown.metadata.labels).toEqual({ env: 'prod' });
    expect((await kubectl(['get', 'pod', 'dry-env'])).stderr).toContain('NotFound');
    const dev = pod('dry-dev');
    Object.assign(dev.metadata, { labels: { env: 'dev' } });
    const denied = await apply(dev, '--dry-run=server');
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('[require-labels]');
  });

  it('dry-run requests are judged the same and leave no trace', async () => {
    const denied = await apply(
      pod('dry-root', { securityContext: { privileged: true } }),
      '--dry-run=server',
    );
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('[no-privileged-container]');
    const ok = await apply(pod('dry-ok'), '--dry-run=server');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('pod/dry-ok created (server dry run)');
    expect((await kubectl(['get', 'pod', 'dry-ok'])).stderr).toContain('NotFound');
  });

  it('exempt namespaces pass: kube-system via the namespaceSelector, sandbox via webhook.exemptNamespaces', async () => {
    expect(
      (await apply(pod('sys-root', { securityContext: { privileged: true } }, 'kube-system'))).code,
    ).toBe(0);
    const sandbox = await apply(pod('sandbox-root', { securityContext: { privileged: true } }, 'sandbox'));
    expect(sandbox.stderr).toBe('');
    expect(sandbox.code).toBe(0);
  });

  it('evaluates an object whose ownerReferences claim a controller, unless that controller sent it', async () => {
    const owner = (apiVersion: string, kind: string) => ({
      ownerReferences: [
        { apiVersion, kind, name: 'web', uid: '6f1a3c2e-0d4b-4a8e-9c1f-2b3d4e5f6a7b', controller: true },
      ],
    });
    const forged = pod('forged-owner', { securityContext: { privileged: true } });
    Object.assign(forged.metadata, owner('apps/v1', 'ReplicaSet'));
    const denied = await apply(forged);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('denied the request: shipshape: Pod forged-owner violates');
    expect(denied.stderr).toContain('[no-privileged-container]');
    // a ReplicaSet claiming a Deployment, the same
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'forged-rs', namespace: 'team', ...owner('apps/v1', 'Deployment') },
      spec: {
        selector: { matchLabels: { app: 'forged' } },
        template: {
          metadata: { labels: { app: 'forged' } },
          spec: pod('x', { securityContext: { privileged: true } }).spec,
        },
      },
    };
    const rsDenied = await apply(rs);
    expect(rsDenied.code).not.toBe(0);
    expect(rsDenied.stderr).toContain('[no-privileged-container]');
    // The same objects sent as the built-in controllers' service accounts (the API server sets
    // userInfo; admin impersonates them here, as no controller-manager runs) are not re-judged.
    const genuine = { ...forged, metadata: { ...forged.metadata, name: 'genuine-owner' } };
    const asController = await apply(genuine, '--as=system:serviceaccount:kube-system:replicaset-controller');
    expect(asController.stderr).toBe('');
    expect(asController.code).toBe(0);
    const rsGenuine = { ...rs, metadata: { ...rs.metadata, name: 'genuine-rs' } };
    const asDeployment = await apply(
      rsGenuine,
      '--as=system:serviceaccount:kube-system:deployment-controller',
    );
    expect(asDeployment.stderr).toBe('');
    expect(asDeployment.code).toBe(0);
    // the ReplicaSet controller's account is not trusted for a Pod claiming a Job
    const wrong = pod('wrong-controller', { securityContext: { privileged: true } });
    Object.assign(wrong.metadata, owner('batch/v1', 'Job'));
    const wrongDenied = await apply(wrong, '--as=system:serviceaccount:kube-system:replicaset-controller');
    expect(wrongDenied.code).not.toBe(0);
    expect(wrongDenied.stderr).toContain('[no-privileged-container]');
  });

  it('denies a privileged ephemeral container added through pods/ephemeralcontainers', async () => {
    expect((await apply(pod('debugme'))).code).toBe(0);
    // kubectl debug --profile=sysadmin: an UPDATE of the ephemeralcontainers subresource, privileged
    const debug = await kubectl([
      'debug',
      'debugme',
      '--image=registry.example/debug:1.0.0',
      '--profile=sysadmin',
      '--container=dbg',
    ]);
    expect(debug.code).not.toBe(0);
    expect(debug.stderr).toContain('admission webhook "validate.shipshape.dev" denied the request');
    expect(debug.stderr).toContain('[no-privileged-container] Container dbg of Pod debugme runs privileged.');
    expect(debug.stderr).toContain('spec.ephemeralContainers[0].securityContext.privileged');
    // the same through the API (a PUT of the Pod to the subresource), and nothing was stored
    const current = JSON.parse((await api('GET', '/api/v1/namespaces/team/pods/debugme')).body) as {
      spec: { ephemeralContainers?: unknown[] };
    };
    expect(current.spec.ephemeralContainers ?? []).toEqual([]);
    const container = {
      name: 'dbg2',
      image: 'registry.example/debug:1.0.0',
      imagePullPolicy: 'IfNotPresent',
      securityContext: {
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      },
    };
    const put = (c: Record<string, unknown>) =>
      api('PUT', '/api/v1/namespaces/team/pods/debugme/ephemeralcontainers', {
        ...current,
        spec: { ...current.spec, ephemeralContainers: [c] },
      });
    const privileged = await put({ ...container, securityContext: { privileged: true } });
    expect(privileged.status).toBe(403);
    expect(privileged.body).toContain('[no-privileged-container]');
    // a compliant debug container is admitted
    const ok = await put(container);
    expect(ok.status, ok.body).toBe(200);
  });

  it('records the latency the webhook adds to a create through the API server', async () => {
    const create = async (name: string) => {
      const t = process.hrtime.bigint();
      const r = await api('POST', '/api/v1/namespaces/lat/pods', pod(name, {}, 'lat'));
      if (r.status !== 201) throw new Error(`${r.status} ${r.body}`);
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    const N = 100;
    const series = async (tag: string) => {
      for (let i = 0; i < 10; i++) await create(`${tag}-warm-${i}`);
      const ms: number[] = [];
      for (let i = 0; i < N; i++) ms.push(await create(`${tag}-${i}`));
      ms.sort((a, b) => a - b);
      return {
        p50: ms[Math.floor(N * 0.5)]!,
        p95: ms[Math.floor(N * 0.95)]!,
        mean: ms.reduce((a, b) => a + b, 0) / N,
      };
    };
    const withHook = await series('with');
    const del = await kubectl([
      'delete',
      'validatingwebhookconfiguration,mutatingwebhookconfiguration',
      'shipshape',
    ]);
    expect(del.code).toBe(0);
    // wait until the API server stops calling the webhook
    await until(
      'webhooks removed',
      async () =>
        (await apply(pod('gone-root', { securityContext: { privileged: true } }, 'lat'), '--dry-run=server'))
          .code === 0,
      30_000,
    );
    const without = await series('without');
    const f = (n: number) => n.toFixed(2);
    console.log(
      `\nE2E create latency through kube-apiserver (Pod, ${N} sequential creates, keep-alive client):\n` +
        `  with shipshape (mutating + validating): p50 ${f(withHook.p50)} ms, p95 ${f(withHook.p95)} ms, mean ${f(withHook.mean)} ms\n` +
        `  without webhooks:                       p50 ${f(without.p50)} ms, p95 ${f(without.p95)} ms, mean ${f(without.mean)} ms\n` +
        `  added by the webhook:                   p50 ${f(withHook.p50 - without.p50)} ms, mean ${f(withHook.mean - without.mean)} ms\n`,
    );
    // re-register for the failurePolicy test
    expect((await apply(webhookConfigs())).code).toBe(0);
    await until(
      'webhooks back',
      async () =>
        (await apply(pod('back-root', { securityContext: { privileged: true } }), '--dry-run=server'))
          .code !== 0,
      30_000,
    );
  });

  it('when the webhook is down, the failurePolicy decides: Fail refuses, Ignore admits', async () => {
    await stopWebhook();
    const refused = await apply(pod('while-down'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('failed calling webhook "validate.shipshape.dev"');
    // the cluster-scoped entry is Ignore: cluster-level repairs are never blocked by a dead webhook
    const role = await apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'e2e-reader' },
      rules: [],
    });
    expect(role.code).toBe(0);
    await startWebhook();
    expect((await apply(pod('after-restart'))).code).toBe(0);
  });
});
