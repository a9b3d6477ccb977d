/**
 * rbac.authorization.k8s.io: Roles, ClusterRoles and their bindings (pkg/apis/rbac/validation).
 * The v1 defaults are applied first, as the API server does: an empty `roleRef.apiGroup` and an
 * empty User/Group subject `apiGroup` become rbac.authorization.k8s.io.
 */
import { Issues, arr, isObj, obj, str, type Obj, type Path, type ValidatorTable } from './issues.js';
import { DNS1123_SUBDOMAIN_MSG, isDns1123Subdomain, validateLabelSelector } from './formats.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * Problems of a name used as one URL path segment (apimachinery path.IsValidPathSegmentName), the
 * rule for RBAC object names and `roleRef.name`. Kept here: formats.ts has no path-segment helper.
 */
export function pathSegmentProblems(name: string): string[] {
  if (name === '.') return ["may not be '.'"];
  if (name === '..') return ["may not be '..'"];
  const out: string[] = [];
  if (name.includes('/')) out.push("may not contain '/'");
  if (name.includes('%')) out.push("may not contain '%'");
  return out;
}

const count = (v: unknown): number => arr(v).length;

/** One PolicyRule (ValidatePolicyRule). */
function validatePolicyRule(rule: unknown, namespaced: boolean, path: Path, v: Issues): void {
  const r = obj(rule);
  if (r === undefined) return;
  if (count(r.verbs) === 0) v.required([...path, 'verbs']);
  if (count(r.nonResourceURLs) > 0) {
    const at = [...path, 'nonResourceURLs'];
    if (namespaced) v.invalid(at, r.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs');
    if (count(r.apiGroups) > 0 || count(r.resources) > 0 || count(r.resourceNames) > 0)
      v.invalid(at, r.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs');
    return;
  }
  if (count(r.apiGroups) === 0)
    v.required([...path, 'apiGroups'], 'resource rules must supply at least one api group');
  if (count(r.resources) === 0)
    v.required([...path, 'resources'], 'resource rules must supply at least one resource');
}

function validateRules(o: Obj, namespaced: boolean, v: Issues): void {
  arr(o.rules).forEach((rule, i) => validatePolicyRule(rule, namespaced, ['rules', i], v));
}

function validateAggregationRule(o: Obj, v: Issues): void {
  const agg = obj(o.aggregationRule);
  if (agg === undefined) return;
  const selectors = arr(agg.clusterRoleSelectors);
  const at = ['aggregationRule', 'clusterRoleSelectors'];
  if (selectors.length === 0)
    v.required(at, 'at least one clusterRoleSelector required if aggregationRule is non-nil');
  selectors.forEach((s, i) => validateLabelSelector(s, [...at, i], v));
}

function validateRoleRef(o: Obj, kinds: readonly string[], v: Issues): void {
  const ref = obj(o.roleRef);
  if (ref === undefined) return;
  const group = str(ref.apiGroup) ?? '';
  if (group !== '' && group !== RBAC_GROUP) v.notSupported(['roleRef', 'apiGroup'], group, [RBAC_GROUP]);
  const kind = str(ref.kind) ?? '';
  if (!kinds.includes(kind)) v.notSupported(['roleRef', 'kind'], kind, kinds);
  const name = str(ref.name) ?? '';
  if (name === '') v.required(['roleRef', 'name']);
  else for (const p of pathSegmentProblems(name)) v.invalid(['roleRef', 'name'], name, p);
}

const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'] as const;

/** One Subject (ValidateRoleBindingSubject); a ClusterRoleBinding's ServiceAccounts need a namespace. */
function validateSubject(subject: unknown, namespaced: boolean, path: Path, v: Issues): void {
  const s = obj(subject);
  if (s === undefined) return;
  const name = str(s.name) ?? '';
  const group = str(s.apiGroup) ?? '';
  if (name === '') v.required([...path, 'name']);
  switch (s.kind) {
    case 'ServiceAccount':
      if (name !== '' && !isDns1123Subdomain(name)) v.invalid([...path, 'name'], name, DNS1123_SUBDOMAIN_MSG);
      if (group !== '') v.notSupported([...path, 'apiGroup'], group, ['']);
      if (!namespaced && (str(s.namespace) ?? '') === '') v.required([...path, 'namespace']);
      break;
    case 'User':
    case 'Group':
      if (group !== '' && group !== RBAC_GROUP) v.notSupported([...path, 'apiGroup'], group, [RBAC_GROUP]);
      break;
    default:
      v.notSupported([...path, 'kind'], str(s.kind) ?? '', SUBJECT_KINDS);
  }
}

function validateBinding(o: Obj, namespaced: boolean, v: Issues): void {
  validateRoleRef(o, namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'], v);
  arr(o.subjects).forEach((s, i) => {
    if (isObj(s)) validateSubject(s, namespaced, ['subjects', i], v);
  });
}

export const RBAC_VALIDATORS: ValidatorTable = {
  [`${RBAC_GROUP}/Role`]: (o, v) => validateRules(o, true, v),
  [`${RBAC_GROUP}/ClusterRole`]: (o, v) => {
    validateRules(o, false, v);
    validateAggregationRule(o, v);
  },
  [`${RBAC_GROUP}/RoleBinding`]: (o, v) => validateBinding(o, true, v),
  [`${RBAC_GROUP}/ClusterRoleBinding`]: (o, v) => validateBinding(o, false, v),
};
