/**
 * no-rbac-binding-pod-exec: a RoleBinding or ClusterRoleBinding whose role (of the run, aggregated
 * roles resolved) grants pods/exec or pods/attach; reported on the binding's roleRef, naming the
 * role and rule that carry the grant.
 */
import { nameOf } from '../../engine/k8s/object.js';
import { defineCheck } from '../../engine/rule.js';
import { boundRole, boundRules, carrierText, execGrant } from '../_shared/rbac.js';

export const noRbacBindingPodExec = defineCheck('resource', (ctx) => {
  const rules = boundRules(ctx.env, ctx.object);
  const via: string[] = [];
  let grant: string | undefined;
  const role = rules.length > 0 ? boundRole(ctx.env, ctx.object)! : undefined;
  for (const r of rules) {
    const g = execGrant(r.rule);
    if (!g) continue;
    grant ??= g;
    via.push(carrierText(role!, r));
  }
  if (!grant || !role) return [];
  return [
    {
      path: '/roleRef/name',
      data: {
        grant,
        via: via.length > 1 ? `${via[0]!} and ${via.length - 1} more` : via[0]!,
        role: `${String(role.kind)} ${nameOf(role) ?? ''}`,
      },
    },
  ];
});
