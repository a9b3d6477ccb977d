/**
 * no-rbac-escalation-verbs: escalate / bind on roles, impersonate on identities; the finding is on
 * the verb item ("*" included). `bind` narrowed by resourceNames only lets the subject bind those
 * named roles (the pattern the Kubernetes docs recommend), so it is not reported.
 */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, type CheckResult } from '../../engine/rule.js';
import { escalationGrants, policyRules } from '../_shared/rbac.js';

export const noRbacEscalationVerbs = defineCheck('resource', (ctx) => {
  const rules = policyRules(ctx.object);
  const out: CheckResult[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!isObj(rule)) continue;
    for (const g of escalationGrants(rule)) {
      out.push({
        path: `/rules/${i}/verbs/${g.verbIndex}`,
        data: { rule: i, verb: g.verb, grants: g.grants, effect: g.effect },
      });
    }
  }
  return out;
});
