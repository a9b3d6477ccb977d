// The exact bytes /mutate answers for a realistic mix with declarative mutations configured (the
// bench's config: bench/webhook.bench.mjs --mutations): the JSONPatch, its operation order and the
// whole AdmissionReview response, pinned, so a change in how the patch is computed (copies,
// diffing, the fix loop) cannot change what the API server receives. And the request's object is
// never changed by answering it.
import { describe, expect, it } from 'vitest';
import { mutate, reviewResponse, resolveSettings } from '../../src/webhook/admission.js';
import type { Config } from '../../src/config/config.js';
import type { KubeObject } from '../../src/engine/types.js';
import { engineFor, request } from './helpers.js';

const CONFIG: Config = {
  presets: ['recommended'],
  rules: { 'require-seccomp-profile': 'warn', 'no-privilege-escalation': 'warn' },
  mutations: [
    { name: 'env-prod', match: { kinds: ['Pod', 'Deployment'] }, addLabels: { env: 'prod' } },
    {
      name: 'cost-center',
      match: { namespaces: ['shop'], selector: { matchLabels: { team: 'payments' } } },
      addAnnotations: { 'example.com/cost-center': 'payments' },
    },
    {
      name: 'pull-policy',
      match: { names: ['*'] },
      set: { path: 'imagePullPolicy', value: 'IfNotPresent', in: 'container' },
    },
    { name: 'non-root', set: { path: 'securityContext.runAsNonRoot', value: true, in: 'podSpec' } },
    { name: 'no-host-network', remove: { path: '/spec/hostNetwork' } },
  ],
};

const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: 'shop',
  labels: { app: name, team: 'payments' },
  managedFields: [
    {
      manager: 'kubectl',
      operation: 'Update',
      apiVersion: 'v1',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } } },
    },
  ],
  ...extra,
});
const container = (name: string, image: string, extra: Record<string, unknown> = {}) => ({
  name,
  image,
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
  livenessProbe: { httpGet: { path: '/live', port: 8080 } },
  ports: [{ containerPort: 8080 }],
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  },
  ...extra,
});

const OBJECTS: Record<string, () => KubeObject> = {
  // only the mutations change it: labels, annotations, pull policies, runAsNonRoot
  'clean Pod': () => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('api'),
    spec: {
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        container('app', 'registry.example/app:3.2.0'),
        container('proxy', 'registry.example/proxy:2.4.1', { imagePullPolicy: 'Always' }),
      ],
    },
  }),
  // mutations and the rules' safe fixes together: no pod securityContext, a :latest image, a
  // container without allowPrivilegeEscalation, hostNetwork removed
  'Pod with fixes': () => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'worker', labels: { env: 'dev' } },
    spec: {
      hostNetwork: true,
      containers: [
        container('worker', 'registry.example/worker:latest', {
          securityContext: { readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        }),
      ],
    },
  }),
  // the pod template gets the label; the object's labels map is added whole
  Deployment: () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'legacy', namespace: 'shop' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'legacy' } },
      template: {
        metadata: { labels: { app: 'legacy', team: 'payments' } },
        spec: { containers: [container('legacy', 'registry.example/legacy:1.0.0')] },
      },
    },
  }),
  // only the annotation (by namespace and selector)
  ConfigMap: () => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('shop-config', { annotations: { 'example.com/owner': 'payments' } }),
    data: { 'app.yaml': 'server:\n  port: 8080\n' },
  }),
};

/** What the webhook writes for the request: the review as JSON, and the patch decoded. */
async function answer(name: string): Promise<{ body: string; patch: unknown }> {
  const engine = await engineFor(CONFIG);
  const object = OBJECTS[name]!();
  const sent = JSON.stringify(object);
  const req = { ...request(object, { namespace: 'shop' }), uid: `golden-${name}` };
  const d = mutate(req, engine, resolveSettings(CONFIG.webhook));
  // answering never changes the request's object (the patch is computed on copies)
  expect(JSON.stringify(object)).toBe(sent);
  const patch = d.response.patch
    ? (JSON.parse(Buffer.from(d.response.patch, 'base64').toString('utf8')) as unknown)
    : undefined;
  return { body: JSON.stringify(reviewResponse(d.response)), patch };
}

