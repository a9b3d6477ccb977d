/**
 * no-cluster-admin-binding: roleRef to the cluster-admin ClusterRole (or the configured ones), or
 * to a role of the run that is equivalent: one of its rules — or, for an aggregated ClusterRole, a
 * rule of a ClusterRole it aggregates — allows every verb on every resource of every API group.
 * At admission only the names are known (the roles are not in view).
 */
import { nameOf, namespaceOf, objAt } from '../../engine/k8s/object.js';
import { defineCheck } from '../../engine/rule.js';
import { boundRole, boundRules, carrierText, grantsEverything } from '../_shared/rbac.js';

export interface NoClusterAdminBindingOptions {
  /** ClusterRoles that grant too much to bind. */
  roles: string[];
}

export const noClusterAdminBinding = defineCheck<'resource', NoClusterAdminBindingOptions>(
  'resource',
  (ctx) => {
    const ref = objAt(ctx.object, 'roleRef');
    const name = typeof ref?.name === 'string' ? ref.name : undefined;
    if (name === undefined) return [];
    const scope =
      ctx.object.kind === 'ClusterRoleBinding'
        ? 'in every namespace and on cluster-scoped resources'
        : `in namespace ${namespaceOf(ctx.object) || 'default'}`;
    const roles: readonly unknown[] = Array.isArray(ctx.options.roles)
      ? ctx.options.roles
      : ['cluster-admin'];
    if (ref?.kind === 'ClusterRole' && roles.includes(name))
      return [{ path: '/roleRef/name', data: { role: name, scope } }];
    const everything = boundRules(ctx.env, ctx.object).find((r) => grantsEverything(r.rule));
    if (!everything) return [];
    const role = boundRole(ctx.env, ctx.object)!;
    return [
      {
        path: '/roleRef/name',
        message: `${String(ctx.object.kind)} ${nameOf(ctx.object) || '(unnamed)'} grants ${String(role.kind)} ${name} ${scope}, which is equivalent to cluster-admin: ${carrierText(role, everything)} allows every verb on every resource of every API group.`,
      },
    ];
  },
);
