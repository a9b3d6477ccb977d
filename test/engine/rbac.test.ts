// Unit tests for the RBAC and reliability check functions: label selectors and rule options the
// fixtures (which run with one option set per rule) do not reach.
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../src/engine/compile.js';
import { selectorMatches } from '../../src/engine/k8s/selectors.js';
import { lint } from '../../src/engine/run.js';
import type { Finding } from '../../src/engine/types.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { parseSource } from '../../src/source/parse.js';

async function run(id: string, text: string, options?: Record<string, unknown>): Promise<Finding[]> {
  const def = builtinRules().find((d) => d.id === id)!;
  const rules = await compileRules(builtinRules(), {
    presets: [],
    rules: { [id]: options ? { severity: def.severity, options } : def.severity },
  });
  const parsed = parseSource('test.yaml', text);
  return lint(parsed.resources, { rules }).filter((f) => f.ruleId === id);
}

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'frontend' };
  it('follows metav1.LabelSelector semantics', () => {
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches(undefined, labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'api' } }, labels)).toBe(false);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }, labels),
    ).toBe(true);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, labels),
    ).toBe(false);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels),
    ).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels)).toBe(
      false,
    );
    expect(
      selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Gt', values: ['1'] }] }, labels),
    ).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'web' } }, undefined)).toBe(false);
  });
});

const WILDCARD_ROLE = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: broad
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
`;

describe('rule options', () => {
  it('no-rbac-wildcard reports only the configured fields', async () => {
    expect((await run('no-rbac-wildcard', WILDCARD_ROLE)).map((f) => f.path)).toEqual([
      '/rules/0/apiGroups/0',
      '/rules/0/resources/0',
      '/rules/0/verbs/0',
    ]);
    expect((await run('no-rbac-wildcard', WILDCARD_ROLE, { fields: ['verbs'] })).map((f) => f.path)).toEqual([
      '/rules/0/verbs/0',
    ]);
  });

  it('no-rbac-secret-read reports named Secrets with includeResourceNames', async () => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: named
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: ["tls"]
    verbs: ["get"]
`;
    expect(await run('no-rbac-secret-read', text)).toEqual([]);
    expect(
      (await run('no-rbac-secret-read', text, { includeResourceNames: true })).map((f) => f.path),
    ).toEqual(['/rules/0/resources/0']);
  });

  it('no-rbac-pod-create reports the configured verbs', async () => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: patcher
  namespace: shop
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["patch"]
`;
    expect(await run('no-rbac-pod-create', text)).toEqual([]);
    const found = await run('no-rbac-pod-create', text, { verbs: ['create', 'update', 'patch'] });
    expect(found.map((f) => f.message)).toEqual([
      'Role patcher rule 0 grants patch on deployments: its subjects can run arbitrary pods.',
    ]);
  });

  it('no-cluster-admin-binding reports the configured roles', async () => {
    const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: admins
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: admin
subjects:
  - kind: Group
    apiGroup: rbac.authorization.k8s.io
    name: shop-admins
`;
    expect(await run('no-cluster-admin-binding', text)).toEqual([]);
    expect(await run('no-cluster-admin-binding', text, { roles: ['cluster-admin', 'admin'] })).toHaveLength(
      1,
    );
  });

  it('require-multiple-replicas fixes to the configured minimum', async () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.0
`;
    expect(await run('require-multiple-replicas', text)).toEqual([]);
    const [f] = await run('require-multiple-replicas', text, { minReplicas: 3 });
    expect(f?.fix?.patch).toEqual([{ op: 'replace', path: '/spec/replicas', value: 3 }]);
  });

  it('require-hpa-min-replicas raises maxReplicas with minReplicas when needed', async () => {
    const text = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 2
  maxReplicas: 2
`;
    expect(await run('require-hpa-min-replicas', text)).toEqual([]);
    const [f] = await run('require-hpa-min-replicas', text, { minReplicas: 3 });
    expect(f?.fix?.patch).toEqual([
      { op: 'replace', path: '/spec/minReplicas', value: 3 },
      { op: 'replace', path: '/spec/maxReplicas', value: 3 },
    ]);
  });
});

describe('set-scoped rules', () => {
  it('match budgets and workloads across many objects through the label index', async () => {
    const docs: string[] = [];
    for (let i = 0; i < 300; i++) {
      docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: { name: app-${i}, namespace: ns-${i % 3} }
spec:
  replicas: ${i % 2 === 0 ? 1 : 3}
  selector: { matchLabels: { app: app-${i} } }
  template:
    metadata: { labels: { app: app-${i}, team: t${i % 7} } }
    spec:
      containers: [{ name: app, image: registry.example.com/app:1.0 }]`);
      if (i % 4 === 0) {
        docs.push(`apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: app-${i}, namespace: ns-${i % 3} }
spec:
  minAvailable: 1
  selector: { matchLabels: { app: app-${i} } }`);
      }
    }
    const text = docs.join('\n---\n');
    // Every 4th app has a budget; of those, the even ones (all of them) run 1 replica.
    const covering = await run('no-pdb-covering-all-replicas', text);
    expect(covering).toHaveLength(75);
    // Odd apps run 3 replicas; none of them has a budget (i % 4 === 0 means even).
    const missing = await run('require-pod-disruption-budget', text);
    expect(missing).toHaveLength(150);
  });
});
