// The shipped rules' `idleWithout` and `needs` shortcuts: a policy is not evaluated where it cannot
// report anything, and the findings are exactly those of evaluating it everywhere.
import { describe, expect, it } from 'vitest';
import { PolicyRuntime } from '../../src/engine/checks/rego.js';
import { compileRules, type RuleSettings } from '../../src/engine/compile.js';
import { lint } from '../../src/engine/run.js';
import { policyDeps } from '../../src/policy/setup.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { parseSource } from '../../src/source/parse.js';

const REGO_RULES = builtinRules()
  .filter((d) => 'rego' in d.check)
  .map((d) => d.id);

const pod = (meta: string, spec = '') => `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: prod
${meta}spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      resources: { limits: { cpu: "4", memory: 8Gi }, requests: { cpu: "3", memory: 6Gi } }
${spec}`;

const snippet = 'nginx.ingress.kubernetes.io/server-snippet: "x"';
/** Objects with annotations at every place the policies read them, none, empty and odd values. */
const CORPUS = [
  pod(`  annotations: { ${snippet} }\n  labels: { team: B }\n`),
  pod('  annotations: {}\n'),
  pod('  annotations: null\n'),
  pod('  annotations: "not a map"\n'),
  pod(''),
  `apiVersion: apps/v1
kind: Deployment
metadata: { name: d, namespace: prod }
spec:
  selector: { matchLabels: { app: d } }
  template:
    metadata:
      labels: { app: d }
      annotations: { ${snippet} }
    spec:
      containers: [{ name: app, image: "nginx:1.27" }]
`,
  `apiVersion: batch/v1
kind: CronJob
metadata: { name: c }
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: { ${snippet} }
        spec:
          restartPolicy: Never
          containers: [{ name: app, image: "busybox:1.36" }]
`,
  `apiVersion: v1
kind: PodTemplate
metadata: { name: t }
template:
  metadata:
    annotations: { ${snippet} }
  spec:
    containers: [{ name: app, image: "busybox:1.36" }]
`,
  `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations: { ${snippet}, nginx.ingress.kubernetes.io/rewrite-target: / }
spec:
  rules: [{ host: web.example.com }]
`,
].join('---\n');

async function run(settings: RuleSettings, shortcuts: boolean) {
  const runtime = new PolicyRuntime({}, { shortcuts });
  const rules = await compileRules(builtinRules(), settings, policyDeps(settings, undefined, runtime));
  const findings = lint(parseSource('t.yaml', CORPUS).resources, { rules }).map(
    (f) => `${f.ruleId} ${f.path} ${f.message}`,
  );
  const evaluations = Object.fromEntries(runtime.stats().map((s) => [s.ruleId, s.evaluations]));
  return { findings, evaluations };
}

const only = (rules: RuleSettings['rules']): RuleSettings => ({ presets: [], rules });

describe('policy shortcuts', () => {
  it('every shipped Rego rule declares when it has nothing to report', () => {
    // A new Rego rule must think about its shortcuts (or say why it has none here).
    const declared = builtinRules()
      .filter((d) => 'rego' in d.check)
      .map((d) => [d.id, 'rego' in d.check && d.check.rego.idleWithout !== undefined]);
    expect(declared).toEqual(REGO_RULES.map((id) => [id, true]));
  });

  it('skips policies whose parameters leave nothing to check, with the same findings', async () => {
    const settings = only(Object.fromEntries(REGO_RULES.map((id) => [id, {}])));
    const fast = await run(settings, true);
    const full = await run(settings, false);
    expect(fast.findings).toEqual(full.findings);
    // Defaults: no labels, registries, ceilings; only the annotation rules and digest namespaces.
    expect(full.evaluations['require-label-patterns']).toBe(9);
    expect(fast.evaluations['require-label-patterns']).toBe(0);
    expect(fast.evaluations['allowed-registries-by-namespace']).toBe(0);
    expect(fast.evaluations['resource-ceilings-by-namespace']).toBe(0);
    expect(fast.evaluations['require-image-digest-by-namespace']).toBe(
      full.evaluations['require-image-digest-by-namespace'],
    );
    // Annotations at the object, the pod template (Deployment, CronJob, PodTemplate) and an Ingress;
    // not on the Pods whose annotations are absent, null or {}. A string is still evaluated.
    expect(full.evaluations['no-forbidden-annotation-values']).toBe(9);
    expect(fast.evaluations['no-forbidden-annotation-values']).toBe(6);
    expect(fast.findings.filter((f) => f.startsWith('no-forbidden-annotation-values '))).toEqual([
      expect.stringMatching(/^\S+ \/metadata\/annotations\/nginx\.ingress\.kubernetes\.io~1server-snippet /),
      expect.stringContaining(' /spec/template/metadata/annotations/'),
      expect.stringContaining(' /spec/jobTemplate/spec/template/metadata/annotations/'),
      expect.stringContaining(' /template/metadata/annotations/'),
      expect.stringContaining(' /metadata/annotations/'),
    ]);
  });

  it('evaluates them as soon as a parameter gives them something to check', async () => {
    const settings = only({
      'require-label-patterns': { options: { labels: [{ key: 'team', pattern: '^[a-z]+$' }] } },
      'allowed-registries-by-namespace': {
        options: { namespaces: [{ match: ['prod'], registries: ['registry.example.com/'] }] },
      },
      'resource-ceilings-by-namespace': { options: { ceilings: { cpu: '2' } } },
      'require-image-digest-by-namespace': { options: { namespaces: [] } },
      'no-forbidden-annotation-values': { options: { annotations: [] } },
    });
    const fast = await run(settings, true);
    const full = await run(settings, false);
    expect(fast.findings).toEqual(full.findings);
    expect(fast.evaluations['require-label-patterns']).toBe(9);
    expect(fast.evaluations['allowed-registries-by-namespace']).toBe(
      full.evaluations['allowed-registries-by-namespace'],
    );
    expect(fast.evaluations['allowed-registries-by-namespace']).toBeGreaterThan(0);
    expect(fast.evaluations['resource-ceilings-by-namespace']).toBeGreaterThan(0);
    expect(fast.evaluations['require-image-digest-by-namespace']).toBe(0);
    expect(fast.evaluations['no-forbidden-annotation-values']).toBe(0);
    const ids = new Set(fast.findings.map((f) => f.split(' ')[0]));
    for (const id of [
      'require-label-patterns',
      'allowed-registries-by-namespace',
      'resource-ceilings-by-namespace',
    ])
      expect(ids).toContain(id);
  });
});
