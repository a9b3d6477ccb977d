/** no-unmatched-service-selector: a Service's selector matches no pod template of the set. */
import { isObj } from '../../engine/k8s/object.js';
import { describeSelector, isEmptySelector, mapSelector } from '../../engine/k8s/selectors.js';
import { defineCheck } from '../../engine/rule.js';
import { culprit, indexOf, namespaceOf, selectsAnyPod } from '../_shared/references.js';

export const noUnmatchedServiceSelector = defineCheck('resource', (ctx) => {
  const spec = ctx.object.spec;
  if (!isObj(spec) || spec.type === 'ExternalName' || !isObj(spec.selector)) return [];
  const sel = mapSelector(spec.selector);
  if (isEmptySelector(sel)) return [];
  const index = indexOf(ctx);
  const ns = namespaceOf(ctx.object);
  if (selectsAnyPod(index, ns, sel)) return [];
  const label = culprit(index, ns, sel, '/spec/selector');
  const data = { selector: describeSelector(sel) };
  return [label ? { path: label, data } : { path: '/spec/selector', target: 'key', data }];
});
