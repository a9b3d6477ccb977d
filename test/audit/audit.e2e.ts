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
