import { describe, expect, it } from 'vitest';
import { bundledSchemas } from '../../src/schema/bundled.js';
import { normalizeKubernetesVersion, SchemaRegistry, SchemaUsageError } from '../../src/schema/registry.js';

const source = bundledSchemas();
const registry = new SchemaRegistry(source);

function check(obj: Record<string, unknown>, strict = true, reg = registry) {
  const hit = reg.lookup(obj.apiVersion as string, obj.kind as string);
  if (hit.status !== 'found') throw new Error(`no schema: ${hit.message}`);
  return hit.check(obj, { strict, redact: obj.kind === 'Secret' });
}

const deployment = (spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }],
        ...podSpec,
      },
    },
    ...spec,
  },
});

describe('bundled Kubernetes schemas', () => {
  it('default to the newest bundled version', () => {
    const minors = Object.keys(source.index.versions);
    expect(minors.length).toBeGreaterThanOrEqual(6);
    expect(registry.minor).toBe(source.index.default);
    expect(minors.every((m) => Number(m.split('.')[1]) <= Number(registry.minor.split('.')[1]))).toBe(true);
  });

  it('accept a valid Deployment', () => {
    expect(check(deployment())).toEqual([]);
  });

  it('report a wrong type with the readable path and the value', () => {
    expect(check(deployment({ replicas: '3' }))).toEqual([
      { path: '/spec/replicas', message: 'spec.replicas: expected integer, got string "3"', target: 'value' },
    ]);
  });

  it('report an unknown field with a suggestion, pointing at the key', () => {
    const d = deployment();
    (d.spec as Record<string, unknown>).tempate = {};
    expect(check(d)).toEqual([
      {
        path: '/spec/tempate',
        message: 'spec.tempate: unknown field (did you mean "template"?)',
        target: 'key',
      },
    ]);
  });

  it('allow unknown fields with strict off', () => {
    const d = deployment();
    (d.spec as Record<string, unknown>).tempate = {};
    expect(check(d, false)).toEqual([]);
  });

  it('enforce enumerations the API server validates', () => {
    const d = deployment({}, {});
    const c = (d.spec.template.spec.containers as Array<Record<string, unknown>>)[0]!;
    c.imagePullPolicy = 'Sometimes';
    expect(check(d).map((e) => e.message)).toEqual([
      'spec.template.spec.containers[0].imagePullPolicy: must be one of Always, Never, IfNotPresent, got string "Sometimes"',
    ]);
  });

  it('accept int-or-string values and reject other types', () => {
    const probe = (port: unknown) =>
      deployment(
        {},
        { containers: [{ name: 'web', image: 'nginx:1', readinessProbe: { httpGet: { port } } }] },
      );
    expect(check(probe(8080))).toEqual([]);
    expect(check(probe('http'))).toEqual([]);
    expect(check(probe(true)).map((e) => e.message)).toEqual([
      'spec.template.spec.containers[0].readinessProbe.httpGet.port: expected integer or string, got boolean true',
    ]);
  });

  it('check quantities, accepting numbers and rejecting bad suffixes', () => {
    const res = (r: unknown) =>
      deployment(
        {},
        { containers: [{ name: 'web', image: 'nginx:1', resources: { limits: { cpu: r, memory: '1Gi' } } }] },
      );
    expect(check(res(1))).toEqual([]);
    expect(check(res('500m'))).toEqual([]);
    expect(check(res('1.5'))).toEqual([]);
    expect(check(res('2 cores')).map((e) => e.path)).toEqual([
      '/spec/template/spec/containers/0/resources/limits/cpu',
    ]);
    expect(check(res('1GB'))[0]?.message).toMatch(/limits\.cpu: must be a quantity/);
  });

  it('report missing required fields and duplicate list-map keys', () => {
    const d = deployment(
      {},
      { containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }, { image: 'z' }] },
    );
    const messages = check(d).map((e) => e.message);
    expect(messages).toContain('spec.template.spec.containers[2].name: missing required field "name"');
    // the Go check's words replace the list-map key's warning at the same item
    expect(messages).toContain('spec.template.spec.containers[1].name: Duplicate value: "a"');
    expect(messages.some((m) => m.includes('duplicate entry'))).toBe(false);
  });

  it('treat null as absent (as the API server does for built-in types)', () => {
    const d = deployment();
    (d.metadata as Record<string, unknown>).labels = null;
    expect(check(d)).toEqual([]);
  });

  it('never print Secret values in messages', () => {
    const errors = check({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { password: 'hunter2!!' },
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('data.password: must be base64-encoded, got string');
    expect(JSON.stringify(errors)).not.toContain('hunter2');
  });

  it('quote keys that are not identifiers in paths', () => {
    const d = deployment();
    (d.metadata as Record<string, unknown>).labels = { 'app.kubernetes.io/name': 5 };
    expect(check(d).map((e) => e.message)).toEqual([
      'metadata.labels["app.kubernetes.io/name"]: expected string, got integer 5',
    ]);
  });

  it('explain removed APIs with their replacement', () => {
    const hit = registry.lookup('extensions/v1beta1', 'Ingress');
    expect(hit).toEqual({
      status: 'removed',
      message: 'extensions/v1beta1 Ingress was removed in Kubernetes 1.22; use networking.k8s.io/v1',
    });
  });

  it('explain APIs that left within the bundled range, from the bundles', () => {
    const hit = registry.lookup('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema');
    expect(hit.status).toBe('removed');
    expect(hit.status !== 'found' && hit.message).toMatch(
      /not served by Kubernetes 1\.\d+ \(last served in 1\.\d+\); use flowcontrol\.apiserver\.k8s\.io\/v1$/,
    );
  });

  it('say when an API is newer than the target version', () => {
    const newest = registry.lookup('apps/v1', 'Deployment');
    expect(newest.status).toBe('found');
    const old = new SchemaRegistry(source, '1.30');
    // resource.k8s.io/v1 arrived after 1.30
    const hit = old.lookup('resource.k8s.io/v1', 'ResourceClaim');
    expect(hit.status).toBe('missing');
    expect(hit.status !== 'found' && hit.message).toMatch(
      /not served by Kubernetes 1\.30 \(first served in 1\.\d+\)/,
    );
  });

  it('report unknown kinds as missing schemas', () => {
    const hit = registry.lookup('example.com/v1', 'Widget');
    expect(hit).toEqual({
      status: 'missing',
      message: `no schema for example.com/v1 Widget in Kubernetes ${registry.minor}: if it is a custom resource, pass its CRD with --crd or add a --schema-location`,
    });
  });

  it('normalize version spellings and reject unknown ones', () => {
    expect(normalizeKubernetesVersion('v1.33.4', source.index)).toBe('1.33');
    expect(normalizeKubernetesVersion('1.31', source.index)).toBe('1.31');
    expect(() => normalizeKubernetesVersion('1.12', source.index)).toThrow(SchemaUsageError);
    expect(() => normalizeKubernetesVersion('latest', source.index)).toThrow(/bundled schemas cover 1\.30, /);
  });

  it('register CRDs and validate custom resources against them', () => {
    const reg = new SchemaRegistry(source);
    const keys = reg.registerCrd({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    required: ['size'],
                    properties: {
                      size: { type: 'integer', minimum: 1, maximum: 10 },
                      color: { type: 'string', enum: ['red', 'blue'] },
                      extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                      port: { 'x-kubernetes-int-or-string': true },
                    },
                  },
                },
              },
            },
          },
          { name: 'v0', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
        ],
      },
    });
    expect(keys).toEqual(['example.com/v1/Widget']);
    const good = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { size: 3, extra: { anything: [1] }, port: 'http' },
    };
    expect(check(good, true, reg)).toEqual([]);
    const bad = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', lables: {} },
      spec: { size: 11, color: 'green', port: 1.5 },
    };
    expect(check(bad, true, reg).map((e) => e.message)).toEqual([
      'metadata.lables: unknown field (did you mean "labels"?)',
      'spec.size: must be at most 10, got 11',
      'spec.color: must be one of red, blue, got string "green"',
      'spec.port: expected integer or string, got number 1.5',
    ]);
    expect(reg.lookup('example.com/v0', 'Widget').status).toBe('missing');
  });
});
