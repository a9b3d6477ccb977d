/** scheduling.k8s.io: PriorityClasses (pkg/apis/scheduling/validation). */
import { Issues, num, obj, str, type Obj, type ValidatorTable } from './issues.js';

/** The largest value a user-defined PriorityClass may have (HighestUserDefinablePriority). */
const HIGHEST_USER_PRIORITY = 1_000_000_000;
const PREEMPTION = ['PreemptLowerPriority', 'Never'] as const;
/** The system classes the API server creates itself; other `system-` names are reserved. */
const SYSTEM_CLASSES = new Map([
  ['system-node-critical', 2_000_001_000],
  ['system-cluster-critical', 2_000_000_000],
]);

function validatePriorityClass(o: Obj, v: Issues): void {
  const name = str(obj(o.metadata)?.name) ?? '';
  const system = SYSTEM_CLASSES.get(name);
  // A system class (as `kubectl get -o yaml` shows it) has its own value, above the user range.
  if (system !== undefined && o.value === system) return;
  if (name.startsWith('system-'))
    v.forbidden(
      ['metadata', 'name'],
      `priority class names with 'system-' prefix are reserved for system use only. error: ${system !== undefined ? `value of ${name} PriorityClass must be ${system}` : `${name} is not a known system priority class`}`,
    );
  else {
    const value = num(o.value);
    if (value !== undefined && value > HIGHEST_USER_PRIORITY)
      v.forbidden(['value'], `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`);
  }
  const policy = str(o.preemptionPolicy);
  if (policy !== undefined && !(PREEMPTION as readonly string[]).includes(policy))
    v.notSupported(['preemptionPolicy'], policy, PREEMPTION);
}

export const SCHEDULING_VALIDATORS: ValidatorTable = {
  'scheduling.k8s.io/PriorityClass': validatePriorityClass,
};
