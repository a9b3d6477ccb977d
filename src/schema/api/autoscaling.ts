/**
 * The autoscaling group (pkg/apis/autoscaling/validation): HorizontalPodAutoscalers, v1 and v2.
 * Both versions are validated as the internal (v2-shaped) object: a v1 target CPU percentage is
 * reported where the API server reports it, at `spec.metrics[0].resource.target.averageUtilization`.
 */
import { compareMinor } from '../removed-apis.js';
import { Issues, arr, num, obj, str, type Obj, type Path, type ValidatorTable } from './issues.js';
import { addAt, dns1123LabelProblems, pathSegmentProblems } from './workload-shared.js';

const MAX_STABILIZATION_WINDOW = 3600;
const MAX_PERIOD_SECONDS = 1800;
const SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'] as const;
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'] as const;
const POLICY_TYPES = ['Percent', 'Pods'] as const;
const TARGET_TYPES = ['Utilization', 'Value', 'AverageValue'];

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)([eE][+-]?\d+|[a-zA-Z]*)$/;

/** The sign of a quantity (-1, 0, 1), or undefined when it does not parse (the OpenAPI walk reports that). */
function quantitySign(q: unknown): number | undefined {
  if (typeof q === 'number') return Math.sign(q);
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY.exec(q.trim());
  if (!m) return undefined;
  if (Number(m[2]) === 0) return 0;
  return m[1] === '-' ? -1 : 1;
}

/** A quantity as the API server prints it (plain decimals become milli-units, as Go canonicalises). */
function quantityShown(q: unknown): string {
  if (typeof q === 'number') return Number.isInteger(q) ? String(q) : `${Math.round(q * 1000)}m`;
  const s = String(q).trim();
  if (/^[+-]?\d*\.\d+$/.test(s)) {
    const milli = Math.round(Number(s) * 1000);
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  }
  return s.replace(/^\+/, '');
}

function crossVersionRef(ref: Obj, path: Path, v: Issues): void {
  for (const f of ['kind', 'name'] as const) {
    const s = str(ref[f]) ?? '';
    if (s === '') v.required([...path, f]);
    else for (const p of pathSegmentProblems(s)) v.invalid([...path, f], s, p);
  }
}

function scaleTargetRef(ref: Obj, path: Path, v: Issues): void {
  crossVersionRef(ref, path, v);
  const apiVersion = str(ref.apiVersion) ?? '';
  // An empty (or null) apiVersion is refused from 1.33; the 1.30–1.32 API servers accept it.
  if (apiVersion === '') {
    if (compareMinor(v.ctx.minor, '1.33') >= 0)
      v.invalid([...path, 'apiVersion'], apiVersion, 'apiVersion must specify API group');
  } else if (apiVersion.split('/').length > 2)
    v.invalid([...path, 'apiVersion'], apiVersion, `unexpected GroupVersion string: ${apiVersion}`);
}

function metricIdentifier(id: Obj, path: Path, v: Issues): void {
  const name = str(id.name) ?? '';
  if (name === '') v.required([...path, 'name'], 'must specify a metric name');
  else for (const p of pathSegmentProblems(name)) v.invalid([...path, 'name'], name, p);
  // The metric's selector is not checked by the API server.
}

function metricTarget(t: Obj, path: Path, v: Issues): void {
  const type = str(t.type) ?? '';
  if (type === '') v.required([...path, 'type'], 'must specify a metric target type');
  if (!TARGET_TYPES.includes(type))
    v.invalid([...path, 'type'], type, 'must be either Utilization, Value, or AverageValue');
  for (const f of ['value', 'averageValue'] as const) {
    const sign = t[f] == null ? undefined : quantitySign(t[f]);
    if (sign !== undefined && sign !== 1) v.invalid([...path, f], quantityShown(t[f]), 'must be positive');
  }
  const u = num(t.averageUtilization);
  if (u !== undefined && u < 1) v.invalid([...path, 'averageUtilization'], u, 'must be greater than 0');
}

