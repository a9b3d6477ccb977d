// Pod-bearing kinds beyond the built-ins (src/engine/pod-kinds.ts, docs/pod-kinds.md): the known
// custom kinds, the config's `podSpecs:`, CRDs whose schema embeds a PodSpec, and that findings,
// suppressions, fixes and the cross-resource rules treat their pods as they treat a Deployment's.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { parseConfig } from '../../src/config/load.js';
import { podSpecPointersIn, toPodPointer } from '../../src/engine/pod-kinds.js';
import type { Finding } from '../../src/engine/types.js';
import { openLinter } from '../../src/linter/linter.js';
import { applyFixes } from '../../src/source/fix.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CUSTOM = readFileSync(new URL('../fixtures/pod-kinds/custom-kinds.yaml', import.meta.url), 'utf8');

async function lintWith(config: Config, text: string): Promise<Finding[]> {
  const linter = await openLinter(config, { baseDir: ROOT });
  return linter
    .lintSources([{ file: 'in.yaml', text }])
    .findings.filter((f) => f.ruleId !== 'missing-schema');
}

const where = (f: Finding) =>
  `${f.location?.start.line}:${f.location?.start.column} ${f.resource.kind}/${f.resource.name} ${f.path}`;

describe('custom pod-bearing kinds', () => {
  it('meet the container rules at the exact line of each container, for every kind of the table', async () => {
    const findings = await lintWith({ presets: [], rules: { 'no-privileged-container': 'error' } }, CUSTOM);
    expect(findings.map(where)).toEqual([
      '20:25 DeploymentConfig/frontend /spec/template/spec/containers/0/securityContext/privileged',
      '40:25 Rollout/canary /spec/template/spec/containers/0/securityContext/privileged',
      '61:23 Workflow/build /spec/templates/1/container/securityContext/privileged',
      '67:23 Workflow/build /spec/templates/2/script/securityContext/privileged',
      '84:29 CronWorkflow/nightly /spec/workflowSpec/templates/0/containerSet/containers/0/securityContext/privileged',
      '99:25 Service/hello /spec/template/spec/containers/0/securityContext/privileged',
      '111:25 Configuration/hello-config /spec/template/spec/containers/0/securityContext/privileged',
      '121:21 Revision/hello-00001 /spec/containers/0/securityContext/privileged',
      '133:21 Task/unit-tests /spec/steps/0/securityContext/privileged',
      '138:21 Task/unit-tests /spec/sidecars/0/securityContext/privileged',
      '152:27 Pipeline/ci /spec/tasks/0/taskSpec/steps/0/securityContext/privileged',
    ]);
    // An Argo template's unnamed container is named by its template.
    expect(findings.find((f) => f.path.includes('/templates/1/'))?.message).toContain('Container compile of');
  });

  it('leave a kind of another API group alone (a Service of the core group has no pod)', async () => {
    const text = CUSTOM.replace(
      'apiVersion: serving.knative.dev/v1\nkind: Service',
      'apiVersion: v1\nkind: Service',
    );
    const findings = await lintWith({ presets: [], rules: { 'no-privileged-container': 'error' } }, text);
    expect(findings.map((f) => f.resource.name)).not.toContain('hello');
  });

  it('do not ask run-to-completion pods (workflow templates, Tekton steps) for probes, but a Rollout', async () => {
    const findings = await lintWith({ presets: [], rules: { 'require-liveness-probe': 'error' } }, CUSTOM);
    expect([...new Set(findings.map((f) => f.resource.kind))].sort()).toEqual([
      'Configuration',
      'DeploymentConfig',
      'Revision',
      'Rollout',
      'Service',
    ]);
  });

  it('read Tekton v1 steps’ computeResources as their resources', async () => {
    const text = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: t
spec:
  steps:
    - name: build
      image: registry.example.com/builder:1.0.0
      computeResources:
        requests:
          memory: 128Mi
    - name: push
      image: registry.example.com/pusher:1.0.0
      computeResources:
        requests:
          cpu: 100m
`;
    const findings = await lintWith({ presets: [], rules: { 'require-cpu-request': 'error' } }, text);
    expect(findings.map(where)).toEqual(['10:9 Task/t /spec/steps/0/computeResources/requests']);
  });

  it('give an Argo template the workflow’s pod securityContext when it sets none', async () => {
    const workflow = (templateContext: string) => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: w
spec:
  securityContext:
    runAsNonRoot: true
  templates:
    - name: main
${templateContext}      container:
        image: registry.example.com/builder:1.0.0
`;
    const config: Config = { presets: [], rules: { 'require-run-as-non-root': 'error' } };
    expect(await lintWith(config, workflow(''))).toEqual([]);
    // A template's own securityContext replaces the workflow's.
    const own = await lintWith(config, workflow('      securityContext:\n        runAsUser: 1000\n'));
    expect(own.map(where)).toEqual(['12:7 Workflow/w /spec/templates/0/container']);
  });

  it('run no pod rule on a KubeVirt VM (its spec is no PodSpec)', async () => {
    const findings = await lintWith({ presets: ['recommended', 'pss-restricted'] }, CUSTOM);
    expect(findings.filter((f) => f.resource.kind === 'VirtualMachine')).toEqual([]);
  });
});

