/** no-rbac-wildcard: "*" in apiGroups, resources (also "*\/sub") or verbs, on the exact item. */
import { isObj, listOf } from '../../engine/k8s/object.js';
import { defineCheck, type CheckResult } from '../../engine/rule.js';
import { policyRules } from '../_shared/rbac.js';

const WILDCARD_FIELDS = ['apiGroups', 'resources', 'verbs'] as const;
type WildcardField = (typeof WILDCARD_FIELDS)[number];

export interface NoRbacWildcardOptions {
  /** The rule fields checked for wildcards. */
  fields: WildcardField[];
}

const WILDCARD_MEANING: Record<WildcardField, string> = {
  apiGroups: 'every API group, including ones added later by CRDs',
  resources: 'every resource of the listed groups, including secrets and subresources such as pods/exec',
  verbs: 'every verb, including escalate, bind and impersonate',
};

export const noRbacWildcard = defineCheck<'resource', NoRbacWildcardOptions>('resource', (ctx) => {
  const fields: readonly unknown[] = Array.isArray(ctx.options.fields) ? ctx.options.fields : WILDCARD_FIELDS;
  const rules = policyRules(ctx.object);
  const out: CheckResult[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!isObj(rule)) continue;
    for (const field of WILDCARD_FIELDS) {
      if (!fields.includes(field)) continue;
      const items = listOf(rule[field]);
      for (let j = 0; j < items.length; j++) {
        const item = items[j];
        if (typeof item !== 'string') continue;
        let meaning: string | undefined;
        if (item === '*') meaning = WILDCARD_MEANING[field];
        else if (field === 'resources' && item.startsWith('*/'))
          meaning = `the ${item.slice(2)} subresource of every resource of the listed groups`;
        if (meaning)
          out.push({ path: `/rules/${i}/${field}/${j}`, data: { rule: i, field, value: item, meaning } });
      }
    }
  }
  return out;
});
