/** no-dangling-role-ref: roleRef names a Role (same namespace) or ClusterRole that exists. */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck } from '../../engine/rule.js';
import { cachedMatcher, indexOf, lookup, nameOf, namespaceOf, str } from '../_shared/references.js';

export interface NoDanglingRoleRefOptions {
  /** ClusterRoles the cluster has besides the built-in ones: exact names or `*` globs. */
  knownClusterRoles: string[];
}

/**
 * ClusterRoles every cluster has: the user-facing roles and the `system:` ones.
 * https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings
 */
const BUILTIN_CLUSTER_ROLES = new Set(['cluster-admin', 'admin', 'edit', 'view']);

export const noDanglingRoleRef = defineCheck<'resource', NoDanglingRoleRefOptions>('resource', (ctx) => {
  const ref = ctx.object.roleRef;
  if (!isObj(ref)) return [];
  const kind = str(ref.kind);
  const name = str(ref.name);
  if (!kind || !name) return [];
  const binding = ctx.object.kind as string;
  if (binding === 'ClusterRoleBinding' && kind === 'Role') {
    return [
      {
        path: '/roleRef/kind',
        message: `ClusterRoleBinding ${nameOf(ctx.object) ?? '(unnamed)'} refers to Role ${name}, but a ClusterRoleBinding can only refer to a ClusterRole.`,
      },
    ];
  }
  if (kind === 'ClusterRole') {
    if (BUILTIN_CLUSTER_ROLES.has(name) || name.startsWith('system:')) return [];
    if (cachedMatcher(ctx, 'no-dangling-role-ref', ctx.options.knownClusterRoles)(name)) return [];
  } else if (kind !== 'Role') return [];
  if (lookup(indexOf(ctx), kind, namespaceOf(ctx.object), name)) return [];
  return [
    {
      path: '/roleRef/name',
      data: {
        ref: `${kind} ${name}`,
        problem:
          kind === 'Role'
            ? `which is not defined among the linted files in namespace ${namespaceOf(ctx.object)}`
            : 'which is neither a built-in ClusterRole nor defined among the linted files',
      },
    },
  ];
});
