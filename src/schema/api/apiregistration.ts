/**
 * apiregistration.k8s.io: APIServices (kube-aggregator's validation): the name is the version and
 * group it registers.
 */
import { Issues, obj, str, type Obj, type ValidatorTable } from './issues.js';

function validateApiService(o: Obj, v: Issues): void {
  const spec = obj(o.spec) ?? {};
  const name = str(obj(o.metadata)?.name);
  const required = `${str(spec.version) ?? ''}.${str(spec.group) ?? ''}`;
  if (name !== undefined && name !== '' && name !== required)
    v.invalid(
      ['metadata', 'name'],
      name,
      `must be \`spec.version+"."+spec.group\`: ${JSON.stringify(required)}`,
    );
}

export const APIREGISTRATION_VALIDATORS: ValidatorTable = {
  'apiregistration.k8s.io/APIService': validateApiService,
};
