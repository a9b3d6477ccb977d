/**
 * The apps group (pkg/apis/apps/validation): Deployments, ReplicaSets, StatefulSets, DaemonSets and
 * ControllerRevisions. Values the API server defaults before validating (strategy types, 25 %
 * surge, progressDeadlineSeconds 600, …) are taken as defaulted here.
 */
import { Issues, arr, isObj, num, obj, str, type Obj, type Path, type ValidatorTable } from './issues.js';
import { validatePodTemplateSpec } from './core.js';
import { displayPath } from '../validate.js';
import {
  forbidActiveDeadline,
  intOrPercentValue,
  intOrString,
  nonNegative,
  notMoreThan100Percent,
  positiveIntOrPercent,
  validateControllerSelector,
  type IntOrString,
  addAt,
  dns1123LabelProblems,
} from './workload-shared.js';

const ALWAYS = ['Always'] as const;

/** The pod template of a long-running controller: its checks plus restartPolicy Always. */
function controllerTemplate(spec: Obj, v: Issues, kind: string): void {
  const path: Path = ['spec', 'template'];
  // A StatefulSet's pods may mount its claim templates by name, without a volume entry.
  const claimVolumes =
    kind === 'StatefulSet'
      ? arr(spec.volumeClaimTemplates).flatMap((t) => {
          const name = isObj(t) ? str(obj(t.metadata)?.name) : undefined;
          return name ? [name] : [];
        })
      : [];
  validatePodTemplateSpec(spec.template, path, v, { restartPolicies: ALWAYS, claimVolumes });
  forbidActiveDeadline(spec.template, path, v, kind);
}