const present = (x: unknown): boolean => x !== undefined && x !== null;

function metricSource(kind: string, src: Obj, path: Path, v: Issues): void {
  const target = obj(src.target) ?? {};
  const tPath = [...path, 'target'];
  switch (kind) {
    case 'object':
    case 'external':
    case 'pods': {
      if (kind === 'object') crossVersionRef(obj(src.describedObject) ?? {}, [...path, 'describedObject'], v);
      metricIdentifier(obj(src.metric) ?? {}, [...path, 'metric'], v);
      metricTarget(target, tPath, v);
      const value = present(target.value);
      const average = present(target.averageValue);
      if (kind === 'object' && !value && !average)
        v.required([...tPath, 'averageValue'], 'must set either a target value or averageValue');
      if (kind === 'external') {
        if (!value && !average)
          v.required(
            [...tPath, 'averageValue'],
            'must set either a target value for metric or a per-pod target',
          );
        if (value && average)
          v.forbidden([...tPath, 'value'], 'may not set both a target value for metric and a per-pod target');
      }
      if (kind === 'pods' && !average)
        v.required([...tPath, 'averageValue'], 'must specify a positive target averageValue');
      return;
    }
    default: {
      // resource, containerResource
      if ((str(src.name) ?? '') === '') v.required([...path, 'name'], 'must specify a resource name');
      if (kind === 'containerResource') {
        const c = str(src.container) ?? '';
        if (c === '') v.required([...path, 'container'], 'must specify a container');
        else for (const p of dns1123LabelProblems(c)) v.invalid([...path, 'container'], c, p);
      }
      metricTarget(target, tPath, v);
      const util = present(target.averageUtilization);
      const average = present(target.averageValue);
      if (!util && !average)
        v.required(
          [...tPath, 'averageUtilization'],
          'must set either a target raw value or a target utilization',
        );
      if (util && average)
        v.forbidden(
          [...tPath, 'averageValue'],
          'may not set both a target raw value and a target utilization',
        );
    }
  }
}

const SOURCE_FIELDS = ['object', 'external', 'pods', 'resource', 'containerResource'] as const;
const FIELD_OF: Readonly<Record<string, string>> = {
  Object: 'object',
  External: 'external',
  Pods: 'pods',
  Resource: 'resource',
  ContainerResource: 'containerResource',
};

function metricSpec(m: Obj, path: Path, v: Issues): void {
  const type = str(m.type) ?? '';
  if (type === '') v.required([...path, 'type'], 'must specify a metric source type');
  if (!SOURCE_TYPES.includes(type as 'Object')) v.notSupported([...path, 'type'], type, SOURCE_TYPES);
  const given = SOURCE_FIELDS.filter((f) => present(m[f]));
  // Only the first source given is validated, as the API server does.
  const first = given[0];
  if (first !== undefined) metricSource(first, obj(m[first]) ?? {}, [...path, first], v);
  const expected = FIELD_OF[type];
  if (expected !== undefined && !present(m[expected]))
    v.required([...path, expected], 'must populate information for the given metric source');
  if (given.length > 1)
    for (const f of given)
      if (f !== expected) v.forbidden([...path, f], 'must populate the given metric source only');
}

