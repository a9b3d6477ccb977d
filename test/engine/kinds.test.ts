// The per-kind tables (src/engine/kinds.ts) and the one label-selector matcher (src/engine/k8s/selectors.ts).
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../src/engine/compile.js';
import { selectorMatches, labelSelector, matches } from '../../src/engine/k8s/selectors.js';
import { BUILTIN_KINDS, KindTable, KIND_GROUPS, podSpecOf, podSpecsOf } from '../../src/engine/kinds.js';
import { lint } from '../../src/engine/run.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { parseSource } from '../../src/source/parse.js';

const doc = (kind: string, apiVersion = 'example.com/v1') =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\n  labels:\n    "-bad": web\nspec: {}\n`;

describe('kind tables', () => {
  it('treat kinds named like Object.prototype keys as ordinary kinds (no crash)', async () => {
    const rules = await compileRules(builtinRules(), {
      presets: [],
      rules: { 'no-invalid-labels': 'error' },
    });
    for (const kind of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const findings = lint(parseSource('x.yaml', doc(kind)).resources, { rules });
      expect(
        findings.map((f) => `${f.ruleId} ${f.path}`),
        kind,
      ).toEqual(['no-invalid-labels /metadata/labels/-bad']);
    }
  });

  it('know where every built-in pod-bearing kind keeps its pod spec', () => {
    const pointers = Object.fromEntries(
      KIND_GROUPS.PodLike!.map((kind) => {
        const object = {
          apiVersion: 'v1',
          kind,
          spec: { template: { spec: {} }, jobTemplate: { spec: { template: { spec: {} } } } },
          template: { spec: {} },
        };
        return [kind, podSpecsOf(object).map((p) => `${p.pointer} ${p.metadata}`)];
      }),
    );
    expect(pointers).toEqual({
      Pod: ['/spec /metadata'],
      PodTemplate: ['/template/spec /template/metadata'],
      Deployment: ['/spec/template/spec /spec/template/metadata'],
      StatefulSet: ['/spec/template/spec /spec/template/metadata'],
      DaemonSet: ['/spec/template/spec /spec/template/metadata'],
      ReplicaSet: ['/spec/template/spec /spec/template/metadata'],
      ReplicationController: ['/spec/template/spec /spec/template/metadata'],
      Job: ['/spec/template/spec /spec/template/metadata'],
      CronJob: ['/spec/jobTemplate/spec/template/spec /spec/jobTemplate/spec/template/metadata'],
    });
    expect(
      podSpecOf({ apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: 'x' } } }),
    ).toBeUndefined();
  });

  it('take a custom kind keyed by API group, which wins over the bare kind and leaves other groups alone', () => {
    const table = new KindTable([
      [
        'Deployment',
        {
          pods: [{ spec: '/spec/template/spec', metadata: '/spec/template/metadata' }],
          templateMetadata: [],
          createsPods: true,
        },
      ],
      [
        'argoproj.io/Rollout',
        {
          pods: [
            { spec: '/spec/template/spec', metadata: '/spec/template/metadata' },
            { spec: '/spec/canary/template/spec', metadata: '/spec/canary/template/metadata' },
          ],
          templateMetadata: [],
          createsPods: true,
          controllerLabels: new Set(['rollouts-pod-template-hash']),
        },
      ],
    ]);
    const rollout = (apiVersion: string) => ({
      apiVersion,
      kind: 'Rollout',
      spec: { template: { spec: { containers: [] } }, canary: { template: { spec: {} } } },
    });
    expect(podSpecsOf(rollout('argoproj.io/v1alpha1'), table).map((p) => p.pointer)).toEqual([
      '/spec/template/spec',
      '/spec/canary/template/spec',
    ]);
    expect(podSpecsOf(rollout('example.com/v1'), table)).toEqual([]);
    expect(podSpecsOf(rollout('argoproj.io/v1alpha1'))).toEqual([]); // not a built-in kind
    expect(table.kindNames().sort()).toEqual(['Deployment', 'Rollout']);
    expect([...table.controllerLabels]).toEqual(['rollouts-pod-template-hash']);
    expect(BUILTIN_KINDS.controllerLabels.has('pod-template-hash')).toBe(true);
  });
});

describe('the label-selector matcher', () => {
  it('compares label values as text and treats null labels as absent', () => {
    expect(selectorMatches({ matchLabels: { version: '2' } }, { version: 2 })).toBe(true);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'on', operator: 'In', values: ['true'] }] }, { on: true }),
    ).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, { a: null })).toBe(
      false,
    );
  });

  it('matches nothing with an invalid requirement, and assumes controller labels only when asked', () => {
    const invalid = labelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'app' }] });
    expect(invalid.invalid).toBe(true);
    expect(matches(invalid, { app: 'web' })).toBe(false);
    const byHash = labelSelector({ matchLabels: { app: 'web', 'pod-template-hash': 'abc' } });
    expect(matches(byHash, { app: 'web' })).toBe(false);
    expect(matches(byHash, { app: 'web' }, new Set(['pod-template-hash']))).toBe(true);
    expect(matches(byHash, { app: 'api' }, new Set(['pod-template-hash']))).toBe(false);
  });
});
