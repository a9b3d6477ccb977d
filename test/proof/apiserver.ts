/**
 * A private kube-apiserver + etcd on loopback, as the oracle of the differential proof: what does
 * the real API server say about one manifest? Each manifest is judged with a dry-run create
 * (`POST …?dryRun=All&fieldValidation=Strict`, what `kubectl create --dry-run=server
 * --validate=strict` sends), so nothing is persisted and the verdict is the API server's decoding,
 * defaulting, Go validation and (non-webhook) admission.
 *
 * The binaries come from .cache/bin (scripts/e2e-setup.sh builds them, pinned in tools/e2e/go.mod).
 * Everything runs in a temporary directory on free 127.0.0.1 ports, with a bearer token of a
 * `system:masters` user; {@link ApiServer.stop} kills both processes and removes the directory, and
 * {@link startApiServer} does the same itself when start-up fails.
 *
 * Choices that keep the verdict about the object alone, not about the state of a cluster:
 * - admission plugins that look things up are disabled (see {@link DISABLED_ADMISSION}); no webhook,
 *   no ValidatingAdmissionPolicy is ever registered;
 * - the namespaces the cases use are created up front (NamespaceLifecycle stays on, as in any
 *   cluster, so a namespaced object needs an existing namespace);
 * - `--allow-privileged=true` (as kubeadm and managed clusters set it; otherwise privileged
 *   containers are refused by a flag, not by the object's validity);
 * - `--service-cluster-ip-range=10.96.0.0/12` (kubeadm's default; a Service's `clusterIP` must be in
 *   it and free, which the dry run checks without allocating).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { generateCerts } from '../../src/webhook/certs.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const BIN = join(ROOT, '.cache/bin');

/**
 * Default admission plugins turned off, each because its verdict depends on other objects:
 * - ServiceAccount: a Pod's serviceAccountName must exist (no controller-manager creates `default`);
 * - Priority: a `priorityClassName` must name an existing PriorityClass;
 * - RuntimeClass: a `runtimeClassName` must name an existing RuntimeClass;
 * - LimitRanger, ResourceQuota: depend on the LimitRanges/ResourceQuotas of the namespace;
 * - PodSecurity: depends on the namespace's labels (the linter's PSS presets cover that separately);
 * - DefaultStorageClass, DefaultIngressClass: fill fields from the cluster's default classes;
 * - NodeDeclaredFeatureValidator, PodResizeValidator: judge a Pod against its Node;
 * - StorageObjectInUseProtection, PodGroupProtection: add finalizers (mutation only, kept out so the
 *   object judged is the one written).
 */
export const DISABLED_ADMISSION = [
  'ServiceAccount',
  'Priority',
  'RuntimeClass',
  'LimitRanger',
  'ResourceQuota',
  'PodSecurity',
  'DefaultStorageClass',
  'DefaultIngressClass',
  'NodeDeclaredFeatureValidator',
  'PodResizeValidator',
  'StorageObjectInUseProtection',
  'PodGroupProtection',
] as const;

export interface ApiVerdict {
  accepted: boolean;
  /** The Status message when rejected ('' when accepted). */
  message: string;
  /** The `Warning` headers of the response (e.g. duplicate list-map keys). */
  warnings: string[];
  /** HTTP status code. */
  status: number;
}

export interface ApiResource {
  /** Plural resource name, e.g. `deployments`. */
  resource: string;
  namespaced: boolean;
  verbs: string[];
}

export interface ApiServer {
  readonly port: number;
  readonly version: string;
  /** The temporary directory (certificates, token file, etcd data); removed by stop(). */
  readonly dir: string;
  /** Process ids of etcd and the API server. */
  readonly pids: readonly number[];
  /** `apiVersion/Kind` (e.g. `apps/v1/Deployment`, `v1/Pod`) → resource; subresources excluded. */
  readonly resources: ReadonlyMap<string, ApiResource>;
  /** Judge one manifest (YAML or JSON text of one object) with a strict dry-run create. */
  judge(text: string, opts?: { yaml?: boolean }): Promise<ApiVerdict>;
  /** Judge many, `concurrency` requests in flight (default 16); verdicts in input order. */
  judgeAll(items: Array<{ text: string; yaml?: boolean }>, concurrency?: number): Promise<ApiVerdict[]>;
  /** Create namespaces (really, not dry run) so namespaced cases can be judged in them. */
  ensureNamespaces(names: Iterable<string>): Promise<void>;
  /** Kill etcd and the API server and remove the temporary directory. Idempotent. */
  stop(): Promise<void>;
  /** The CA certificate (PEM) the API server's certificate is signed by. */
  readonly ca: string;
  /** The bearer token of the `system:masters` user. */
  readonly token: string;
  /** A raw request as the `system:masters` user (JSON body), for tests that create objects. */
  request(method: string, path: string, body?: string): Promise<{ status: number; body: string }>;
  /**
   * Write a kubeconfig for this server to `file` (context `e2e`, or `context`), as the
   * `system:masters` user or with another user's `token` (see {@link ApiServerOptions.users}).
   */
  writeKubeconfig(file: string, opts?: { token?: string; context?: string; namespace?: string }): void;
}

