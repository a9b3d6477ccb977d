// `shipshape audit` (the built CLI, dist/) against a real kube-apiserver + etcd on loopback
// (test/proof/apiserver.ts), with kubeconfigs holding the harness's tokens: the audit of live
// objects against `shipshape lint` of the same objects as a file, namespaces, kinds, contexts,
// pagination, policy reports applied to the cluster, 401/403, Secrets, and the API server's own
// RBAC objects. The API server writes an audit log of every request, so a test can say what the
// CLI asked for (and what it never asked for). Run with `npm run e2e`.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startApiServer, type ApiServer } from '../proof/apiserver.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHIPSHAPE = join(ROOT, 'bin/shipshape.js');
const OBJECTS = join(ROOT, 'test/fixtures/audit/cluster-objects.yaml');
const CRDS = join(ROOT, 'test/fixtures/audit/policyreport-crds.yaml');

const dir = mkdtempSync(join(tmpdir(), 'shipshape-audit-e2e-'));
const USERS = {
  /** Bound to webhook/audit-rbac.yaml's shipshape-audit role (read-only, no Secrets). */
  auditor: 'audit-e2e-auditor-token',
  /** No RBAC at all: discovery only. */
  nobody: 'audit-e2e-nobody-token',
  /** shipshape-audit's rules without the RBAC group: four kinds are forbidden. */
  partial: 'audit-e2e-partial-token',
};
let server: ApiServer;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built CLI (never rejects on a non-zero exit). */
function cli(args: string[], opts: { cwd?: string } = {}): Promise<Run> {
  return new Promise((ok) => {
    execFile(
      process.execPath,
      [SHIPSHAPE, ...args],
      {
        cwd: opts.cwd ?? dir,
        env: { PATH: process.env.PATH, HOME: dir, XDG_CACHE_HOME: join(dir, 'cache') },
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => ok({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A kubeconfig for a harness user (the admin by default), its one context named `e2e`. */
function kubeconfig(name: string, opts: { token?: string; namespace?: string } = {}): string {
  const file = join(dir, `${name}.kubeconfig`);
  server.writeKubeconfig(file, opts);
  return file;
}

const audit = (kc: string, ...args: string[]) => cli(['audit', '--no-config', '--kubeconfig', kc, ...args]);

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  path: string;
  resource: { apiVersion: string; kind: string; namespace?: string; name?: string };
  location?: unknown;
}
function findingsOf(r: Run): JsonFinding[] {
  try {
    return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
  } catch {
    throw new Error(`not a JSON report (exit ${r.code}):\n${r.stdout.slice(0, 2000)}\n${r.stderr}`);
  }
}

const keyOf = (f: JsonFinding) => `${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name ?? ''}`;

/** `Kind/namespace/name` → sorted `ruleId: message` lines. */
function perObject(findings: readonly JsonFinding[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of findings) (out[keyOf(f)] ??= []).push(`${f.ruleId}: ${f.message}`);
  for (const k of Object.keys(out)) out[k]!.sort();
  return out;
}

/** The collection path of an object on the harness server. */
function collection(o: { apiVersion: string; kind: string; metadata: { namespace?: string } }): string {
  const r = server.resources.get(`${o.apiVersion}/${o.kind}`);
  if (!r) throw new Error(`the server does not serve ${o.apiVersion}/${o.kind}`);
  const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  return r.namespaced
    ? `${base}/namespaces/${o.metadata.namespace ?? 'default'}/${r.resource}`
    : `${base}/${r.resource}`;
}

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
const docs = (file: string): Obj[] =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Obj);

async function create(o: Obj, path = collection(o)): Promise<void> {
  const r = await server.request('POST', path, JSON.stringify(o));
  if (r.status !== 201) throw new Error(`creating ${o.kind} ${o.metadata.name}: HTTP ${r.status} ${r.body}`);
}

/** The API server's audit log: one event per request (level Metadata). */
interface AuditEvent {
  user: { username: string };
  verb: string;
  requestURI: string;
  userAgent?: string;
  objectRef?: { resource?: string; namespace?: string; name?: string; apiGroup?: string };
  responseStatus?: { code?: number };
}
const AUDIT_LOG = join(dir, 'apiserver-audit.log');
let markers = 0;
/**
 * The events logged since `from` (a byte offset of the log), once the API server has written
 * them: a marker request made afterwards is waited for, as the log is written in request order.
 */
async function eventsSince(from: number): Promise<AuditEvent[]> {
  const marker = `audit-marker-${++markers}`;
  await server.request('GET', `/api/v1/namespaces/${marker}`);
  for (let i = 0; i < 200; i++) {
    const text = readFileSync(AUDIT_LOG, 'utf8').slice(from);
    if (text.includes(marker))
      return text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as AuditEvent);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the API server did not log the marker request');
}
const byUser = (events: AuditEvent[], user: string) => events.filter((e) => e.user.username === user);
const logSize = () => (existsSync(AUDIT_LOG) ? readFileSync(AUDIT_LOG).length : 0);

beforeAll(async () => {
  const policy = join(dir, 'audit-policy.yaml');
  writeFileSync(
    policy,
    'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n  - level: Metadata\n',
  );
  server = await startApiServer({
    users: Object.entries(USERS).map(([name, token]) => ({ name, token })),
    extraArgs: [
      `--audit-policy-file=${policy}`,
      `--audit-log-path=${AUDIT_LOG}`,
      '--audit-log-mode=blocking',
    ],
  });
  for (const o of docs(OBJECTS)) await create(o);
  // The shipped read-only role, bound to `auditor`; `partial` gets it without the RBAC group.
  const rbac = docs(join(ROOT, 'webhook/audit-rbac.yaml'));
  for (const o of rbac) await create(o);
  const role = rbac.find((o) => o.metadata.name === 'shipshape-audit') as Obj & {
    rules: Array<{ apiGroups: string[] }>;
  };
  await create({
    ...role,
    metadata: { name: 'partial-audit' },
    rules: role.rules.filter((r) => !r.apiGroups.includes('rbac.authorization.k8s.io')),
  } as Obj);
  const bind = (name: string, roleName: string, user: string) =>
    create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    } as Obj);
  await bind('e2e-auditor', 'shipshape-audit', 'auditor');
  await bind('e2e-auditor-reports', 'shipshape-audit-reports', 'auditor');
  await bind('e2e-partial', 'partial-audit', 'partial');
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The fixture's objects (the audit also sees the harness's RBAC objects and the server's own). */
const FIXTURE_KEYS = () =>
  new Set(docs(OBJECTS).map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`));
const only = (m: Record<string, string[]>, keys: Set<string>) =>
  Object.fromEntries(Object.entries(m).filter(([k]) => keys.has(k)));

describe('audit and lint agree', () => {
  let lintFindings: JsonFinding[];
  let linted: Record<string, string[]>;
  const inNamespace = (ns: string) =>
    Object.fromEntries(Object.entries(linted).filter(([k]) => k.split('/')[1] === ns));
  beforeAll(async () => {
    const r = await cli(['lint', '--no-config', '--format', 'json', OBJECTS]);
    lintFindings = findingsOf(r);
    linted = perObject(lintFindings);
  });

  it('the live objects of every namespace get the rule ids and messages their file gets', async () => {
    const r = await audit(kubeconfig('admin'), '--all-namespaces', '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const found = findingsOf(r);
    expect(found.every((f) => f.location === undefined)).toBe(true);
    expect(Object.keys(linted)).toEqual(
      expect.arrayContaining([
        'Deployment/team-a/fire-web',
        'ClusterRoleBinding//fire-ops',
        'CronJob/team-b/fire-nightly',
      ]),
    );
    expect(only(perObject(found), FIXTURE_KEYS())).toEqual(linted);
    // The pointers are the file's, or below them where the API server defaulted a field the file
    // left out (a container's `resources: {}`).
    for (const f of found.filter((x) => FIXTURE_KEYS().has(keyOf(x)))) {
      const twin = lintFindings.find(
        (l) => keyOf(l) === keyOf(f) && l.ruleId === f.ruleId && l.message === f.message,
      )!;
      expect(f.path === twin.path || f.path.startsWith(`${twin.path}/`), `${f.ruleId} ${f.path}`).toBe(true);
    }
  });

  it('--namespace audits that namespace only, with the same findings as its objects in the file', async () => {
    const r = await audit(kubeconfig('admin'), '--namespace', 'team-a', '--format', 'json');
    expect(r.stderr).toBe('');
    const audited = perObject(findingsOf(r));
    expect(Object.keys(audited).every((k) => k.split('/')[1] === 'team-a')).toBe(true);
    expect(audited).toEqual(inNamespace('team-a'));
    expect(audited['Service/team-a/fire-orphan']).toBeDefined();
  });

  it('--context picks a context of the kubeconfig, and its namespace is the one audited', async () => {
    const file = join(dir, 'two-contexts.kubeconfig');
    const good = JSON.parse(readFileSync(kubeconfig('admin'), 'utf8')) as {
      clusters: Array<{ name: string; cluster: Record<string, string> }>;
      contexts: Array<{ name: string; context: Record<string, string> }>;
      users: unknown[];
    };
    writeFileSync(
      file,
      JSON.stringify({
        ...good,
        clusters: [...good.clusters, { name: 'gone', cluster: { server: 'https://127.0.0.1:1' } }],
        contexts: [
          { name: 'gone', context: { cluster: 'gone', user: 'e2e' } },
          { name: 'team-b', context: { cluster: 'e2e', user: 'e2e', namespace: 'team-b' } },
        ],
        'current-context': 'gone',
      }),
    );
    const current = await audit(file, '--format', 'json');
    expect(current.code).toBe(2);
    expect(current.stderr).toBe(
      'shipshape: cannot reach the cluster at https://127.0.0.1:1 (context "gone"): connection refused\n',
    );
    const r = await audit(file, '--context', 'team-b', '--format', 'json');
    expect(r.stderr).toBe('');
    expect(perObject(findingsOf(r))).toEqual(inNamespace('team-b'));
  });

  it('--kinds and --exclude-kinds choose the kinds, by kind, short name or resource.group', async () => {
    const kc = kubeconfig('admin');
    const some = await audit(
      kc,
      '-A',
      '--kinds',
      'deploy,CronJob',
      '--kinds',
      'clusterrolebindings.rbac.authorization.k8s.io',
      '--format',
      'json',
    );
    expect(some.stderr).toBe('');
    const kinds = new Set(findingsOf(some).map((f) => f.resource.kind));
    expect([...kinds].sort()).toEqual(['ClusterRoleBinding', 'CronJob', 'Deployment']);
    expect(only(perObject(findingsOf(some)), FIXTURE_KEYS())).toEqual(
      Object.fromEntries(
        Object.entries(linted).filter(([k]) => /^(Deployment|CronJob|ClusterRoleBinding)\//.test(k)),
      ),
    );

    const rest = await audit(kc, '-n', 'team-b', '--exclude-kinds', 'pods,Role', '--format', 'json');
    expect(rest.stderr).toBe('');
    expect(Object.keys(perObject(findingsOf(rest))).sort()).toEqual(
      Object.keys(inNamespace('team-b'))
        .filter((k) => !/^(Pod|Role)\//.test(k))
        .sort(),
    );

    const unknown = await audit(kc, '--kinds', 'Widget');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('shipshape: --kinds: the cluster serves no kind "Widget"\n');
  });

  it('--page-size pages every list (limit and continue), and nothing is lost between pages', async () => {
    const from = logSize();
    const r = await audit(kubeconfig('admin'), '-A', '--page-size', '2', '--format', 'json');
    expect(only(perObject(findingsOf(r)), FIXTURE_KEYS())).toEqual(linted);
    const lists = (await eventsSince(from)).filter(
      (e) => e.userAgent === 'shipshape-audit' && e.verb === 'list',
    );
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.every((e) => /[?&]limit=2(&|$)/.test(e.requestURI))).toBe(true);
    // 3 ClusterRoleBindings of the fixture and the harness, plus the server's own: several pages.
    const crb = lists.filter((e) => e.objectRef?.resource === 'clusterrolebindings');
    expect(crb.length).toBeGreaterThan(2);
    expect(crb.slice(1).every((e) => e.requestURI.includes('continue='))).toBe(true);
  });
});

describe('permissions', () => {
  const oneLine = (r: Run) => {
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
    expect(r.stdout).toBe('');
  };

  it('a token the server does not know (401) is one line naming the context, server and request; exit 2', async () => {
    const r = await audit(kubeconfig('bad-token', { token: 'not-a-token-of-this-server' }), '-A');
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toBe(
      `shipshape: the cluster at https://127.0.0.1:${server.port} (context "e2e") refused the credentials (401 Unauthorized) for GET /api/v1: the token or certificate is wrong or has expired; log in again\n`,
    );
  });

  it('a user who may list nothing (403) gets one line naming the context, server and a refused resource; exit 2', async () => {
    const r = await audit(kubeconfig('nobody', { token: USERS.nobody }), '-n', 'team-a');
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toMatch(
      new RegExp(
        `^shipshape: the cluster at https://127\\.0\\.0\\.1:${server.port} \\(context "e2e"\\) refused to list all \\d+ kinds selected, e\\.g\\. \\S+ in namespace team-a \\(403 Forbidden: \\S+ is forbidden: User "nobody" cannot list resource "\\S+" in API group "[^"]*" in the namespace "team-a"\\): nothing was audited\\n$`,
      ),
    );
  });

  it('a forbidden kind is one warning line each; the other kinds are audited and reported', async () => {
    const r = await audit(kubeconfig('partial', { token: USERS.partial }), '-A', '--format', 'json');
    expect(r.code).toBe(1);
    const warned = r.stderr.trimEnd().split('\n');
    const where = `the cluster at https://127.0.0.1:${server.port} (context "e2e")`;
    expect(warned.map((l) => /refused to list (\S+) /.exec(l)?.[1]).sort()).toEqual([
      'clusterrolebindings.rbac.authorization.k8s.io',
      'clusterroles.rbac.authorization.k8s.io',
      'rolebindings.rbac.authorization.k8s.io',
      'roles.rbac.authorization.k8s.io',
    ]);
    for (const l of warned)
      expect(l).toMatch(
        new RegExp(
          `^shipshape: warning: ${where.replace(/[.()]/g, '\\$&')} refused to list \\S+ \\(403 Forbidden: .*"partial" cannot list.*\\); the other kinds were audited$`,
        ),
      );
    const kinds = new Set(findingsOf(r).map((f) => f.resource.kind));
    expect(kinds.has('Deployment') && kinds.has('CronJob') && kinds.has('Pod')).toBe(true);
    expect([...kinds].filter((k) => /Role/.test(k))).toEqual([]);
  });

  it('a forbidden kind named with --kinds is an error (exit 2): what was asked for must be read', async () => {
    const r = await audit(
      kubeconfig('partial', { token: USERS.partial }),
      // not team-b, where the fixture's RoleBinding grants every authenticated user everything
      '-n',
      'team-a',
      '--kinds',
      'pods,roles',
    );
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toContain(
      `(context "e2e") refused to list roles.rbac.authorization.k8s.io in namespace team-a (403 Forbidden: `,
    );
    expect(r.stderr).toContain('named with --kinds: nothing was audited');
  });
});

describe('Secrets', () => {
  const MARKER = 'zq7-shipshape-marker-41c9e';
  const b64 = Buffer.from(MARKER).toString('base64');
  beforeAll(async () => {
    await server.ensureNamespaces(['vault']);
    await create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'fire-creds',
        namespace: 'vault',
        annotations: {
          note: MARKER,
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
            stringData: { password: MARKER },
          }),
        },
      },
      type: 'Opaque',
      data: { password: b64, 'token.txt': b64 },
    } as Obj);
    await create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'fire-leak', namespace: 'vault' },
      data: { DB_PASSWORD: MARKER },
    } as Obj);
    await create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'fire-env', namespace: 'vault' },
      spec: {
        containers: [{ name: 'app', image: 'busybox:1.36', env: [{ name: 'API_TOKEN', value: MARKER }] }],
      },
    } as Obj);
  });

  it('are never listed without --include-secrets, by a user who may or may not read them', async () => {
    const from = logSize();
    const admin = await audit(kubeconfig('admin'), '-A', '--format', 'json');
    const auditor = await audit(kubeconfig('auditor', { token: USERS.auditor }), '-A', '--format', 'json');
    expect(admin.code).toBe(1);
    expect(auditor.code).toBe(1);
    // The read-only role holds everything a default audit reads: not one refusal.
    expect(auditor.stderr).toBe('');
    expect(
      findingsOf(auditor).some((f) => f.resource.kind === 'ConfigMap' && f.resource.name === 'fire-leak'),
    ).toBe(true);
    const events = (await eventsSince(from)).filter((e) => e.userAgent === 'shipshape-audit');
    expect(byUser(events, 'auditor').length).toBeGreaterThan(10);
    expect(byUser(events, 'oracle').length).toBeGreaterThan(10);
    expect(events.filter((e) => e.objectRef?.resource === 'secrets')).toEqual([]);
    expect(byUser(events, 'auditor').filter((e) => e.responseStatus?.code === 403)).toEqual([]);
  });

  it('with --include-secrets they are audited, and no format ever prints a value', async () => {
    const from = logSize();
    const kc = kubeconfig('admin');
    const args = ['-n', 'vault', '--include-secrets', '--rule', 'no-secret-data-in-manifests=warn'];
    const json = await audit(kc, ...args, '--format', 'json');
    const found = findingsOf(json);
    expect(found.filter((f) => f.resource.kind === 'Secret').map((f) => f.ruleId)).toContain(
      'no-secret-data-in-manifests',
    );
    expect(found.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(['no-secret-literals-in-configmap', 'no-secret-literals-in-env']),
    );
    expect(
      (await eventsSince(from)).some((e) => e.objectRef?.resource === 'secrets' && e.verb === 'list'),
    ).toBe(true);
    const outputs = [json];
    for (const format of ['stylish', 'sarif', 'junit', 'github', 'gitlab', 'policyreport'])
      outputs.push(await audit(kc, ...args, '--format', format));
    for (const r of outputs) {
      expect(r.code).toBe(1);
      const text = r.stdout + r.stderr;
      expect(text).toContain('fire-creds');
      expect(text).not.toContain(MARKER);
      expect(text).not.toContain(b64);
      expect(text).not.toContain(MARKER.slice(4, 20));
    }
  });
});