describe('suppressions and fixes inside a custom kind', () => {
  const rollout = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: canary
spec:
  selector:
    matchLabels:
      app: canary
  template:
    metadata:
      labels:
        app: canary
    spec:
      containers:
        - name: app
          image: registry.example.com/canary:2.1.0
          securityContext:
            runAsNonRoot: true
        - name: side
          image: registry.example.com/side:1.0.0
          securityContext:
            runAsNonRoot: true
`;
  const config: Config = { presets: [], rules: { 'no-privilege-escalation': 'error' } };

  it('apply a fix at the container of the Rollout', async () => {
    const findings = await lintWith(config, rollout);
    expect(findings.map(where)).toEqual([
      '17:11 Rollout/canary /spec/template/spec/containers/0/securityContext',
      '21:11 Rollout/canary /spec/template/spec/containers/1/securityContext',
    ]);
    const fixed = applyFixes(rollout, findings, { unsafe: false });
    expect(fixed).toContain(
      '          securityContext:\n            runAsNonRoot: true\n            allowPrivilegeEscalation: false\n        - name: side',
    );
    expect(await lintWith(config, fixed)).toEqual([]);
  });

  it('honour a per-container annotation and an inline comment', async () => {
    const annotated = rollout.replace(
      'metadata:\n  name: canary\n',
      'metadata:\n  name: canary\n  annotations:\n    shipshape.dev/ignore.side: no-privilege-escalation -- legacy\n',
    );
    const a = await lintWith(config, annotated);
    expect(a.filter((f) => !f.suppressed).map((f) => f.path)).toEqual([
      '/spec/template/spec/containers/0/securityContext',
    ]);
    const commented = rollout.replace(
      '          image: registry.example.com/canary:2.1.0\n',
      '          image: registry.example.com/canary:2.1.0\n          # shipshape-disable-next-line no-privilege-escalation -- reviewed\n',
    );
    const c = await lintWith(config, commented);
    expect(c.filter((f) => !f.suppressed).map((f) => f.path)).toEqual([
      '/spec/template/spec/containers/1/securityContext',
    ]);
  });
});

describe('cross-resource rules over custom kinds', () => {
  const service = (selector: string) => `apiVersion: v1
kind: Service
metadata:
  name: front
spec:
  selector:
    ${selector}
  ports:
    - port: 80
`;
  const config: Config = {
    presets: [],
    rules: { 'no-unmatched-service-selector': 'error', 'no-dangling-configmap-ref': 'error' },
  };

  it('match Service selectors against Rollout, DeploymentConfig and KubeVirt VM pod labels', async () => {
    for (const selector of ['app: canary', 'name: frontend', 'kubevirt.io/domain: vm']) {
      const findings = await lintWith(config, `${CUSTOM}---\n${service(selector)}`);
      expect(findings.map(where), selector).toEqual([]);
    }
    const findings = await lintWith(config, `${CUSTOM}---\n${service('app: nobody')}`);
    expect(findings.map((f) => f.ruleId)).toEqual(['no-unmatched-service-selector']);
  });

  it('accept selectors on the labels a custom kind’s controller adds', async () => {
    const findings = await lintWith(
      config,
      `${CUSTOM}---\n${service('app: canary\n    rollouts-pod-template-hash: abc123')}`,
    );
    expect(findings).toEqual([]);
  });

  it('find ConfigMaps a Tekton step or an Argo template reads, and report the missing ones', async () => {
    const text = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: t
spec:
  steps:
    - name: build
      image: registry.example.com/builder:1.0.0
      env:
        - name: MODE
          valueFrom:
            configMapKeyRef:
              name: build-settings
              key: mode
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: w
spec:
  templates:
    - name: main
      container:
        image: registry.example.com/builder:1.0.0
        envFrom:
          - configMapRef:
              name: present
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: present
data:
  a: b
`;
    const findings = await lintWith(config, text);
    expect(findings.map(where)).toEqual(['13:21 Task/t /spec/steps/0/env/0/valueFrom/configMapKeyRef/name']);
  });
});

