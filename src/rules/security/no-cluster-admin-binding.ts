/** no-cluster-admin-binding: roleRef to the cluster-admin ClusterRole (or the configured ones). */
import { namespaceOf, objAt } from '../../engine/k8s/object.js';
import { defineCheck } from '../../engine/rule.js';

export interface NoClusterAdminBindingOptions {
  /** ClusterRoles that grant too much to bind. */
  roles: string[];
}

export const noClusterAdminBinding = defineCheck<'resource', NoClusterAdminBindingOptions>(
  'resource',
  (ctx) => {
    const ref = objAt(ctx.object, 'roleRef');
    const name = typeof ref?.name === 'string' ? ref.name : undefined;
    if (ref?.kind !== 'ClusterRole' || name === undefined) return [];
    const roles: readonly unknown[] = Array.isArray(ctx.options.roles)
      ? ctx.options.roles
      : ['cluster-admin'];
    if (!roles.includes(name)) return [];
    const scope =
      ctx.object.kind === 'ClusterRoleBinding'
        ? 'in every namespace and on cluster-scoped resources'
        : `in namespace ${namespaceOf(ctx.object) || 'default'}`;
    return [{ path: '/roleRef/name', data: { role: name, scope } }];
  },
);
