// charts/shipshape with the real helm: lint clean, the default rendering equal to webhook/ (no
// drift), the URL mode of the end-to-end install free of any Service reference, and the
// operator-safety settings (bootstrap order, excluded namespaces, priority class, metrics).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { tool } from '../integrations/tools.js';
import { CHART, HELM, key, renderChart, ROOT, urlModeValues, type K8sObject } from './chart.js';

/** Labels Helm charts add for bookkeeping, and the pod annotation that rolls pods on a config change. */
const HELM_LABELS = [
  'app.kubernetes.io/instance',
  'app.kubernetes.io/managed-by',
  'app.kubernetes.io/version',
  'helm.sh/chart',
];

/** The object without what only the chart adds (Helm's labels, the config checksum). */
function normalize(o: K8sObject): K8sObject {
  const copy = structuredClone(o);
  for (const l of HELM_LABELS) delete copy.metadata.labels?.[l];
  const template = (
    copy.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined
  )?.template;
  if (template?.metadata?.annotations) {
    delete template.metadata.annotations['checksum/config'];
    if (Object.keys(template.metadata.annotations).length === 0) delete template.metadata.annotations;
  }
  return copy;
}

function readManifests(dir: string, skip: string[] = []): K8sObject[] {
  return readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.yaml') && !skip.includes(f))
    .flatMap((f) =>
      parseAllDocuments(readFileSync(join(ROOT, dir, f), 'utf8')).map((d) => d.toJS() as K8sObject),
    );
}

const byKey = (objects: K8sObject[]) => Object.fromEntries(objects.map((o) => [key(o), normalize(o)]));

/** Every `clientConfig` object anywhere in the rendered objects. */
function clientConfigs(objects: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, child] of Object.entries(v)) {
        if (k === 'clientConfig') out.push(child as Record<string, unknown>);
        walk(child);
      }
  };
  walk(objects);
  return out;
}