function scalingRules(rules: Obj, path: Path, v: Issues): void {
  const w = num(rules.stabilizationWindowSeconds);
  if (w !== undefined && w < 0)
    v.invalid([...path, 'stabilizationWindowSeconds'], w, 'must be greater than or equal to zero');
  if (w !== undefined && w > MAX_STABILIZATION_WINDOW)
    v.invalid(
      [...path, 'stabilizationWindowSeconds'],
      w,
      `must be less than or equal to ${MAX_STABILIZATION_WINDOW}`,
    );
  const sp = str(rules.selectPolicy);
  if (sp !== undefined && !SELECT_POLICIES.includes(sp as 'Max'))
    v.notSupported([...path, 'selectPolicy'], sp, SELECT_POLICIES);
  // Absent policies are defaulted; an empty list is not.
  if (Array.isArray(rules.policies) && rules.policies.length === 0)
    v.required([...path, 'policies'], 'must specify at least one Policy');
  arr(rules.policies).forEach((p, i) => {
    const policy = obj(p) ?? {};
    const at = [...path, 'policies', i];
    const type = str(policy.type) ?? '';
    if (!POLICY_TYPES.includes(type as 'Pods')) v.notSupported([...at, 'type'], type, POLICY_TYPES);
    const value = num(policy.value) ?? 0;
    if (value <= 0) v.invalid([...at, 'value'], value, 'must be greater than zero');
    const period = num(policy.periodSeconds) ?? 0;
    if (period <= 0) v.invalid([...at, 'periodSeconds'], period, 'must be greater than zero');
    if (period > MAX_PERIOD_SECONDS)
      v.invalid([...at, 'periodSeconds'], period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`);
  });
  if (rules.tolerance != null && quantitySign(rules.tolerance) === -1)
    v.invalid([...path, 'tolerance'], quantityShown(rules.tolerance), 'must be greater than or equal to 0');
}

function replicas(spec: Obj, v: Issues): number | undefined {
  const min = num(spec.minReplicas);
  if (min !== undefined && min < 0)
    v.invalid(['spec', 'minReplicas'], min, 'must be greater than or equal to 0');
  const max = num(spec.maxReplicas);
  if (spec.maxReplicas == null || max === 0) v.required(['spec', 'maxReplicas']);
  else if (max !== undefined && max < 1)
    v.invalid(['spec', 'maxReplicas'], max, 'must be greater than or equal to 1');
  if (min !== undefined && max !== undefined && max !== 0 && max < min)
    v.invalid(['spec', 'maxReplicas'], max, 'must be greater than or equal to `minReplicas`');
  return min;
}

const SCALE_TO_ZERO_MSG =
  'must specify at least one Object or External metric to support scaling to zero replicas';

function hpaV2(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  const min = replicas(spec, v);
  scaleTargetRef(obj(spec.scaleTargetRef) ?? {}, ['spec', 'scaleTargetRef'], v);
  const metrics = arr(spec.metrics);
  metrics.forEach((m, i) => metricSpec(obj(m) ?? {}, ['spec', 'metrics', i], v));
  // No metrics defaults to CPU utilization, which cannot scale to zero.
  if (min === 0 && !metrics.some((m) => obj(m)?.type === 'Object' || obj(m)?.type === 'External'))
    v.forbidden(['spec', 'metrics'], SCALE_TO_ZERO_MSG);
  const behavior = obj(spec.behavior);
  if (behavior !== undefined)
    for (const dir of ['scaleUp', 'scaleDown'] as const) {
      const rules = obj(behavior[dir]);
      if (rules !== undefined) scalingRules(rules, ['spec', 'behavior', dir], v);
    }
}

function hpaV1(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  const min = replicas(spec, v);
  scaleTargetRef(obj(spec.scaleTargetRef) ?? {}, ['spec', 'scaleTargetRef'], v);
  const cpu = num(spec.targetCPUUtilizationPercentage);
  if (cpu !== undefined && cpu < 1)
    addAt(
      v,
      ['spec', 'targetCPUUtilizationPercentage'],
      'spec.metrics[0].resource.target.averageUtilization',
      `Invalid value: ${v.show(cpu, ['spec', 'targetCPUUtilizationPercentage'])}: must be greater than 0`,
    );
  if (min === 0) v.forbidden(['spec', 'metrics'], SCALE_TO_ZERO_MSG);
}

function hpa(o: Obj, v: Issues): void {
  if (o.apiVersion === 'autoscaling/v1') hpaV1(o, v);
  else hpaV2(o, v);
}

export const AUTOSCALING_VALIDATORS: ValidatorTable = {
  'autoscaling/HorizontalPodAutoscaler': hpa,
};