const UNSUPPORTED =
  (allowed: readonly string[]) =>
  (shown: string): string =>
    `Unsupported value: ${shown}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;

/**
 * A bad strategy `type`: the API server reports the whole strategy struct at `path`; the finding
 * sits on `type` so that the OpenAPI enum finding there (when the overlay has one) stands for both.
 */
function structError(v: Issues, path: Path, value: unknown, message: (shown: string) => string): void {
  addAt(v, [...path, 'type'], displayPath(path), message(v.show(value, [...path, 'type'])));
}

/** Go prints a strategy as its internal struct (field names capitalised). */
function rollingUpdateJson(ru: Obj | undefined): unknown {
  if (ru === undefined) return null;
  return { MaxUnavailable: ru.maxUnavailable ?? 0, MaxSurge: ru.maxSurge ?? 0 };
}

function validateDeploymentStrategy(spec: Obj, v: Issues): void {
  const strategy = obj(spec.strategy) ?? {};
  const path: Path = ['spec', 'strategy'];
  const type = str(strategy.type) || 'RollingUpdate';
  const ru = obj(strategy.rollingUpdate);
  if (type === 'Recreate') {
    if (strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null)
      v.forbidden([...path, 'rollingUpdate'], "may not be specified when strategy `type` is 'Recreate'");
  } else if (type === 'RollingUpdate') {
    const ruPath: Path = [...path, 'rollingUpdate'];
    const mu: IntOrString = intOrString(ru?.maxUnavailable) ?? '25%';
    const ms: IntOrString = intOrString(ru?.maxSurge) ?? '25%';
    positiveIntOrPercent(mu, [...ruPath, 'maxUnavailable'], v);
    positiveIntOrPercent(ms, [...ruPath, 'maxSurge'], v);
    if (intOrPercentValue(mu) === 0 && intOrPercentValue(ms) === 0)
      v.invalid([...ruPath, 'maxUnavailable'], mu, 'may not be 0 when `maxSurge` is 0');
    notMoreThan100Percent(mu, [...ruPath, 'maxUnavailable'], v);
  } else {
    structError(
      v,
      path,
      { Type: type, RollingUpdate: rollingUpdateJson(ru) },
      UNSUPPORTED(['Recreate', 'RollingUpdate']),
    );
  }
}

function deployment(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  nonNegative(spec.replicas, ['spec', 'replicas'], v);
  validateControllerSelector(spec, ['spec'], v, { kindWord: 'deployment', required: true });
  controllerTemplate(spec, v, 'ReplicaSet');
  validateDeploymentStrategy(spec, v);
  nonNegative(spec.minReadySeconds, ['spec', 'minReadySeconds'], v);
  nonNegative(spec.revisionHistoryLimit, ['spec', 'revisionHistoryLimit'], v);
  const pds = num(spec.progressDeadlineSeconds) ?? (spec.progressDeadlineSeconds == null ? 600 : undefined);
  if (pds !== undefined) {
    const path: Path = ['spec', 'progressDeadlineSeconds'];
    nonNegative(pds, path, v);
    if (pds <= (num(spec.minReadySeconds) ?? 0)) v.invalid(path, pds, 'must be greater than minReadySeconds');
  }
}

function replicaSet(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  nonNegative(spec.replicas, ['spec', 'replicas'], v);
  nonNegative(spec.minReadySeconds, ['spec', 'minReadySeconds'], v);
  // The API server's word for ReplicaSets is "deployment" too.
  validateControllerSelector(spec, ['spec'], v, { kindWord: 'deployment', required: true });
  controllerTemplate(spec, v, 'ReplicaSet');
}

const RETENTION = ['Retain', 'Delete'] as const;

function statefulSet(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  const pmp = str(spec.podManagementPolicy);
  if (pmp !== undefined && pmp !== '' && pmp !== 'OrderedReady' && pmp !== 'Parallel')
    v.invalid(['spec', 'podManagementPolicy'], pmp, "must be 'OrderedReady' or 'Parallel'");
  const us = obj(spec.updateStrategy) ?? {};
  const usType = str(us.type) || 'RollingUpdate';
  const ru = obj(us.rollingUpdate);
  const ruPath: Path = ['spec', 'updateStrategy', 'rollingUpdate'];
  if (usType === 'OnDelete') {
    if (ru !== undefined)
      v.invalid(
        ruPath,
        { Partition: ru.partition ?? 0, MaxUnavailable: ru.maxUnavailable ?? null },
        "only allowed for updateStrategy 'RollingUpdate'",
      );
  } else if (usType === 'RollingUpdate') {
    if (ru !== undefined) {
      nonNegative(ru.partition, [...ruPath, 'partition'], v);
      const mu = intOrString(ru.maxUnavailable);
      if (mu !== undefined) {
        const at = [...ruPath, 'maxUnavailable'];
        positiveIntOrPercent(mu, at, v);
        if (intOrPercentValue(mu) === 0) v.invalid(at, mu, 'cannot be 0');
        notMoreThan100Percent(mu, at, v);
      }
    }
  } else {
    structError(
      v,
      ['spec', 'updateStrategy'],
      {
        Type: usType,
        RollingUpdate: ru
          ? { Partition: ru.partition ?? 0, MaxUnavailable: ru.maxUnavailable ?? null }
          : null,
      },
      (shown) => `Invalid value: ${shown}: must be 'RollingUpdate' or 'OnDelete'`,
    );
  }
  const retention = obj(spec.persistentVolumeClaimRetentionPolicy);
  if (retention !== undefined)
    for (const f of ['whenDeleted', 'whenScaled'] as const) {
      const val = str(retention[f]);
      if (val !== undefined && val !== '' && !RETENTION.includes(val as 'Retain'))
        v.notSupported(['spec', 'persistentVolumeClaimRetentionPolicy', f], val, RETENTION);
    }
  nonNegative(spec.replicas, ['spec', 'replicas'], v);
  nonNegative(spec.minReadySeconds, ['spec', 'minReadySeconds'], v);
  nonNegative(obj(spec.ordinals)?.start, ['spec', 'ordinals', 'start'], v);
  const serviceName = str(spec.serviceName);
  if (serviceName !== undefined && serviceName !== '') {
    for (const p of dns1123LabelProblems(serviceName)) v.invalid(['spec', 'serviceName'], serviceName, p);
  }
  validateControllerSelector(spec, ['spec'], v, { kindWord: 'statefulset', required: true });
  controllerTemplate(spec, v, 'StatefulSet');
  arr(spec.volumeClaimTemplates).forEach((t, i) =>
    validateClaimTemplate(t, ['spec', 'volumeClaimTemplates', i], v),
  );
}

/** The parts of ValidatePersistentVolumeClaimSpec a claim template needs: access modes, storage. */
function validateClaimTemplate(template: unknown, path: Path, v: Issues): void {
  const spec = obj(obj(template)?.spec);
  if (spec === undefined) return;
  if (arr(spec.accessModes).length === 0)
    v.required([...path, 'spec', 'accessModes'], 'at least 1 access mode is required');
  const requests = obj(obj(spec.resources)?.requests);
  if (requests?.storage === undefined || requests.storage === null)
    addAt(
      v,
      [...path, 'spec', 'resources', 'requests'],
      `${displayPath([...path, 'spec', 'resources'])}[storage]`,
      'Required value',
    );
}

function daemonSetStrategy(spec: Obj, v: Issues): void {
  const us = obj(spec.updateStrategy) ?? {};
  const type = str(us.type) || 'RollingUpdate';
  const path: Path = ['spec', 'updateStrategy'];
  const ru = obj(us.rollingUpdate);
  if (type === 'OnDelete') return;
  if (type !== 'RollingUpdate') {
    structError(
      v,
      path,
      { Type: type, RollingUpdate: rollingUpdateJson(ru) },
      UNSUPPORTED(['RollingUpdate', 'OnDelete']),
    );
    return;
  }
  const ruPath: Path = [...path, 'rollingUpdate'];
  const mu: IntOrString = intOrString(ru?.maxUnavailable) ?? 1;
  const ms: IntOrString = intOrString(ru?.maxSurge) ?? 0;
  positiveIntOrPercent(mu, [...ruPath, 'maxUnavailable'], v);
  positiveIntOrPercent(ms, [...ruPath, 'maxSurge'], v);
  notMoreThan100Percent(mu, [...ruPath, 'maxUnavailable'], v);
  notMoreThan100Percent(ms, [...ruPath, 'maxSurge'], v);
  const hasUnavailable = intOrPercentValue(mu) !== 0;
  const hasSurge = intOrPercentValue(ms) !== 0;
  if (hasUnavailable && hasSurge)
    v.invalid([...ruPath, 'maxSurge'], ms, 'may not be set when maxUnavailable is non-zero');
  else if (!hasUnavailable && !hasSurge)
    v.required([...ruPath, 'maxUnavailable'], 'cannot be 0 when maxSurge is 0');
}

function daemonSet(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  validateControllerSelector(spec, ['spec'], v, { kindWord: 'daemonset', required: false });
  controllerTemplate(spec, v, 'DaemonSet');
  nonNegative(spec.minReadySeconds, ['spec', 'minReadySeconds'], v);
  daemonSetStrategy(spec, v);
  nonNegative(spec.revisionHistoryLimit, ['spec', 'revisionHistoryLimit'], v);
}

function controllerRevision(o: Obj, v: Issues): void {
  if (o.data === undefined || o.data === null) v.required(['data'], 'data is mandatory');
  nonNegative(o.revision, ['revision'], v);
}

export const APPS_VALIDATORS: ValidatorTable = {
  'apps/Deployment': deployment,
  'apps/ReplicaSet': replicaSet,
  'apps/StatefulSet': statefulSet,
  'apps/DaemonSet': daemonSet,
  'apps/ControllerRevision': controllerRevision,
};
