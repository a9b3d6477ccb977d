// Declarative mutations on the pod-bearing kinds of the run's kind table (src/engine/mutate.ts): the
// custom kinds shipshape knows (an Argo Rollout, a Workflow) and a kind of the config's `podSpecs:`
// get the pod-level scopes as a Deployment does, at their own pod spec paths, idempotently.
import { describe, expect, it } from 'vitest';
import type { MutationConfig } from '../../src/config/config.js';
import { compileMutations } from '../../src/config/mutations.js';
import { BUILTIN_KINDS } from '../../src/engine/kinds.js';
import { planMutations } from '../../src/engine/mutate.js';
import { applyPatch, clone } from '../../src/engine/patch.js';
import { configWorkloads, DEFAULT_KINDS } from '../../src/engine/pod-kinds.js';
import type { KubeObject } from '../../src/engine/types.js';

/** The run's table with a `podSpecs:` entry, built as the linter builds it. */
const RUNNER_KINDS = DEFAULT_KINDS.with(
  configWorkloads([
    {
      apiVersion: 'ci.example.com/v1',
      kind: 'Runner',
      paths: ['spec.jobs[].template.spec', '/spec/cleanup/podSpec'],
    },
  ]),
);

const MUTATIONS: MutationConfig[] = [
  { name: 'env', addLabels: { env: 'prod' } },
  { name: 'non-root', set: { path: 'securityContext.runAsNonRoot', value: true, in: 'container' } },
  { name: 'sa', set: { path: 'automountServiceAccountToken', value: false, in: 'podSpec' } },
  { name: 'team', set: { path: 'metadata.annotations.team', value: 'web', in: 'podTemplate' } },
];

const rollout = (): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'canary' },
  spec: {
    selector: { matchLabels: { app: 'canary' } },
    template: {
      metadata: { labels: { app: 'canary' } },
      spec: {
        initContainers: [{ name: 'init', image: 'registry.example/init:1.0' }],
        containers: [
          { name: 'app', image: 'registry.example/app:1.0', securityContext: { runAsNonRoot: false } },
        ],
      },
    },
  },
});

const runner = (): KubeObject => ({
  apiVersion: 'ci.example.com/v1',
  kind: 'Runner',
  metadata: { name: 'ci', labels: { env: 'dev' } },
  spec: {
    jobs: [
      { template: { spec: { containers: [{ name: 'build', image: 'registry.example/build:1.0' }] } } },
      {
        template: {
          metadata: { labels: { app: 'test' } },
          spec: { containers: [{ name: 'test', image: 'registry.example/test:1.0' }] },
        },
      },
    ],
    cleanup: { podSpec: { containers: [{ name: 'rm', image: 'registry.example/rm:1.0' }] } },
  },
});

/** The operations of a plan, and the plan on its own result (empty when idempotent). */
function plan(object: KubeObject, table = DEFAULT_KINDS, mutations = MUTATIONS) {
  const compiled = compileMutations(mutations);
  const ops = planMutations(object, compiled, table).map((p) => p.op);
  const result = clone(object);
  for (const op of ops) expect(applyPatch(result, [op]).applied).toBe(true);
  return { ops, result, again: planMutations(result, compiled, table) };
}

