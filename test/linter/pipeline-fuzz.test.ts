// Property tests over the whole pipeline: random manifests (every kind the catalog matches, random
// shapes where objects are expected) through every rule, the schema and API checks, the fixer and
// every formatter. Nothing may throw, every finding must point inside its file, and fixing must
// settle. Bounded for the default suite; PIPELINE_FUZZ_RUNS multiplies the cases (test:proof).
import fc from 'fast-check';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

const SCALE = Number(process.env.PIPELINE_FUZZ_RUNS ?? 1);
import type { Finding } from '../../src/engine/types.js';
import { formatNames, formatters, formatToString } from '../../src/formatters/index.js';
import { openLinter, type Linter } from '../../src/linter/linter.js';

const KINDS: [string, string][] = [
  ['v1', 'Pod'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
];

/** Field names rules look at, so random shapes land where the checks read. */
const KEYS = [
  'spec',
  'template',
  'jobTemplate',
  'containers',
  'initContainers',
  'ephemeralContainers',
  'securityContext',
  'image',
  'name',
  'ports',
  'env',
  'volumes',
  'volumeMounts',
  'hostPath',
  'selector',
  'matchLabels',
  'rules',
  'subjects',
  'roleRef',
  'resources',
  'limits',
  'requests',
  'data',
  'stringData',
  'metadata',
  'labels',
  'annotations',
  'capabilities',
  'add',
  'privileged',
  'hostNetwork',
  'versions',
  'schema',
  'openAPIV3Schema',
  'properties',
  'items',
  'type',
  'pattern',
  'allOf',
  'required',
  'group',
  'names',
  'kind',
];

const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '0',
    '*',
    'latest',
    'nginx:latest',
    'ALL',
    'SYS_ADMIN',
    '/var/run/docker.sock',
    '__proto__',
  ),
);
const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 4 }),
  ),
})).v;

const manifest = fc
  .record({
    type: fc.constantFrom(...KINDS),
    name: fc.string({ minLength: 1, maxLength: 10 }),
    body: fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 5 }),
  })
  .map(({ type, name, body }) => ({ ...body, apiVersion: type[0], kind: type[1], metadata: { name } }));

const files = fc.array(fc.array(manifest, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 });

let linter: Linter;
beforeAll(async () => {
  linter = await openLinter({ presets: ['all'] }, { baseDir: process.cwd() });
});

function lines(text: string): number {
  return text.split('\n').length;
}

describe('the pipeline on random manifests', () => {
  it('every rule, every formatter: no throw, locations inside the document', () => {
    fc.assert(
      fc.property(files, (docs) => {
        const sources = docs.map((objs, i) => ({
          file: `f${i}.yaml`,
          text: objs.map((o) => stringify(o)).join('---\n'),
        }));
        const { findings } = linter.lintSources(sources);
        for (const f of findings) {
          const src = sources.find((s) => s.file === f.location?.file);
          if (!f.location || !src) continue;
          expect(f.location.start.line).toBeGreaterThanOrEqual(1);
          expect(f.location.start.line).toBeLessThanOrEqual(lines(src.text));
        }
        formatAll(findings);
      }),
      { numRuns: 30 * SCALE, seed: 20261207 },
    );
  });

  it('fixing random manifests settles and a second fix changes nothing', () => {
    fc.assert(
      fc.property(files, (docs) => {
        const texts = new Map(
          docs.map((objs, i) => [`f${i}.yaml`, objs.map((o) => stringify(o)).join('---\n')]),
        );
        const first = linter.lintSources([...texts].map(([file, text]) => ({ file, text })));
        const once = linter.fixTexts(texts, first.findings, { unsafe: true });
        const twice = linter.fixTexts(once.texts, once.findings, { unsafe: true });
        expect(twice.texts).toEqual(once.texts);
      }),
      { numRuns: 12 * SCALE, seed: 7 },
    );
  });

  it('CRDs with random schemas, and custom resources of them: no throw', () => {
    const crd = fc.record({ schema: value, spec: value }).map(({ schema, spec }) => [
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          names: { kind: 'Widget', plural: 'widgets' },
          scope: 'Namespaced',
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
        },
      },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec },
    ]);
    fc.assert(
      fc.property(crd, (objs) => {
        const fresh = linter.lintSources([
          { file: 'crd.yaml', text: objs.map((o) => stringify(o)).join('---\n') },
        ]);
        formatAll(fresh.findings);
      }),
      { numRuns: 40 * SCALE, seed: 3 },
    );
  });

  it('admission objects: lintObject and fixObject never throw and never touch the input', () => {
    fc.assert(
      fc.property(manifest, (object) => {
        const before = JSON.stringify(object);
        const findings = linter.lintObject(object);
        linter.fixObject(object, findings, (o) => linter.lintObject(o));
        expect(JSON.stringify(object)).toBe(before);
      }),
      { numRuns: 80 * SCALE, seed: 11 },
    );
  });
});

function formatAll(findings: Finding[]): void {
  for (const name of formatNames) {
    const out = formatToString(formatters[name], findings, {
      cwd: process.cwd(),
      color: false,
      rules: new Map(),
      toolVersion: '0.0.0',
      filesLinted: 1,
      resourcesLinted: findings.length,
    });
    if (name === 'json' || name === 'sarif' || name === 'gitlab') JSON.parse(out);
  }
}
