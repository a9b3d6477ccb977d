/**
 * fast-check generator of workload manifests aimed at the rules that carry fixes (host namespaces,
 * privilege, capabilities, seccomp, pull policy, replicas, rollout, PDB, HPA, CronJob policy),
 * rendered as YAML in varied styles (flow/block, indentation, comments, List wrappers, CRLF) so the
 * fixer's text splicing meets the shapes people write.
 */
import fc from 'fast-check';
import { Document, isCollection, visit } from 'yaml';

type Obj = Record<string, unknown>;

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const IMAGE = fc.constantFrom(
  'registry.example.com/app:latest',
  'registry.example.com/app:1.4.2',
  'registry.example.com/app',
  'nginx',
  `registry.example.com/app@sha256:${'a'.repeat(64)}`,
);

const containerSecurity = fc.record(
  {
    privileged: fc.boolean(),
    allowPrivilegeEscalation: fc.boolean(),
    readOnlyRootFilesystem: fc.boolean(),
    runAsNonRoot: fc.boolean(),
    procMount: fc.constantFrom('Default', 'Unmasked'),
    capabilities: fc.record(
      { drop: fc.constantFrom(['ALL'], ['NET_RAW'], []), add: fc.constantFrom(['NET_ADMIN'], ['CHOWN']) },
      { requiredKeys: [] },
    ),
    seccompProfile: fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined') }),
  },
  { requiredKeys: [] },
);

const container = (name: string) =>
  fc.record(
    {
      name: fc.constant(name),
      image: IMAGE,
      imagePullPolicy: opt(fc.constantFrom('Always', 'IfNotPresent', 'Never')),
      securityContext: opt(containerSecurity),
      resources: opt(fc.constant({ requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } })),
    },
    { requiredKeys: ['name', 'image'] },
  );

const podSpec = fc
  .record({
    containers: fc
      .integer({ min: 1, max: 2 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => container(`c${i}`)))),
    initContainers: opt(fc.tuple(container('init'))),
    hostNetwork: opt(fc.boolean()),
    hostPID: opt(fc.boolean()),
    hostIPC: opt(fc.boolean()),
    automountServiceAccountToken: opt(fc.boolean()),
    securityContext: opt(
      fc.record(
        {
          runAsNonRoot: fc.boolean(),
          seccompProfile: fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined') }),
        },
        { requiredKeys: [] },
      ),
    ),
  })
  .map(strip);

/** Drop undefined fields (fc.option's nil) so they are absent, not null. */
function strip<T>(v: T): T {
  if (Array.isArray(v)) return v.map(strip) as T;
  if (v !== null && typeof v === 'object') {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = strip(x);
    return out as T;
  }
  return v;
}

const NAMES = fc.constantFrom('web', 'api', 'worker', 'db');

const workload = fc.oneof(
  fc
    .record({
      kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet'),
      name: NAMES,
      spec: podSpec,
      replicas: opt(fc.integer({ min: 1, max: 3 })),
      mismatch: fc.boolean(),
      rollout: opt(fc.constantFrom<[unknown, unknown]>([0, 0], [1, 0], ['25%', 0], [0, 1], [1, 1])),
    })
    .map(({ kind, name, spec, replicas, mismatch, rollout }) => {
      const labels = { app: name };
      const o: Obj = {
        apiVersion: 'apps/v1',
        kind,
        metadata: { name, namespace: 'team' },
        spec: strip({
          ...(kind !== 'DaemonSet' ? { replicas } : {}),
          ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
          selector: { matchLabels: labels },
          template: { metadata: { labels: mismatch ? { other: name } : labels }, spec },
          ...(rollout && kind === 'Deployment'
            ? {
                strategy: {
                  type: 'RollingUpdate',
                  rollingUpdate: { maxSurge: rollout[0], maxUnavailable: rollout[1] },
                },
              }
            : {}),
          ...(rollout && kind === 'DaemonSet'
            ? {
                updateStrategy: {
                  type: 'RollingUpdate',
                  rollingUpdate: { maxSurge: rollout[0], maxUnavailable: rollout[1] },
                },
              }
            : {}),
        }),
      };
      return o;
    }),
  fc
    .record({ name: NAMES, spec: podSpec })
    .map(({ name, spec }): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec })),
  fc
    .record({ name: NAMES, spec: podSpec, policy: opt(fc.constantFrom('Allow', 'Forbid')) })
    .map(({ name, spec, policy }): Obj => ({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name },
      spec: strip({
        schedule: '*/5 * * * *',
        concurrencyPolicy: policy,
        jobTemplate: { spec: { template: { spec: { ...spec, restartPolicy: 'OnFailure' } } } },
      }),
    })),
  fc
    .record({
      name: NAMES,
      bad: fc.constantFrom<Obj>({ maxUnavailable: 0 }, { minAvailable: '100%' }, { maxUnavailable: 1 }),
    })
    .map(({ name, bad }): Obj => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name },
      spec: { ...bad, selector: { matchLabels: { app: name } } },
    })),
  fc.record({ name: NAMES, min: opt(fc.integer({ min: 1, max: 3 })) }).map(({ name, min }): Obj => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: strip({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: min,
      maxReplicas: 2,
    }),
  })),
);

/** How one manifest file is written. */
export interface Style {
  indent: 2 | 4;
  indentSeq: boolean;
  /** Per collection node (in visiting order): render it in flow style. */
  flow: boolean[];
  /** Per node: put a comment before it. */
  comments: boolean[];
  asList: boolean;
  crlf: boolean;
}

const style: fc.Arbitrary<Style> = fc.record({
  indent: fc.constantFrom(2 as const, 4 as const),
  indentSeq: fc.boolean(),
  flow: fc.array(fc.boolean(), { maxLength: 40 }).map((xs) => xs.map((x, i) => x && i % 3 === 0)),
  comments: fc.array(fc.boolean(), { maxLength: 40 }).map((xs) => xs.map((x, i) => x && i % 4 === 0)),
  asList: fc.nat(9).map((n) => n < 3),
  crlf: fc.nat(9).map((n) => n < 2),
});

/** Render objects as one multi-document YAML file in `s` style; comments are `# note-N`. */
export function render(objects: Obj[], s: Style): { text: string; comments: string[] } {
  const comments: string[] = [];
  const docs = (s.asList ? [{ apiVersion: 'v1', kind: 'List', items: objects }] : objects).map((o) => {
    const doc = new Document(o);
    let n = 0;
    visit(doc, (_key, node) => {
      const i = n++;
      if (isCollection(node) && s.flow[i] && i > 0) node.flow = true;
      if (s.comments[i] && node && typeof node === 'object' && 'commentBefore' in node && i > 0) {
        const c = `note-${comments.length}`;
        (node as { commentBefore?: string }).commentBefore = ` ${c}`;
        comments.push(c);
      }
    });
    return doc.toString({ indent: s.indent, indentSeq: s.indentSeq, lineWidth: 0 });
  });
  let text = docs.join('---\n');
  if (s.crlf) text = text.replace(/\n/g, '\r\n');
  return { text, comments };
}

/** A manifest file of 1–4 workload-related objects in a random style (List wrappers and CRLF optional). */
export function manifestArb(opts: { lists?: boolean; crlf?: boolean } = {}) {
  return fc.tuple(fc.array(workload, { minLength: 1, maxLength: 4 }), style).map(([objects, s]) => {
    const st = { ...s, asList: s.asList && opts.lists !== false, crlf: s.crlf && opts.crlf !== false };
    return { objects, style: st, ...render(objects, st) };
  });
}
