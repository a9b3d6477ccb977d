/**
 * no-rbac-escalation-verbs: escalate / bind on roles, impersonate on identities; the finding is on
 * the verb item ("*" included). `bind` narrowed by resourceNames only lets the subject bind those
 * named roles (the pattern the Kubernetes docs recommend), so it is not reported.
 */
import { isObj, listOf, type Obj } from '../../engine/k8s/object.js';
import { defineCheck, type CheckResult } from '../../engine/rule.js';
import {
  groupGranted,
  hasNames,
  policyRules,
  resourceItemCovers,
  type ApiResource,
} from '../_shared/rbac.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const ROLE_RESOURCES: readonly ApiResource[] = [
  { group: RBAC_GROUP, resource: 'roles' },
  { group: RBAC_GROUP, resource: 'clusterroles' },
];
const IMPERSONATE_RESOURCES: readonly ApiResource[] = [
  { group: '', resource: 'users' },
  { group: '', resource: 'groups' },
  { group: '', resource: 'serviceaccounts' },
  { group: 'authentication.k8s.io', resource: 'uids' },
  { group: 'authentication.k8s.io', resource: 'userextras' },
];
const ESCALATION: Record<string, { targets: readonly ApiResource[]; effect: string }> = {
  escalate: { targets: ROLE_RESOURCES, effect: 'its subjects can add permissions they do not hold to roles' },
  bind: {
    targets: ROLE_RESOURCES,
    effect: 'its subjects can bind roles holding permissions they do not have',
  },
  impersonate: {
    targets: IMPERSONATE_RESOURCES,
    effect: 'its subjects can act as other users, groups or ServiceAccounts',
  },
};

/** Does the rule cover one of the targets (userextras/<scope> counts for userextras)? */
function coversAny(rule: Obj, targets: readonly ApiResource[]): string[] {
  const hit: string[] = [];
  for (const t of targets) {
    if (!groupGranted(rule, t.group)) continue;
    for (const item of listOf(rule.resources)) {
      if (typeof item !== 'string') continue;
      if (
        resourceItemCovers(item, t.resource) ||
        (t.resource === 'userextras' && item.startsWith('userextras/'))
      ) {
        hit.push(t.resource);
        break;
      }
    }
  }
  return hit;
}

export const noRbacEscalationVerbs = defineCheck('resource', (ctx) => {
  const rules = policyRules(ctx.object);
  const out: CheckResult[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!isObj(rule)) continue;
    const verbs = listOf(rule.verbs);
    for (let j = 0; j < verbs.length; j++) {
      const verb = verbs[j];
      if (typeof verb !== 'string') continue;
      const names = verb === '*' ? Object.keys(ESCALATION) : Object.hasOwn(ESCALATION, verb) ? [verb] : [];
      const granted: string[] = [];
      const effects: string[] = [];
      for (const v of names) {
        if (v === 'bind' && hasNames(rule)) continue;
        const e = ESCALATION[v]!;
        const on = coversAny(rule, e.targets);
        if (on.length === 0) continue;
        granted.push(`${v} on ${on.join(', ')}`);
        effects.push(e.effect);
      }
      if (granted.length === 0) continue;
      const grants = verb === '*' ? `"*", which includes ${granted.join(' and ')}` : granted[0]!;
      out.push({
        path: `/rules/${i}/verbs/${j}`,
        data: { rule: i, verb, grants, effect: effects.join('; ') },
      });
    }
  }
  return out;
});
