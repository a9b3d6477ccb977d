// The pure parts of `shipshape audit` (cleaning live objects, choosing kinds, policy reports) and its
// one-line errors for clusters it cannot use; test/audit/audit.e2e.ts runs it against a real API server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { cleanLiveObject } from '../../src/audit/clean.js';
import { matchesKind, selectKinds, type ApiKind } from '../../src/audit/collect.js';
import { policyReportYaml, policyReports } from '../../src/audit/policyreport.js';
import { helpUriFor, type Finding } from '../../src/engine/types.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'shipshape-audit-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cleanLiveObject', () => {
  it('drops status, server-owned metadata and client annotations, and keeps what an author wrote', () => {
    const live = {
      metadata: {
        name: 'web',
        namespace: 'team-a',
        uid: 'b0c8…',
        resourceVersion: '812',
        generation: 3,
        creationTimestamp: '2026-12-07T10:00:00Z',
        managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
        labels: { app: 'web' },
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"hunter2"}}',
          'deployment.kubernetes.io/revision': '4',
          owner: 'team-a',
        },
      },
      spec: { replicas: 2 },
      status: { readyReplicas: 2 },
    };
    expect(cleanLiveObject(live, { apiVersion: 'apps/v1', kind: 'Deployment' })).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'team-a',
        labels: { app: 'web' },
        annotations: { owner: 'team-a' },
      },
      spec: { replicas: 2 },
    });
  });

  it('drops an annotations map that only held client annotations, and keeps the object untouched', () => {
    const live = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      data: { a: 'b' },
    };
    const copy = structuredClone(live);
    expect(cleanLiveObject(live)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: 'b' },
    });
    expect(live).toEqual(copy);
  });
});

const kind = (k: Partial<ApiKind> & Pick<ApiKind, 'kind' | 'resource'>): ApiKind => ({
  apiVersion: k.group ? `${k.group}/v1` : 'v1',
  group: '',
  singular: k.kind.toLowerCase(),
  shortNames: [],
  namespaced: true,
  ...k,
});
const KINDS = [
  kind({ kind: 'Pod', resource: 'pods', shortNames: ['po'] }),
  kind({ kind: 'Secret', resource: 'secrets' }),
  kind({ kind: 'Event', resource: 'events', shortNames: ['ev'] }),
  kind({ kind: 'Namespace', resource: 'namespaces', namespaced: false }),
  kind({ kind: 'Deployment', resource: 'deployments', group: 'apps', shortNames: ['deploy'] }),
  kind({
    kind: 'ClusterRole',
    resource: 'clusterroles',
    group: 'rbac.authorization.k8s.io',
    namespaced: false,
  }),
];
const names = (ks: ApiKind[]) => ks.map((k) => k.kind);

describe('selectKinds', () => {
  it('reads no Secrets and no Events by default, and cluster-scoped kinds only for all namespaces', () => {
    const base = { includeSecrets: false };
    expect(names(selectKinds(KINDS, { ...base, allNamespaces: false }))).toEqual(['Pod', 'Deployment']);
    expect(names(selectKinds(KINDS, { ...base, allNamespaces: true }))).toEqual([
      'Pod',
      'Namespace',
      'Deployment',
      'ClusterRole',
    ]);
    expect(names(selectKinds(KINDS, { includeSecrets: true, allNamespaces: false }))).toEqual([
      'Pod',
      'Secret',
      'Deployment',
    ]);
  });

  it('takes kinds by kind, plural, short name or resource.group, and refuses Secrets without --include-secrets', () => {
    const sel = (include: string[], exclude?: string[]) =>
      names(selectKinds(KINDS, { include, exclude, includeSecrets: false, allNamespaces: false }));
    expect(sel(['deploy', 'clusterroles.rbac.authorization.k8s.io'])).toEqual(['Deployment', 'ClusterRole']);
    expect(sel(['Deployment.apps', 'PODS'])).toEqual(['Pod', 'Deployment']);
    expect(() => sel(['deployment.batch'])).toThrow('--kinds: the cluster serves no kind "deployment.batch"');
    expect(() => sel(['Secret'])).toThrow('--kinds names Secrets: add --include-secrets to read them');
    expect(() => sel(['Widget'])).toThrow('--kinds: the cluster serves no kind "Widget"');
    expect(
      names(selectKinds(KINDS, { exclude: ['pods'], includeSecrets: false, allNamespaces: false })),
    ).toEqual(['Deployment']);
    expect(matchesKind(KINDS[4]!, 'deployments.apps')).toBe(true);
  });
});

