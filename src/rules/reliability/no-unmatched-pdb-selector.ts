/** no-unmatched-pdb-selector: a PodDisruptionBudget selects no pod template of the set. */
import { isObj } from '../../engine/k8s/object.js';
import { describeSelector, isEmptySelector, labelSelector } from '../../engine/k8s/selectors.js';
import { defineCheck } from '../../engine/rule.js';
import { culprit, indexOf, namespaceOf, selectsAnyPod } from '../_shared/references.js';

export const noUnmatchedPdbSelector = defineCheck('resource', (ctx) => {
  const spec = ctx.object.spec;
  if (!isObj(spec)) return [];
  if (spec.selector === undefined || spec.selector === null) {
    // policy/v1: a null selector matches no pods (an empty one matches all of the namespace).
    return [
      {
        path: '/spec',
        target: 'key',
        data: { selector: '(none)', problem: 'it has no selector, and a missing selector selects no pods' },
      },
    ];
  }
  if (!isObj(spec.selector)) return [];
  const sel = labelSelector(spec.selector);
  if (isEmptySelector(sel)) return [];
  const index = indexOf(ctx);
  const ns = namespaceOf(ctx.object);
  if (selectsAnyPod(index, ns, sel)) return [];
  const label = culprit(index, ns, sel, '/spec/selector/matchLabels');
  const data = {
    selector: describeSelector(sel),
    problem: `no pod template among the linted files in namespace ${ns} matches ${describeSelector(sel)}`,
  };
  return [label ? { path: label, data } : { path: '/spec/selector', target: 'key', data }];
});
