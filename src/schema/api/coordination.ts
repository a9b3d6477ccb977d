/** coordination.k8s.io: Leases (pkg/apis/coordination/validation). */
import { Issues, num, obj, type Obj, type ValidatorTable } from './issues.js';

function validateLease(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  const duration = num(spec.leaseDurationSeconds);
  if (duration !== undefined && duration <= 0)
    v.invalid(['spec', 'leaseDurationSeconds'], duration, 'must be greater than 0');
  const transitions = num(spec.leaseTransitions);
  if (transitions !== undefined && transitions < 0)
    v.invalid(['spec', 'leaseTransitions'], transitions, 'must be greater than or equal to 0');
}

export const COORDINATION_VALIDATORS: ValidatorTable = {
  'coordination.k8s.io/Lease': validateLease,
};
