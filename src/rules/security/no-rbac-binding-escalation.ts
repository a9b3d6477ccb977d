/**
 * no-rbac-binding-escalation: a RoleBinding or ClusterRoleBinding whose role (of the run,
 * aggregated roles resolved) grants escalate, bind or impersonate; reported on the binding's
 * roleRef, naming the role and rule that carry the grant.
 */
import { defineCheck } from '../../engine/rule.js';
import { boundRole, boundRules, carrierText, escalationGrants } from '../_shared/rbac.js';

export const noRbacBindingEscalation = defineCheck('resource', (ctx) => {
  const rules = boundRules(ctx.env, ctx.object);
  if (rules.length === 0) return [];
  const role = boundRole(ctx.env, ctx.object)!;
  const via: string[] = [];
  let first: { grants: string; effect: string } | undefined;
  for (const r of rules) {
    const g = escalationGrants(r.rule)[0];
    if (!g) continue;
    first ??= g;
    via.push(carrierText(role, r));
  }
  if (!first) return [];
  return [
    {
      path: '/roleRef/name',
      data: {
        grants: first.grants,
        effect: first.effect,
        via: via.length > 1 ? `${via[0]!} and ${via.length - 1} more` : via[0]!,
      },
    },
  ];
});