/** Start-up options of {@link startApiServer}. */
export interface ApiServerOptions {
  /** Namespaces created up front. */
  namespaces?: Iterable<string>;
  /** More users of the token file (no permissions but what RBAC objects grant them). */
  users?: ReadonlyArray<{ token: string; name: string; groups?: readonly string[] }>;
  /** An older minor's API server (scripts/apiservers.sh) instead of the pinned one. */
  minor?: string;
  /** More kube-apiserver flags, after the harness's own (e.g. `--audit-log-path=…`). */
  extraArgs?: readonly string[];
}

/** Fails with a clear message when the binaries are missing. */
export function requireBinaries(): void {
  const need = ['etcd', 'kube-apiserver'].filter((b) => !existsSync(join(BIN, b)));
  if (need.length > 0)
    throw new Error(`missing ${need.join(', ')} in ${BIN}: run \`bash scripts/e2e-setup.sh\` first`);
}

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

/**
 * The `apiVersion`, `kind` and `metadata.namespace` of a manifest text, to address the request (the
 * server reads the body itself). YAML is read leniently (duplicate keys allowed: the server is the
 * one that rejects them); a field that is not a string counts as absent.
 */
function typeOf(text: string, yaml: boolean): { apiVersion: string; kind: string; namespace?: string } {
  let o: unknown;
  try {
    o = yaml ? parseYaml(text, { uniqueKeys: false, logLevel: 'silent' }) : JSON.parse(text);
  } catch {
    return { apiVersion: '', kind: '' };
  }
  const r = (o !== null && typeof o === 'object' ? o : {}) as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { namespace?: unknown } | null;
  };
  const ns = r.metadata?.namespace;
  return {
    apiVersion: typeof r.apiVersion === 'string' ? r.apiVersion : '',
    kind: typeof r.kind === 'string' ? r.kind : '',
    namespace: typeof ns === 'string' && ns !== '' ? ns : undefined,
  };
}

/**
 * The API server binary: the pinned one (scripts/e2e-setup.sh), or an older minor's built by
 * scripts/apiservers.sh (`kube-apiserver-1.36`), for the per-version agreement table.
 */
function apiserverBinary(minor: string | undefined): string {
  if (minor === undefined || minor === '') return 'kube-apiserver';
  const name = `kube-apiserver-${minor}`;
  if (!existsSync(join(BIN, name)))
    throw new Error(`missing ${name} in ${BIN}: run \`bash scripts/apiservers.sh ${minor}\` first`);
  return name;
}

/** The admission plugins a binary knows (older minors lack some of DISABLED_ADMISSION's). */
function knownAdmissionPlugins(binary: string): Set<string> | undefined {
  const help = spawnSync(join(BIN, binary), ['--help'], { encoding: 'utf8' }).stdout ?? '';
  const m = /--disable-admission-plugins[\s\S]*?Comma-delimited list of admission plugins: ([^.]+)\./.exec(
    help,
  );
  return m ? new Set(m[1]!.split(',').map((x) => x.trim())) : undefined;
}