let tmp = '';
beforeAll(() => {
  tool(HELM);
  tmp = mkdtempSync(join(tmpdir(), 'shipshape-chart-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('charts/shipshape', () => {
  it('passes helm lint --strict (no warning, no error)', () => {
    const r = spawnSync(HELM, ['lint', '--strict', CHART], { encoding: 'utf8' });
    expect(r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(r.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(r.status).toBe(0);
  });

  for (const preset of ['recommended', 'pss-restricted'])
    it(`lints clean with shipshape lint --helm under --preset ${preset}`, () => {
      const r = spawnSync(
        process.execPath,
        [
          'bin/shipshape.js',
          'lint',
          '--helm',
          'charts/shipshape',
          // cert-manager's Issuer and Certificate: the lint-only CRD stand-ins of webhook/
          '--crd',
          'webhook/crds-for-lint/cert-manager.yaml',
          '--no-config',
          '--preset',
          preset,
          '--format',
          'json',
        ],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, PATH: `${join(ROOT, '.cache/bin')}${delimiter}${process.env.PATH ?? ''}` },
        },
      );
      const report = JSON.parse(r.stdout) as { findings: unknown[] };
      expect(report.findings).toEqual([]);
      expect(r.status).toBe(0);
    });

  it('renders with default values the objects of webhook/base and webhook/cert-manager (no drift)', () => {
    const chart = renderChart();
    // the Namespace (with its Pod Security labels) is applied before `helm install -n`, which needs it
    const manifests = [
      ...readManifests('webhook/base', ['namespace.yaml']),
      ...readManifests('webhook/cert-manager'),
    ];
    expect(Object.keys(byKey(chart)).sort()).toEqual(Object.keys(byKey(manifests)).sort());
    expect(byKey(chart)).toEqual(byKey(manifests));
    // and every chart object carries Helm's labels on top of webhook/'s
    for (const o of chart) expect(o.metadata.labels?.['app.kubernetes.io/managed-by'], key(o)).toBe('Helm');
  });

  it('renders, in provided mode without a URL, the webhook configurations of webhook/plain-certs plus the caBundle', () => {
    const chart = renderChart({
      set: [
        'certificates.mode=provided',
        'certificates.provided.caBundle=Q0E=',
        'certificates.provided.existingSecret=shipshape-webhook-tls',
      ],
    });
    const configs = chart.filter((o) => o.kind.endsWith('WebhookConfiguration'));
    const plain = readManifests('webhook/plain-certs').map((o) => {
      for (const w of o.webhooks as { clientConfig: Record<string, unknown> }[])
        w.clientConfig.caBundle = 'Q0E=';
      return o;
    });
    expect(byKey(configs)).toEqual(byKey(plain));
    // no cert-manager object, and the Deployment mounts the Secret the operator created
    expect(chart.filter((o) => o.apiVersion.startsWith('cert-manager.io/'))).toEqual([]);
    expect(chart.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('the end-to-end values register both configurations by URL on 127.0.0.1: no clientConfig.service anywhere', () => {
    const values = join(tmp, 'e2e-values.json');
    writeFileSync(
      values,
      JSON.stringify(urlModeValues({ port: 18443, caBundle: 'Q0E=', tlsCrt: 'CERT', tlsKey: 'KEY' })),
    );
    const chart = renderChart({ valuesFile: values });
    const configs = clientConfigs(chart);
    expect(configs.map((c) => c.url)).toEqual([
      'https://127.0.0.1:18443/mutate',
      'https://127.0.0.1:18443/validate',
      'https://127.0.0.1:18443/validate',
    ]);
    for (const c of configs) {
      expect(Object.keys(c).sort()).toEqual(['caBundle', 'url']);
      expect(c.caBundle).toBe('Q0E=');
    }
    expect(JSON.stringify(chart)).not.toMatch(/"service":\{/);
    // the chart creates the provided serving pair as a kubernetes.io/tls Secret, with the CA as
    // ca.crt (the caBundle is already base64), which the ServiceMonitor verifies the server with
    const secret = chart.find((o) => o.kind === 'Secret')!;
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(secret.data).toEqual({ 'tls.crt': 'Q0VSVA==', 'tls.key': 'S0VZ', 'ca.crt': 'Q0E=' });
  });

  it('refuses provided mode without a caBundle or without a serving certificate, naming the value', () => {
    const fail = (set: string[]) =>
      spawnSync(HELM, ['template', 'shipshape', CHART, ...set.flatMap((s) => ['--set', s])], {
        encoding: 'utf8',
      });
    const noCa = fail(['certificates.mode=provided', 'certificates.provided.existingSecret=x']);
    expect(noCa.status).not.toBe(0);
    expect(noCa.stderr).toContain('certificates.mode=provided needs certificates.provided.caBundle');
    const noCert = fail(['certificates.mode=provided', 'certificates.provided.caBundle=Q0E=']);
    expect(noCert.status).not.toBe(0);
    expect(noCert.stderr).toContain('needs certificates.provided.existingSecret, or both tlsCrt and tlsKey');
    const badMode = fail(['certificates.mode=vault']);
    expect(badMode.stderr).toContain('certificates.mode must be cert-manager or provided, not "vault"');
  });
});

describe('charts/shipshape operator safety', () => {
  it('bootstrap step 1 (webhooks.register=false) renders everything but the webhook configurations', () => {
    const all = byKey(renderChart());
    const step1 = byKey(renderChart({ set: ['webhooks.register=false'] }));
    const configs = Object.keys(all).filter((k) => k.includes('WebhookConfiguration/'));
    expect(configs.sort()).toEqual([
      'MutatingWebhookConfiguration//shipshape',
      'ValidatingWebhookConfiguration//shipshape',
    ]);
    for (const k of configs) delete all[k];
    expect(step1).toEqual(all);
  });

  it("excludes kube-system, cert-manager's namespace and the release namespace from both webhooks", () => {
    for (const ns of ['shipshape-system', 'policy']) {
      const chart = renderChart({ namespace: ns });
      const hooks = chart
        .filter((o) => o.kind.endsWith('WebhookConfiguration'))
        .flatMap((o) => o.webhooks as { name: string; namespaceSelector?: unknown }[]);
      const namespaced = hooks.filter((h) => h.name !== 'validate-cluster.shipshape.dev');
      expect(namespaced.map((h) => h.name).sort()).toEqual([
        'mutate.shipshape.dev',
        'validate.shipshape.dev',
      ]);
      for (const h of namespaced)
        expect(h.namespaceSelector).toEqual({
          matchExpressions: [
            {
              key: 'kubernetes.io/metadata.name',
              operator: 'NotIn',
              values: ['kube-system', 'cert-manager', ns],
            },
          ],
        });
    }
  });

  it('runs the fail-closed webhook under a priority class (configurable, or none)', () => {
    const spec = (objects: K8sObject[]) =>
      (objects.find((o) => o.kind === 'Deployment')!.spec as { template: { spec: Record<string, unknown> } })
        .template.spec;
    expect(spec(renderChart()).priorityClassName).toBe('system-cluster-critical');
    expect(spec(renderChart({ set: ['priorityClassName=shipshape-critical'] })).priorityClassName).toBe(
      'shipshape-critical',
    );
    expect(spec(renderChart({ set: ['priorityClassName='] }))).not.toHaveProperty('priorityClassName');
  });

  it('scrapes /metrics over HTTPS with a ServiceMonitor when enabled, verifying the serving certificate', () => {
    expect(renderChart().filter((o) => o.kind === 'ServiceMonitor')).toEqual([]);
    const monitor = renderChart({
      set: ['serviceMonitor.enabled=true', 'serviceMonitor.labels.release=prom'],
    }).find((o) => o.kind === 'ServiceMonitor')!;
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.labels?.release).toBe('prom');
    expect(monitor.spec).toEqual({
      selector: {
        matchLabels: { 'app.kubernetes.io/name': 'shipshape', 'app.kubernetes.io/component': 'webhook' },
      },
      namespaceSelector: { matchNames: ['shipshape-system'] },
      endpoints: [
        {
          port: 'https',
          scheme: 'https',
          path: '/metrics',
          interval: '30s',
          scrapeTimeout: '10s',
          tlsConfig: {
            serverName: 'shipshape-webhook.shipshape-system.svc',
            ca: { secret: { name: 'shipshape-webhook-tls', key: 'ca.crt' } },
          },
        },
      ],
    });
  });

  it('turns off the PDB, HPA and NetworkPolicy on request, and then sets the fixed replica count', () => {
    const chart = renderChart({
      set: [
        'podDisruptionBudget.enabled=false',
        'autoscaling.enabled=false',
        'networkPolicy.enabled=false',
        'replicas=2',
      ],
    });
    const kinds = chart.map((o) => o.kind);
    for (const k of ['PodDisruptionBudget', 'HorizontalPodAutoscaler', 'NetworkPolicy'])
      expect(kinds).not.toContain(k);
    expect((chart.find((o) => o.kind === 'Deployment')!.spec as { replicas: number }).replicas).toBe(2);
  });
});
