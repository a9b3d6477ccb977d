/**
 * no-default-service-account-binding: a subject that is a namespace's `default` ServiceAccount, or
 * the group of every ServiceAccount of one namespace (which includes `default`).
 */
import { isObj, listOf, namespaceOf } from '../../engine/k8s/object.js';
import { defineCheck, type CheckResult } from '../../engine/rule.js';
import { roleRefText } from '../_shared/rbac.js';

export const noDefaultServiceAccountBinding = defineCheck('resource', (ctx) => {
  const subjects = listOf(ctx.object.subjects);
  const out: CheckResult[] = [];
  const role = roleRefText(ctx.object);
  for (let j = 0; j < subjects.length; j++) {
    const s = subjects[j];
    if (!isObj(s)) continue;
    const name = typeof s.name === 'string' ? s.name : undefined;
    if (s.kind === 'ServiceAccount' && name === 'default') {
      const ns = (typeof s.namespace === 'string' && s.namespace) || namespaceOf(ctx.object) || 'default';
      out.push({
        path: `/subjects/${j}/name`,
        data: { role, subject: `the default ServiceAccount of namespace ${ns}` },
      });
    } else if (s.kind === 'Group' && name?.startsWith('system:serviceaccounts:')) {
      const ns = name.slice('system:serviceaccounts:'.length);
      out.push({
        path: `/subjects/${j}/name`,
        data: { role, subject: `every ServiceAccount of namespace ${ns}, default included` },
      });
    }
  }
  return out;
});