describe('podSpecs in the config', () => {
  const runner = `apiVersion: ci.example.com/v1
kind: Runner
metadata:
  name: r
spec:
  jobs:
    - template:
        metadata:
          labels:
            app: r
        spec:
          containers:
            - name: job
              image: registry.example.com/job:1.0.0
              securityContext:
                privileged: true
`;
  const rules = { 'no-privileged-container': 'error' } as const;

  it('declare a kind whose pods are at a dotted path with array items', async () => {
    expect(await lintWith({ presets: [], rules }, runner)).toEqual([]);
    const findings = await lintWith(
      {
        presets: [],
        rules,
        podSpecs: [{ apiVersion: 'ci.example.com/v1', kind: 'Runner', paths: ['spec.jobs[].template.spec'] }],
      },
      runner,
    );
    expect(findings.map(where)).toEqual([
      '16:29 Runner/r /spec/jobs/0/template/spec/containers/0/securityContext/privileged',
    ]);
  });

  it('turn a dotted path into a pointer, leaving pointers alone', () => {
    expect(toPodPointer('spec.jobs[].template.spec')).toBe('/spec/jobs/*/template/spec');
    expect(toPodPointer('/spec/runner')).toBe('/spec/runner');
  });

  it('reject a malformed entry at its file, line and column', () => {
    expect(() =>
      parseConfig(
        'podSpecs:\n  - apiVersion: ci.example.com/v1\n    kind: Runner\n    paths: ["spec..x"]\n',
        'c.yaml',
      ),
    ).toThrow(/c\.yaml:4:13: .*podSpecs\[0\]\.paths\[0\]/);
    expect(() => parseConfig('podSpecs:\n  - kind: Runner\n    paths: [spec]\n', 'c.yaml')).toThrow(
      /c\.yaml:2:5: .*apiVersion/,
    );
  });
});

describe('CRDs whose schema embeds a PodSpec', () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: runners.ci.example.com
spec:
  group: ci.example.com
  scope: Namespaced
  names: { kind: Runner, plural: runners, singular: runner, listKind: RunnerList }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                jobs:
                  type: array
                  items:
                    type: object
                    properties:
                      template:
                        type: object
                        properties:
                          metadata: { type: object, x-kubernetes-preserve-unknown-fields: true }
                          spec:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                            properties:
                              containers:
                                type: array
                                items:
                                  type: object
                                  x-kubernetes-preserve-unknown-fields: true
                                  properties:
                                    name: { type: string }
                                    image: { type: string }
`;
  const runner = `apiVersion: ci.example.com/v1
kind: Runner
metadata:
  name: r
spec:
  jobs:
    - template:
        metadata:
          labels:
            app: r
        spec:
          containers:
            - name: job
              image: registry.example.com/job:1.0.0
              securityContext:
                privileged: true
`;

  it('find the PodSpec pointers of a schema', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            pod: {
              type: 'object',
              properties: {
                containers: { type: 'array', items: { type: 'object', properties: { name: {}, image: {} } } },
              },
            },
            other: {
              type: 'object',
              properties: { containers: { type: 'array', items: { type: 'string' } } },
            },
          },
        },
      },
    };
    expect(podSpecPointersIn(schema)).toEqual(['/spec/pod']);
    expect(podSpecPointersIn('not a schema')).toEqual([]);
  });

  it('register the pod paths of its kind when the CRD is in the input', async () => {
    const config: Config = { presets: [], rules: { 'no-privileged-container': 'error' } };
    expect(await lintWith(config, runner)).toEqual([]);
    const findings = await lintWith(config, `${crd}---\n${runner}`);
    expect(findings.map(where)).toEqual([
      '57:29 Runner/r /spec/jobs/0/template/spec/containers/0/securityContext/privileged',
    ]);
  });
});