export async function startApiServer(opts: ApiServerOptions = {}): Promise<ApiServer> {
  requireBinaries();
  const binary = apiserverBinary(opts.minor);
  const known = knownAdmissionPlugins(binary);
  const disabled = DISABLED_ADMISSION.filter((p) => known === undefined || known.has(p));
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-oracle-'));
  const procs: ChildProcess[] = [];
  const logs = new Map<string, string>();
  let stopped = false;
  const agent = new https.Agent({ keepAlive: true, maxSockets: 32 });
  const token = randomBytes(24).toString('hex');

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    agent.destroy();
    const exits = procs.map((p) =>
      p.exitCode !== null || p.signalCode !== null
        ? Promise.resolve()
        : new Promise((r) => p.once('exit', r)),
    );
    for (const p of [...procs].reverse()) if (p.exitCode === null) p.kill('SIGTERM');
    const grace = setTimeout(() => {
      for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    }, 5_000);
    await Promise.all(exits);
    clearTimeout(grace);
    rmSync(dir, { recursive: true, force: true });
  };
  // a test runner that dies leaves no orphans behind
  const onExit = () => {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  const launch = (name: string, args: string[]): ChildProcess => {
    const p = spawn(join(BIN, name), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    logs.set(name, '');
    const add = (c: Buffer) => logs.set(name, (logs.get(name)! + c.toString()).slice(-100_000));
    p.stdout.on('data', add);
    p.stderr.on('data', add);
    p.on('error', (e) => add(Buffer.from(`spawn error: ${e.message}\n`)));
    procs.push(p);
    return p;
  };

  let port = 0;
  let ca = '';
  const request = (
    method: string,
    path: string,
    body?: string,
    contentType = 'application/json',
  ): Promise<{ status: number; body: string; warnings: string[] }> =>
    new Promise((ok, fail) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          port,
          path,
          method,
          agent,
          ca,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body !== undefined
              ? { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const w: unknown = res.headers.warning;
            const list: string[] = Array.isArray(w) ? (w as string[]) : typeof w === 'string' ? [w] : [];
            const warnings = list.map((x) => x.replace(/^\d{3} \S+ "(.*)"$/, '$1').replace(/\\"/g, '"'));
            ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), warnings });
          });
          res.on('error', fail);
        },
      );
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path}: no answer in 60 s`)));
      req.on('error', fail);
      req.end(body);
    });
  const getJson = async <T>(path: string): Promise<T> => {
    const r = await request('GET', path);
    if (r.status !== 200) throw new Error(`GET ${path}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
    return JSON.parse(r.body) as T;
  };

  try {
    const [etcdPort, peerPort] = [await freePort(), await freePort()];
    port = await freePort();
    const certs = await generateCerts({
      service: 'kubernetes',
      namespace: 'default',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    });
    ca = certs.caCert;
    writeFileSync(join(dir, 'api.crt'), certs.cert);
    writeFileSync(join(dir, 'api.key'), certs.key, { mode: 0o600 });
    const sa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(dir, 'sa.key'), sa.privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
    writeFileSync(join(dir, 'sa.pub'), sa.publicKey.export({ type: 'spki', format: 'pem' }));
    const more = (opts.users ?? []).map(
      (u) => `${u.token},${u.name},${u.name}${u.groups?.length ? `,"${u.groups.join(',')}"` : ''}\n`,
    );
    writeFileSync(join(dir, 'tokens.csv'), `${token},oracle,oracle,"system:masters"\n${more.join('')}`, {
      mode: 0o600,
    });

    const etcd = launch('etcd', [
      '--name=oracle',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=oracle=http://127.0.0.1:${peerPort}`,
      '--log-level=warn',
    ]);
    const api = launch(binary, [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--tls-cert-file=${join(dir, 'api.crt')}`,
      `--tls-private-key-file=${join(dir, 'api.key')}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      `--service-account-key-file=${join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--service-cluster-ip-range=10.96.0.0/12',
      `--disable-admission-plugins=${disabled.join(',')}`,
      // The default reconciler refuses a loopback advertise address; nothing here needs endpoints.
      '--endpoint-reconciler-type=none',
      '--allow-privileged=true',
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      '--v=0',
      ...(opts.extraArgs ?? []),
    ]);
    const end = Date.now() + 180_000;
    for (;;) {
      const dead = [etcd, api].find((p) => p.exitCode !== null || p.signalCode !== null);
      if (dead || Date.now() > end)
        throw new Error(
          `kube-apiserver not ready${dead ? ' (a process exited)' : ' after 180 s'}\n${[...logs]
            .map(([k, v]) => `--- ${k}\n${v.slice(-3000)}`)
            .join('\n')}`,
        );
      const ready = await request('GET', '/readyz').catch(() => ({ status: 0 }));
      if (ready.status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    // a `go build` binary reports v0.0.0-master: the pinned version is in e2e-setup's stamp
    const stamp = join(BIN, `.${binary}.version`);
    const version = existsSync(stamp)
      ? readFileSync(stamp, 'utf8').trim()
      : (await getJson<{ gitVersion: string }>('/version')).gitVersion;

    // discovery: every group version's resources (not subresources), kind → resource
    const resources = new Map<string, ApiResource>();
    const addList = (
      gv: string,
      list: { resources: Array<{ name: string; kind: string; namespaced: boolean; verbs: string[] }> },
    ) => {
      for (const r of list.resources)
        if (!r.name.includes('/') && !resources.has(`${gv}/${r.kind}`))
          resources.set(`${gv}/${r.kind}`, { resource: r.name, namespaced: r.namespaced, verbs: r.verbs });
    };
    addList('v1', await getJson('/api/v1'));
    const groups = await getJson<{ groups: Array<{ versions: Array<{ groupVersion: string }> }> }>('/apis');
    for (const g of groups.groups)
      for (const v of g.versions) addList(v.groupVersion, await getJson(`/apis/${v.groupVersion}`));

    const pathFor = (apiVersion: string, kind: string, namespace: string | undefined): string | undefined => {
      const r = resources.get(`${apiVersion}/${kind}`);
      if (!r) return undefined;
      const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      return r.namespaced
        ? `${base}/namespaces/${encodeURIComponent(namespace ?? 'default')}/${r.resource}`
        : `${base}/${r.resource}`;
    };

    const judge = async (text: string, o: { yaml?: boolean } = {}): Promise<ApiVerdict> => {
      const yaml = o.yaml ?? false;
      const t = typeOf(text, yaml);
      const path = pathFor(t.apiVersion, t.kind, t.namespace);
      // kubectl refuses a kind the server does not serve before sending anything: a rejection too
      if (!path)
        return {
          accepted: false,
          status: 0,
          warnings: [],
          message: `no matches for kind "${t.kind}" in version "${t.apiVersion}"`,
        };
      const r = await request(
        'POST',
        `${path}?dryRun=All&fieldValidation=Strict`,
        text,
        yaml ? 'application/yaml' : 'application/json',
      );
      if (r.status >= 200 && r.status < 300)
        return { accepted: true, status: r.status, message: '', warnings: r.warnings };
      let message = r.body;
      try {
        message = (JSON.parse(r.body) as { message?: string }).message ?? r.body;
      } catch {
        /* not a Status: the raw body */
      }
      return { accepted: false, status: r.status, message, warnings: r.warnings };
    };

    const judgeAll = async (items: Array<{ text: string; yaml?: boolean }>, concurrency = 16) => {
      const out: ApiVerdict[] = new Array<ApiVerdict>(items.length);
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < items.length; i = next++) out[i] = await judge(items[i]!.text, items[i]);
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
      return out;
    };

    const ensureNamespaces = async (names: Iterable<string>) => {
      for (const name of new Set(names)) {
        const r = await request(
          'POST',
          '/api/v1/namespaces',
          JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
        );
        if (r.status !== 201 && r.status !== 409)
          throw new Error(`creating namespace ${name}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
      }
    };
    await ensureNamespaces(opts.namespaces ?? []);

    return {
      port,
      version,
      dir,
      pids: procs.map((p) => p.pid ?? -1),
      resources,
      judge,
      judgeAll,
      ensureNamespaces,
      ca,
      token,
      request: (method, path, body) => request(method, path, body),
      writeKubeconfig: (file, o = {}) => {
        const context = o.context ?? 'e2e';
        const config = {
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            {
              name: 'e2e',
              cluster: {
                server: `https://127.0.0.1:${port}`,
                'certificate-authority-data': Buffer.from(ca).toString('base64'),
              },
            },
          ],
          users: [{ name: 'e2e', user: { token: o.token ?? token } }],
          contexts: [
            {
              name: context,
              context: { cluster: 'e2e', user: 'e2e', ...(o.namespace && { namespace: o.namespace }) },
            },
          ],
          'current-context': context,
        };
        writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
      },
      stop: async () => {
        process.removeListener('exit', onExit);
        await stop();
      },
    };
  } catch (e) {
    process.removeListener('exit', onExit);
    await stop();
    throw e;
  }
}