describe('/mutate with declarative mutations: the exact answer', () => {
  it('a clean Pod: the mutations only', async () => {
    const { body, patch } = await answer('clean Pod');
    expect(patch).toEqual([
      { op: 'add', path: '/spec/containers/0/imagePullPolicy', value: 'IfNotPresent' },
      { op: 'add', path: '/spec/securityContext/runAsNonRoot', value: true },
      { op: 'add', path: '/metadata/labels/env', value: 'prod' },
      { op: 'add', path: '/metadata/annotations', value: { 'example.com/cost-center': 'payments' } },
    ]);
    expect(body).toBe(
      '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"golden-clean Pod","allowed":true,"patchType":"JSONPatch","patch":"W3sib3AiOiJhZGQiLCJwYXRoIjoiL3NwZWMvY29udGFpbmVycy8wL2ltYWdlUHVsbFBvbGljeSIsInZhbHVlIjoiSWZOb3RQcmVzZW50In0seyJvcCI6ImFkZCIsInBhdGgiOiIvc3BlYy9zZWN1cml0eUNvbnRleHQvcnVuQXNOb25Sb290IiwidmFsdWUiOnRydWV9LHsib3AiOiJhZGQiLCJwYXRoIjoiL21ldGFkYXRhL2xhYmVscy9lbnYiLCJ2YWx1ZSI6InByb2QifSx7Im9wIjoiYWRkIiwicGF0aCI6Ii9tZXRhZGF0YS9hbm5vdGF0aW9ucyIsInZhbHVlIjp7ImV4YW1wbGUuY29tL2Nvc3QtY2VudGVyIjoicGF5bWVudHMifX1d"}}',
    );
  });

  it('a Pod with fixes: mutations and safe fixes, judged on the mutated object', async () => {
    const { body, patch } = await answer('Pod with fixes');
    expect(patch).toEqual([
      { op: 'add', path: '/spec/containers/0/securityContext/allowPrivilegeEscalation', value: false },
      { op: 'add', path: '/spec/containers/0/imagePullPolicy', value: 'Always' },
      { op: 'remove', path: '/spec/hostNetwork' },
      {
        op: 'add',
        path: '/spec/securityContext',
        value: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      },
    ]);
    expect(body).toBe(
      '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"golden-Pod with fixes","allowed":true,"patchType":"JSONPatch","patch":"W3sib3AiOiJhZGQiLCJwYXRoIjoiL3NwZWMvY29udGFpbmVycy8wL3NlY3VyaXR5Q29udGV4dC9hbGxvd1ByaXZpbGVnZUVzY2FsYXRpb24iLCJ2YWx1ZSI6ZmFsc2V9LHsib3AiOiJhZGQiLCJwYXRoIjoiL3NwZWMvY29udGFpbmVycy8wL2ltYWdlUHVsbFBvbGljeSIsInZhbHVlIjoiQWx3YXlzIn0seyJvcCI6InJlbW92ZSIsInBhdGgiOiIvc3BlYy9ob3N0TmV0d29yayJ9LHsib3AiOiJhZGQiLCJwYXRoIjoiL3NwZWMvc2VjdXJpdHlDb250ZXh0IiwidmFsdWUiOnsicnVuQXNOb25Sb290Ijp0cnVlLCJzZWNjb21wUHJvZmlsZSI6eyJ0eXBlIjoiUnVudGltZURlZmF1bHQifX19XQ=="}}',
    );
  });

  it('a Deployment: the object and its pod template', async () => {
    const { body, patch } = await answer('Deployment');
    expect(patch).toEqual([
      { op: 'add', path: '/spec/template/spec/containers/0/imagePullPolicy', value: 'IfNotPresent' },
      {
        op: 'add',
        path: '/spec/template/spec/securityContext',
        value: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      },
      { op: 'add', path: '/spec/template/metadata/labels/env', value: 'prod' },
      { op: 'add', path: '/metadata/labels', value: { env: 'prod' } },
    ]);
    expect(body).toBe(
      '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"golden-Deployment","allowed":true,"patchType":"JSONPatch","patch":"W3sib3AiOiJhZGQiLCJwYXRoIjoiL3NwZWMvdGVtcGxhdGUvc3BlYy9jb250YWluZXJzLzAvaW1hZ2VQdWxsUG9saWN5IiwidmFsdWUiOiJJZk5vdFByZXNlbnQifSx7Im9wIjoiYWRkIiwicGF0aCI6Ii9zcGVjL3RlbXBsYXRlL3NwZWMvc2VjdXJpdHlDb250ZXh0IiwidmFsdWUiOnsicnVuQXNOb25Sb290Ijp0cnVlLCJzZWNjb21wUHJvZmlsZSI6eyJ0eXBlIjoiUnVudGltZURlZmF1bHQifX19LHsib3AiOiJhZGQiLCJwYXRoIjoiL3NwZWMvdGVtcGxhdGUvbWV0YWRhdGEvbGFiZWxzL2VudiIsInZhbHVlIjoicHJvZCJ9LHsib3AiOiJhZGQiLCJwYXRoIjoiL21ldGFkYXRhL2xhYmVscyIsInZhbHVlIjp7ImVudiI6InByb2QifX1d"}}',
    );
  });

  it('a ConfigMap: the annotation only', async () => {
    const { body, patch } = await answer('ConfigMap');
    expect(patch).toEqual([
      { op: 'add', path: '/metadata/annotations/example.com~1cost-center', value: 'payments' },
    ]);
    expect(body).toBe(
      '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"golden-ConfigMap","allowed":true,"patchType":"JSONPatch","patch":"W3sib3AiOiJhZGQiLCJwYXRoIjoiL21ldGFkYXRhL2Fubm90YXRpb25zL2V4YW1wbGUuY29tfjFjb3N0LWNlbnRlciIsInZhbHVlIjoicGF5bWVudHMifV0="}}',
    );
  });

  it('the patched objects get no further patch (reinvocation)', async () => {
    const engine = await engineFor(CONFIG);
    const { applyPatch } = await import('fast-json-patch');
    for (const name of Object.keys(OBJECTS)) {
      const object = OBJECTS[name]!();
      const { patch } = await answer(name);
      const patched = applyPatch(object, patch as never).newDocument;
      const again = mutate(request(patched, { namespace: 'shop' }), engine, resolveSettings({}));
      expect(again.response.patch, name).toBeUndefined();
    }
  });
});