describe("the API server's own objects", () => {
  const isServers = (f: JsonFinding) =>
    f.resource.name === 'cluster-admin' || f.resource.name?.startsWith('system:') === true;

  it('are left out by default (still read: a binding to cluster-admin is judged by its rules); --include-bootstrap lints them', async () => {
    const bindAdmins = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'fire-admins' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'admins' }],
    } as Obj;
    await create(bindAdmins);
    try {
      const kc = kubeconfig('admin');
      const plain = findingsOf(await audit(kc, '-A', '--format', 'json'));
      expect(plain.filter(isServers)).toEqual([]);
      expect(
        plain
          .filter((f) => f.resource.name === 'fire-admins')
          .map((f) => f.ruleId)
          .sort(),
      ).toEqual(['no-cluster-admin-binding', 'no-rbac-binding-escalation', 'no-rbac-binding-pod-exec']);
      const all = findingsOf(await audit(kc, '-A', '--include-bootstrap', '--format', 'json'));
      const theirs = all.filter(isServers);
      expect(
        theirs.some((f) => f.resource.kind === 'ClusterRole' && f.resource.name === 'cluster-admin'),
      ).toBe(true);
      expect(
        theirs.some(
          (f) => f.resource.kind === 'ClusterRoleBinding' && f.resource.name === 'system:discovery',
        ),
      ).toBe(true);
      expect(all.length).toBe(plain.length + theirs.length);
    } finally {
      await server.request('DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/fire-admins');
    }
  });
});

