/**
 * The core ("" group) API: Pods and pod templates, Services, ConfigMaps, Secrets, volumes claims, …
 * `validatePodSpec` and `validatePodTemplateSpec` are shared with the workload groups.
 */
import { Issues, arr, obj, type Obj, type Path, type ValidatorTable } from './issues.js';

export interface PodSpecOptions {
  /** restartPolicy values the owning kind allows (Deployments: Always only). */
  restartPolicies?: readonly string[];
}

/** A PodSpec at `path` (ValidatePodSpec). */
export function validatePodSpec(spec: unknown, path: Path, v: Issues, opts: PodSpecOptions = {}): void {
  const s = obj(spec);
  if (s === undefined) return;
  if (arr(s.containers).length === 0) v.required([...path, 'containers']);
  const rp = s.restartPolicy;
  if (opts.restartPolicies && typeof rp === 'string' && !opts.restartPolicies.includes(rp))
    v.notSupported([...path, 'restartPolicy'], rp, opts.restartPolicies);
}

/** A PodTemplateSpec at `path` (its metadata labels and its spec). */
export function validatePodTemplateSpec(
  template: unknown,
  path: Path,
  v: Issues,
  opts: PodSpecOptions = {},
): void {
  const t = obj(template);
  if (t === undefined) return;
  validatePodSpec(t.spec, [...path, 'spec'], v, opts);
}

export const CORE_VALIDATORS: ValidatorTable = {
  '/Pod': (o: Obj, v) => validatePodSpec(o.spec, ['spec'], v),
};
