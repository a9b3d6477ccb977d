/**
 * The policy group (pkg/apis/policy/validation): PodDisruptionBudgets. minAvailable and
 * maxUnavailable are int-or-percent and exclusive; the selector and the eviction policy are checked.
 */
import { Issues, obj, str, type Obj, type ValidatorTable } from './issues.js';
import { validateLabelSelector } from './formats.js';
import { intOrString, notMoreThan100Percent, positiveIntOrPercent, selectorJson } from './workload-shared.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'] as const;

function podDisruptionBudget(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  const minAvailable = intOrString(spec.minAvailable);
  const maxUnavailable = intOrString(spec.maxUnavailable);
  if (minAvailable !== undefined && maxUnavailable !== undefined)
    v.invalid(
      ['spec'],
      {
        MinAvailable: minAvailable,
        Selector: spec.selector == null ? null : selectorJson(spec.selector),
        MaxUnavailable: maxUnavailable,
        UnhealthyPodEvictionPolicy: spec.unhealthyPodEvictionPolicy ?? null,
      },
      'minAvailable and maxUnavailable cannot be both set',
    );
  for (const [field, value] of [
    ['minAvailable', minAvailable],
    ['maxUnavailable', maxUnavailable],
  ] as const) {
    positiveIntOrPercent(value, ['spec', field], v);
    notMoreThan100Percent(value, ['spec', field], v);
  }
  validateLabelSelector(spec.selector, ['spec', 'selector'], v);
  const policy = str(spec.unhealthyPodEvictionPolicy);
  if (policy !== undefined && !EVICTION_POLICIES.includes(policy as 'AlwaysAllow'))
    v.notSupported(['spec', 'unhealthyPodEvictionPolicy'], policy, EVICTION_POLICIES);
}

export const POLICY_VALIDATORS: ValidatorTable = {
  'policy/PodDisruptionBudget': podDisruptionBudget,
};