describe('--format policyreport --apply', () => {
  const REPORTS = '/apis/wgpolicyk8s.io/v1alpha2';
  interface Report {
    kind: string;
    metadata: { name: string; namespace?: string; uid: string; resourceVersion: string };
    summary: { pass: number; fail: number; warn: number; error: number; skip: number };
    results: Array<{
      policy: string;
      message: string;
      result: string;
      resources: Array<{ kind: string; name?: string; namespace?: string }>;
      properties: { path: string };
    }>;
  }
  const list = async (path: string): Promise<Report[]> => {
    const r = await server.request('GET', path);
    expect(r.status).toBe(200);
    return (JSON.parse(r.body) as { items: Report[] }).items;
  };
  const all = async () => [
    ...(await list(`${REPORTS}/clusterpolicyreports`)),
    ...(await list(`${REPORTS}/policyreports`)),
  ];
  const scopeOf = (r: { kind: string; metadata: { namespace?: string } }) =>
    r.kind === 'ClusterPolicyReport' ? '' : r.metadata.namespace!;
  /** A report's results as `Kind/ns/name ruleId path: message (result)`. */
  const lines = (r: Report) =>
    r.results
      .map(
        (x) =>
          `${x.resources[0]!.kind}/${x.resources[0]!.namespace ?? ''}/${x.resources[0]!.name ?? ''} ${x.policy} ${x.properties.path}: ${x.message} (${x.result})`,
      )
      .sort();
  const fromFindings = (fs: JsonFinding[], scope: string) =>
    fs
      .filter((f) => (f.resource.namespace ?? '') === scope)
      .map(
        (f) =>
          `${keyOf(f)} ${f.ruleId} ${f.path}: ${f.message} (${f.severity === 'error' ? 'fail' : 'warn'})`,
      )
      .sort();

  beforeAll(async () => {
    for (const crd of docs(CRDS)) await create(crd);
    for (let i = 0; ; i++) {
      const r = await server.request('GET', REPORTS);
      if (r.status === 200 && r.body.includes('"clusterpolicyreports"') && r.body.includes('"policyreports"'))
        break;
      if (i > 100) throw new Error(`the policy report CRDs are not served: ${r.status} ${r.body}`);
      await new Promise((ok) => setTimeout(ok, 100));
    }
  });

  it('creates one report per namespace and a cluster report, holding the audit findings; a re-run updates them', async () => {
    const kc = kubeconfig('auditor', { token: USERS.auditor });
    const findings = findingsOf(await audit(kc, '-A', '--format', 'json'));
    const printed = await audit(kc, '-A', '--format', 'policyreport');
    const expected = parseAllDocuments(printed.stdout).map((d) => d.toJS() as Report);
    const applied = await audit(kc, '-A', '--format', 'policyreport', '--apply');
    expect(applied.code).toBe(1);
    expect(applied.stdout).toBe('');
    expect(applied.stderr).toMatch(/^(shipshape: created (Cluster)?PolicyReport \S+ \(\d+ results\)\n)+$/);

    const reports = await all();
    expect(reports.map(scopeOf).sort()).toEqual(expected.map(scopeOf).sort());
    expect(reports.map(scopeOf)).toEqual(expect.arrayContaining(['', 'team-a', 'team-b', 'vault']));
    for (const r of reports) {
      expect(r.metadata.name).toBe(
        r.kind === 'ClusterPolicyReport' ? 'shipshape-audit-cluster' : 'shipshape-audit',
      );
      expect(lines(r)).toEqual(fromFindings(findings, scopeOf(r)));
      expect(r.summary.fail + r.summary.warn).toBe(r.results.length);
    }
    const teamA = reports.find((r) => scopeOf(r) === 'team-a')!;
    expect(lines(teamA).some((l) => l.startsWith('Deployment/team-a/fire-web no-host-network '))).toBe(true);
    const cluster = reports.find((r) => scopeOf(r) === '')!;
    expect(lines(cluster).some((l) => l.startsWith('ClusterRoleBinding//fire-ops '))).toBe(true);

    // Fix a finding in the cluster and audit again: the same reports, updated in place.
    const orphan = '/api/v1/namespaces/team-a/services/fire-orphan';
    const saved = await server.request('GET', orphan);
    expect((await server.request('DELETE', orphan)).status).toBe(200);
    try {
      const again = await audit(kc, '-A', '--format', 'policyreport', '--apply');
      expect(again.stderr).toMatch(/^(shipshape: updated (Cluster)?PolicyReport \S+ \(\d+ results\)\n)+$/);
      const after = await all();
      expect(after.map((r) => r.metadata.uid).sort()).toEqual(reports.map((r) => r.metadata.uid).sort());
      const teamA2 = after.find((r) => scopeOf(r) === 'team-a')!;
      expect(teamA2.metadata.resourceVersion).not.toBe(teamA.metadata.resourceVersion);
      expect(lines(teamA2)).toEqual(lines(teamA).filter((l) => !l.startsWith('Service/team-a/fire-orphan ')));
      expect(lines(teamA2).length).toBeLessThan(lines(teamA).length);
    } finally {
      const o = JSON.parse(saved.body) as Obj & {
        metadata: Record<string, unknown>;
        spec: Record<string, unknown>;
      };
      delete o.spec.clusterIP;
      delete o.spec.clusterIPs;
      await create({ ...o, metadata: { name: o.metadata.name, namespace: 'team-a' } });
    }
  });
});
