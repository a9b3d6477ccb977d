/**
 * apiregistration.k8s.io: APIServices (kube-aggregator's validation): the name is the version and
 * group it registers, its priorities are bounded, and a local one (no `service`) has no TLS settings.
 */
import { dns1035LabelProblems, dns1123SubdomainProblems } from './formats.js';
import { Issues, num, obj, str, type Obj, type ValidatorTable } from './issues.js';

/** How many bytes a base64 `caBundle` decodes to (0 when absent). */
function bundleBytes(b: unknown): number {
  if (typeof b !== 'string' || b === '') return 0;
  return Buffer.from(b, 'base64').length;
}

/** An integer field as Go decodes it: absent or null is 0. */
const int = (x: unknown): number => num(x) ?? 0;

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
  const group = str(spec.group) ?? '';
  const version = str(spec.version) ?? '';
  if (group === '' && version !== 'v1')
    v.required(['spec', 'group'], 'only v1 may have an empty group and it better be legacy kube');
  if (group !== '') for (const p of dns1123SubdomainProblems(group)) v.invalid(['spec', 'group'], group, p);
  for (const p of dns1035LabelProblems(version)) v.invalid(['spec', 'version'], version, p);
  const gpm = int(spec.groupPriorityMinimum);
  if (gpm <= 0 || gpm > 20000)
    v.invalid(['spec', 'groupPriorityMinimum'], gpm, 'must be positive and less than 20000');
  const vp = int(spec.versionPriority);
  if (vp <= 0 || vp > 1000) v.invalid(['spec', 'versionPriority'], vp, 'must be positive and less than 1000');
  const bytes = bundleBytes(spec.caBundle);
  const service = obj(spec.service);
  if (service === undefined) {
    // A local APIService (served by this API server itself).
    if (bytes !== 0)
      v.invalid(['spec', 'caBundle'], `${bytes} bytes`, 'local APIServices may not have a caBundle');
    if (spec.insecureSkipTLSVerify === true)
      v.invalid(
        ['spec', 'insecureSkipTLSVerify'],
        true,
        'local APIServices may not have insecureSkipTLSVerify',
      );
    return;
  }
  if ((str(service.namespace) ?? '') === '') v.required(['spec', 'service', 'namespace']);
  if ((str(service.name) ?? '') === '') v.required(['spec', 'service', 'name']);
  // The port defaults to 443.
  const port = service.port === undefined || service.port === null ? 443 : num(service.port);
  if (port !== undefined && (port < 1 || port > 65535))
    v.invalid(['spec', 'service', 'port'], port, 'port is not valid: must be between 1 and 65535, inclusive');
  if (spec.insecureSkipTLSVerify === true && bytes > 0)
    v.invalid(['spec', 'insecureSkipTLSVerify'], true, 'may not be true if caBundle is present');
}

export const APIREGISTRATION_VALIDATORS: ValidatorTable = {
  'apiregistration.k8s.io/APIService': validateApiService,
};