const finding = (f: Partial<Finding> & Pick<Finding, 'ruleId' | 'severity'>): Finding => ({
  category: 'security',
  message: `${f.ruleId} fired`,
  resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'team-a' },
  path: '/spec',
  helpUri: helpUriFor(f.ruleId),
  ...f,
});

describe('policyReports', () => {
  const now = new Date('2026-12-07T12:00:00.500Z');
  const findings = [
    finding({ ruleId: 'no-host-network', severity: 'error', path: '/spec/template/spec/hostNetwork' }),
    finding({ ruleId: 'require-labels', severity: 'warn', category: 'hygiene' }),
    finding({
      ruleId: 'require-startup-probe',
      severity: 'info',
      suppressed: { kind: 'config', justification: 'legacy' },
    }),
    finding({
      ruleId: 'no-cluster-admin-binding',
      severity: 'error',
      resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'admins' },
    }),
  ];

  it('writes one PolicyReport per namespace and a ClusterPolicyReport, with results and summaries', () => {
    const reports = policyReports(findings, { now, scopes: ['team-a', 'empty'] });
    expect(reports.map((r) => [r.kind, r.metadata.namespace, r.summary])).toEqual([
      ['ClusterPolicyReport', undefined, { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 }],
      ['PolicyReport', 'empty', { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 }],
      ['PolicyReport', 'team-a', { pass: 0, fail: 1, warn: 1, error: 0, skip: 1 }],
    ]);
    const teamA = reports[2]!;
    expect(teamA.apiVersion).toBe('wgpolicyk8s.io/v1alpha2');
    expect(teamA.metadata.name).toBe('shipshape-audit');
    expect(teamA.results[0]).toEqual({
      source: 'shipshape',
      policy: 'no-host-network',
      rule: 'no-host-network',
      category: 'security',
      severity: 'high',
      result: 'fail',
      scored: true,
      message: 'no-host-network fired',
      resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'team-a' }],
      properties: { path: '/spec/template/spec/hostNetwork', helpUri: helpUriFor('no-host-network') },
      timestamp: { seconds: 1796644800, nanos: 0 },
    });
    expect(teamA.results.map((r) => [r.result, r.severity])).toEqual([
      ['fail', 'high'],
      ['warn', 'medium'],
      ['skip', 'info'],
    ]);
    expect(teamA.results[2]!.properties).toMatchObject({ suppressed: 'config', justification: 'legacy' });
  });

  it('prints them as a YAML stream that reads back as the same objects', () => {
    const reports = policyReports(findings, { now });
    const docs = parseAllDocuments([...policyReportYaml(reports)].join('')).map((d) => d.toJS() as unknown);
    expect(docs).toEqual(reports);
  });
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

function kubeconfig(name: string, server: string, contexts = ['dev']): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 'not-a-real-token' } }],
      contexts: contexts.map((n) => ({ name: n, context: { cluster: 'c', user: 'u' } })),
      'current-context': contexts[0],
    }),
  );
  return file;
}

describe('shipshape audit: clusters it cannot use', () => {
  const oneLine = (stderr: string) => {
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  };

  it('an unreachable cluster is one line and exit 2', async () => {
    const port = await closedPort();
    const r = await runCli([
      'audit',
      '--no-config',
      '--kubeconfig',
      kubeconfig('down', `https://127.0.0.1:${port}`),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `shipshape: cannot reach the cluster at https://127.0.0.1:${port} (context "dev"): connection refused\n`,
    );
    expect(r.stdout).toBe('');
  });

  it('a context the kubeconfig does not have is one line naming the ones it has', async () => {
    const file = kubeconfig('two', 'https://127.0.0.1:1', ['dev', 'prod']);
    const r = await runCli(['audit', '--no-config', '--kubeconfig', file, '--context', 'staging']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('shipshape: context "staging" is not in the kubeconfig (contexts: dev, prod)\n');
  });

  it('no kubeconfig at all is one line', async () => {
    const r = await runCli(['audit', '--no-config'], { env: { HOME: dir } });
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toContain(`no kubeconfig: ${join(dir, '.kube', 'config')} does not exist`);
  });

  it('refuses --apply without --format policyreport before reading anything', async () => {
    const r = await runCli(['audit', '--no-config', '--apply', '--kubeconfig', join(dir, 'absent')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('shipshape: --apply writes policy reports: use it with --format policyreport\n');
  });
});
