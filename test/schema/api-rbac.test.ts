// rbac.authorization.k8s.io checks the API server runs in Go; each verdict and message was
// confirmed with kube-apiserver v1.37 (kubectl create --dry-run=server --validate=strict).
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema-findings.js';

const G = 'apiVersion: rbac.authorization.k8s.io/v1\n';

describe('rbac.authorization.k8s.io validation', () => {
  it('accepts roles and bindings the API server accepts (defaulted apiGroups)', async () => {
    const yaml =
      G +
      'kind: Role\nmetadata:\n  name: reader\nrules:\n- apiGroups: [""]\n  resources: [pods]\n  verbs: [get]\n---\n' +
      G +
      'kind: ClusterRole\nmetadata:\n  name: c\nrules:\n- nonResourceURLs: ["/healthz"]\n  verbs: [get]\n---\n' +
      G +
      'kind: RoleBinding\nmetadata:\n  name: b\nroleRef: {apiGroup: "", kind: ClusterRole, name: c}\n' +
      'subjects:\n- {kind: User, name: u}\n- {kind: Group, name: g}\n- {kind: ServiceAccount, name: sa}\n';
    expect(await schemaErrors(yaml)).toEqual([]);
  });

  it('requires verbs, and apiGroups and resources for resource rules', async () => {
    const yaml =
      G +
      'kind: Role\nmetadata:\n  name: r\nrules:\n- apiGroups: [""]\n  resources: [pods]\n  verbs: []\n- verbs: [get]\n';
    expect(await schemaErrors(yaml)).toEqual([
      '8:3 rules[0].verbs: Required value',
      '9:3 rules[1].apiGroups: Required value: resource rules must supply at least one api group',
      '9:3 rules[1].resources: Required value: resource rules must supply at least one resource',
    ]);
  });

  it('refuses nonResourceURLs in a namespaced Role and mixed with resources', async () => {
    const yaml =
      G +
      'kind: Role\nmetadata:\n  name: r\nrules:\n- nonResourceURLs: ["/healthz"]\n  verbs: [get]\n---\n' +
      G +
      'kind: ClusterRole\nmetadata:\n  name: c\nrules:\n- nonResourceURLs: ["/healthz"]\n  resourceNames: [x]\n  verbs: [get]\n';
    expect(await schemaErrors(yaml)).toEqual([
      '6:3 rules[0].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
      '14:3 rules[0].nonResourceURLs: Invalid value: ["/healthz"]: rules cannot apply to both regular resources and non-resource URLs',
    ]);
  });

  it('requires a clusterRoleSelector in an aggregationRule', async () => {
    const yaml =
      G + 'kind: ClusterRole\nmetadata:\n  name: c\naggregationRule:\n  clusterRoleSelectors: []\n';
    expect(await schemaErrors(yaml)).toEqual([
      '6:3 aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
    ]);
  });

  it('checks roleRef apiGroup, kind and name (a path segment)', async () => {
    const yaml =
      G +
      'kind: RoleBinding\nmetadata:\n  name: b\nroleRef:\n  apiGroup: foo\n  kind: Secret\n  name: a/b\n---\n' +
      G +
      'kind: ClusterRoleBinding\nmetadata:\n  name: c\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: ".."\n';
    expect(await schemaErrors(yaml)).toEqual([
      '6:13 roleRef.apiGroup: Unsupported value: "foo": supported values: "rbac.authorization.k8s.io"',
      '7:9 roleRef.kind: Unsupported value: "Secret": supported values: "Role", "ClusterRole"',
      `8:9 roleRef.name: Invalid value: "a/b": may not contain '/'`,
      '16:9 roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      `17:9 roleRef.name: Invalid value: "..": may not be '..'`,
    ]);
  });

  it('checks subjects: names, apiGroup per kind, kind, namespace in a ClusterRoleBinding', async () => {
    const yaml =
      G +
      'kind: RoleBinding\nmetadata:\n  name: b\nroleRef: {kind: Role, name: r, apiGroup: rbac.authorization.k8s.io}\nsubjects:\n' +
      '- {kind: ServiceAccount, name: Bad_SA, apiGroup: rbac.authorization.k8s.io}\n' +
      '- {kind: User, name: u, apiGroup: foo}\n' +
      '- {kind: Group, name: ""}\n' +
      '- {kind: Robot, name: x}\n---\n' +
      G +
      'kind: ClusterRoleBinding\nmetadata:\n  name: c\nroleRef: {kind: ClusterRole, name: r, apiGroup: rbac.authorization.k8s.io}\n' +
      'subjects:\n- {kind: ServiceAccount, name: sa}\n';
    expect(await schemaErrors(yaml)).toEqual([
      `7:32 subjects[0].name: Invalid value: "Bad_SA": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      '7:50 subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""',
      '8:35 subjects[1].apiGroup: Unsupported value: "foo": supported values: "rbac.authorization.k8s.io"',
      '9:23 subjects[2].name: Required value',
      '10:10 subjects[3].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
      '18:3 subjects[0].namespace: Required value',
    ]);
  });
});