describe('mutations on custom pod-bearing kinds', () => {
  it('reach an Argo Rollout at its pod template, pod spec and every container, like a Deployment', () => {
    const { ops, result, again } = plan(rollout());
    expect(ops).toEqual([
      { op: 'add', path: '/metadata/labels/env', value: 'prod' },
      { op: 'add', path: '/spec/template/metadata/labels/env', value: 'prod' },
      { op: 'add', path: '/spec/template/spec/initContainers/0/securityContext/runAsNonRoot', value: true },
      // present and false: never overwritten without overwrite: true
      { op: 'add', path: '/spec/template/spec/automountServiceAccountToken', value: false },
      { op: 'add', path: '/spec/template/metadata/annotations/team', value: 'web' },
    ]);
    expect(result.spec).toEqual({
      selector: { matchLabels: { app: 'canary' } },
      template: {
        metadata: { labels: { app: 'canary', env: 'prod' }, annotations: { team: 'web' } },
        spec: {
          initContainers: [
            { name: 'init', image: 'registry.example/init:1.0', securityContext: { runAsNonRoot: true } },
          ],
          containers: [
            { name: 'app', image: 'registry.example/app:1.0', securityContext: { runAsNonRoot: false } },
          ],
          automountServiceAccountToken: false,
        },
      },
    });
    expect(again).toEqual([]);
  });

  it('reach every pod spec a podSpecs: entry declares, array items included', () => {
    const { ops, again } = plan(runner(), RUNNER_KINDS);
    expect(ops).toEqual([
      // env: dev is kept on the object; the pods' metadata of a template gets the label
      { op: 'add', path: '/spec/jobs/0/template/metadata/labels/env', value: 'prod' },
      { op: 'add', path: '/spec/jobs/1/template/metadata/labels/env', value: 'prod' },
      {
        op: 'add',
        path: '/spec/jobs/0/template/spec/containers/0/securityContext/runAsNonRoot',
        value: true,
      },
      {
        op: 'add',
        path: '/spec/jobs/1/template/spec/containers/0/securityContext/runAsNonRoot',
        value: true,
      },
      { op: 'add', path: '/spec/cleanup/podSpec/containers/0/securityContext/runAsNonRoot', value: true },
      { op: 'add', path: '/spec/jobs/0/template/spec/automountServiceAccountToken', value: false },
      { op: 'add', path: '/spec/jobs/1/template/spec/automountServiceAccountToken', value: false },
      { op: 'add', path: '/spec/cleanup/podSpec/automountServiceAccountToken', value: false },
      // a pod template is metadata beside a PodSpec `spec`; /spec/cleanup/podSpec has none
      { op: 'add', path: '/spec/jobs/0/template/metadata/annotations/team', value: 'web' },
      { op: 'add', path: '/spec/jobs/1/template/metadata/annotations/team', value: 'web' },
    ]);
    expect(again).toEqual([]);
  });

  it('reach nothing of a kind the table does not name (only object-level paths)', () => {
    // the same Runner without its podSpecs: entry, and the Rollout with the built-in table alone
    expect(plan(runner()).ops).toEqual([]);
    expect(plan(rollout(), BUILTIN_KINDS).ops).toEqual([
      { op: 'add', path: '/metadata/labels/env', value: 'prod' },
    ]);
  });

  it('write container paths into an Argo template container, pod-level paths only into PodSpecs', () => {
    const workflow: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'build' },
      spec: {
        entrypoint: 'main',
        templates: [
          { name: 'main', steps: [[{ name: 'b', template: 'b' }]] },
          { name: 'b', container: { image: 'registry.example/b:1.0' } },
        ],
      },
    };
    const { ops, again } = plan(workflow);
    // an Argo template is no PodSpec: no automountServiceAccountToken, no podTemplate annotation;
    // the steps template makes no pod and gets nothing
    expect(ops).toEqual([
      { op: 'add', path: '/metadata/labels/env', value: 'prod' },
      { op: 'add', path: '/spec/templates/1/metadata/labels/env', value: 'prod' },
      { op: 'add', path: '/spec/templates/1/container/securityContext/runAsNonRoot', value: true },
    ]);
    expect(again).toEqual([]);
  });

  it("label a KubeVirt VM template (its launcher pod's labels) but write no pod path into a VMI spec", () => {
    const vm: KubeObject = {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: { name: 'vm', labels: { env: 'prod' } },
      spec: { template: { metadata: { labels: { app: 'vm' } }, spec: { domain: { devices: {} } } } },
    };
    const { ops, again } = plan(vm);
    expect(ops).toEqual([{ op: 'add', path: '/spec/template/metadata/labels/env', value: 'prod' }]);
    expect(again).toEqual([]);
  });
});
