/** no-rbac-broad-subject: bindings to anonymous, unauthenticated, all authenticated or all ServiceAccounts. */
import { isObj, listOf } from '../../engine/k8s/object.js';
import { defineCheck, type CheckResult } from '../../engine/rule.js';
import { roleRefText } from '../_shared/rbac.js';

const BROAD_SUBJECTS: Record<string, { kind: string; who: string }> = {
  'system:anonymous': { kind: 'User', who: 'anonymous requests' },
  'system:unauthenticated': { kind: 'Group', who: 'every unauthenticated request' },
  'system:authenticated': { kind: 'Group', who: 'every authenticated user and ServiceAccount' },
  'system:serviceaccounts': { kind: 'Group', who: 'every ServiceAccount of every namespace' },
};

export const noRbacBroadSubject = defineCheck('resource', (ctx) => {
  const subjects = listOf(ctx.object.subjects);
  const out: CheckResult[] = [];
  for (let j = 0; j < subjects.length; j++) {
    const s = subjects[j];
    if (!isObj(s)) continue;
    const name = typeof s.name === 'string' ? s.name : undefined;
    const broad =
      name !== undefined && Object.hasOwn(BROAD_SUBJECTS, name) ? BROAD_SUBJECTS[name] : undefined;
    if (!broad || s.kind !== broad.kind) continue;
    out.push({
      path: `/subjects/${j}/name`,
      data: { role: roleRefText(ctx.object), subject: name!, who: broad.who },
    });
  }
  return out;
});
