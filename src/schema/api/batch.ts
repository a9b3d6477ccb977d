/**
 * The batch group (pkg/apis/batch/validation): Jobs and CronJobs. Counts, completion modes and the
 * Indexed-job limits, pod failure and success policies, the generated selector, restartPolicy
 * OnFailure/Never, and CronJob schedules (robfig/cron syntax, see cron.ts) and time zones.
 */
import { Issues, arr, isObj, num, obj, str, type Obj, type Path, type ValidatorTable } from './issues.js';
import { validatePodTemplateSpec } from './core.js';
import { invalidIn, qualifiedNameProblems, selectorMatches, validateLabelSelector } from './formats.js';
import { cronError, timeZoneError } from './cron.js';
import { nonNegative, selectorConverts, selectorJson, withExamples } from './workload-shared.js';

const MAX_PARALLELISM_INDEXED = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const PARALLELISM_LIMIT_HIGH_COMPLETIONS = 10_000;
const MAX_FAILED_INDEXES_LIMIT = 100_000;
const MAX_PFP_RULES = 20;
const MAX_EXIT_CODE_VALUES = 255;
const MAX_POD_CONDITION_PATTERNS = 20;
const MAX_SUCCESS_RULES = 20;
const MAX_SUCCEEDED_INDEXES_LEN = 64 * 1024;

const PFP_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'] as const;
const EXIT_CODE_OPS = ['In', 'NotIn'] as const;
const CONDITION_STATUSES = ['False', 'True', 'Unknown'] as const;
const CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';

/** Job spec fields as the API server sees them after defaulting (completions/parallelism 1 when both unset). */
function defaulted(spec: Obj): { completions: number | undefined; parallelism: number | undefined } {
  const c = num(spec.completions);
  const p = num(spec.parallelism);
  if (spec.completions == null && spec.parallelism == null) return { completions: 1, parallelism: 1 };
  return { completions: c, parallelism: p };
}

/** Invalid without a value (Go's field.OmitValueType). */
const invalidNoValue = (v: Issues, path: Path, detail: string): void =>
  v.add(path, `Invalid value: ${detail}`);

function podFailurePolicy(spec: Obj, path: Path, v: Issues): void {
  const pfp = obj(spec.podFailurePolicy);
  if (pfp === undefined) return;
  const rules = arr(pfp.rules);
  const rulesPath = [...path, 'rules'];
  if (rules.length > MAX_PFP_RULES) v.tooMany(rulesPath, MAX_PFP_RULES);
  const podSpec = obj(obj(spec.template)?.spec) ?? {};
  const names = new Set<unknown>(
    [...arr(podSpec.containers), ...arr(podSpec.initContainers)].map((c) => obj(c)?.name),
  );
  rules.forEach((r, i) => {
    const rule = obj(r);
    if (rule === undefined) return;
    const at = [...rulesPath, i];
    const action = str(rule.action);
    if (action === 'FailIndex') {
      if (spec.backoffLimitPerIndex == null)
        v.invalid([...at, 'action'], action, 'requires the backoffLimitPerIndex to be set');
    } else if (action !== undefined && !PFP_ACTIONS.includes(action as 'Count'))
      v.notSupported([...at, 'action'], action, PFP_ACTIONS);
    const onExit = obj(rule.onExitCodes);
    if (onExit !== undefined) exitCodes(onExit, [...at, 'onExitCodes'], names, v);
    const conditions = arr(rule.onPodConditions);
    if (conditions.length > 0) {
      const cPath = [...at, 'onPodConditions'];
      if (conditions.length > MAX_POD_CONDITION_PATTERNS) v.tooMany(cPath, MAX_POD_CONDITION_PATTERNS);
      conditions.forEach((c, j) => {
        const pattern = obj(c) ?? {};
        const type = str(pattern.type) ?? '';
        for (const p of qualifiedNameProblems(type)) v.invalid([...cPath, j, 'type'], type, withExamples(p));
        const status = str(pattern.status) ?? 'True';
        if (!CONDITION_STATUSES.includes(status as 'True'))
          v.notSupported([...cPath, j, 'status'], status, CONDITION_STATUSES);
      });
    }
    if (onExit !== undefined && conditions.length > 0)
      invalidNoValue(v, at, 'specifying both OnExitCodes and OnPodConditions is not supported');
    if (onExit === undefined && conditions.length === 0)
      invalidNoValue(v, at, 'specifying one of OnExitCodes and OnPodConditions is required');
  });
}

function exitCodes(onExit: Obj, path: Path, containerNames: Set<unknown>, v: Issues): void {
  const op = str(onExit.operator);
  if (op !== undefined && !EXIT_CODE_OPS.includes(op as 'In'))
    v.notSupported([...path, 'operator'], op, EXIT_CODE_OPS);
  const cn = str(onExit.containerName);
  if (cn !== undefined && !containerNames.has(cn))
    v.invalid(
      [...path, 'containerName'],
      cn,
      'must be one of the container or initContainer names in the pod template',
    );
  const values = arr(onExit.values).filter((x): x is number => typeof x === 'number');
  const vPath = [...path, 'values'];
  if (values.length === 0) v.invalid(vPath, [], 'at least one value is required');
  else if (values.length > MAX_EXIT_CODE_VALUES) v.tooMany(vPath, MAX_EXIT_CODE_VALUES);
  const seen = new Set<number>();
  let ordered = true;
  values.forEach((x, j) => {
    if (op === 'In' && x === 0) v.invalid([...vPath, j], x, 'must not be 0 for the In operator');
    if (seen.has(x)) v.duplicate([...vPath, j], x);
    else seen.add(x);
    if (j > 0 && values[j - 1]! > x) ordered = false;
  });
  if (!ordered) v.invalid(vPath, values, 'must be ordered');
}

/** Go's validateIndexesFormat: the number of indexes, or the parse error. */
export function indexesFormat(indexes: string, completions: number): number | string {
  if (indexes.length === 0) return 0;
  let last: number | undefined;
  let total = 0;
  const atoi = (s: string): number | string =>
    /^[+-]?\d+$/.test(s) ? Number(s) : `cannot convert string to integer for index: ${JSON.stringify(s)}`;
  for (const interval of indexes.split(',')) {
    const limits = interval.split('-');
    if (limits.length > 2)
      return `the fragment ${JSON.stringify(interval)} violates the requirement that an index interval can have at most two parts separated by '-'`;
    const x = atoi(limits[0]!);
    if (typeof x === 'string') return x;
    if (x >= completions) return `too large index: ${JSON.stringify(limits[0])}`;
    if (last !== undefined && last >= x) return `non-increasing order, previous: ${last}, current: ${x}`;
    total++;
    last = x;
    if (limits.length > 1) {
      const y = atoi(limits[1]!);
      if (typeof y === 'string') return y;
      if (y >= completions) return `too large index: ${JSON.stringify(limits[1])}`;
      if (last >= y) return `non-increasing order, previous: ${last}, current: ${y}`;
      total += y - x;
      last = y;
    }
  }
  return total;
}

function successPolicy(
  spec: Obj,
  path: Path,
  indexed: boolean,
  completions: number | undefined,
  v: Issues,
): void {
  const sp = obj(spec.successPolicy);
  if (sp === undefined) return;
  const rules = arr(sp.rules);
  if (!indexed) {
    const goRules = rules.map((r) => ({
      SucceededIndexes: obj(r)?.succeededIndexes ?? null,
      SucceededCount: obj(r)?.succeededCount ?? null,
    }));
    v.invalid(path, { Rules: goRules.length > 0 ? goRules : null }, 'requires indexed completion mode');
  }
  const rulesPath = [...path, 'rules'];
  if (rules.length === 0)
    v.required(rulesPath, 'at least one rules must be specified when the successPolicy is specified');
  if (rules.length > MAX_SUCCESS_RULES) v.tooMany(rulesPath, MAX_SUCCESS_RULES);
  rules.forEach((r, i) => {
    const rule = obj(r) ?? {};
    const at = [...rulesPath, i];
    const indexes = str(rule.succeededIndexes);
    const count = num(rule.succeededCount);
    if (indexes === undefined && rule.succeededCount == null)
      v.required(at, 'at least one of succeededCount or succeededIndexes must be specified');
    let total = 0;
    const c = completions ?? 0;
    if (indexes !== undefined) {
      const iPath = [...at, 'succeededIndexes'];
      if (indexes.length > MAX_SUCCEEDED_INDEXES_LEN)
        v.add(iPath, `Too long: may not be more than ${MAX_SUCCEEDED_INDEXES_LEN} bytes`);
      const parsed = indexesFormat(indexes, c);
      if (typeof parsed === 'string') v.invalid(iPath, indexes, `error parsing succeededIndexes: ${parsed}`);
      else total = parsed;
    }
    if (count !== undefined) {
      const cPath = [...at, 'succeededCount'];
      nonNegative(count, cPath, v);
      if (count > c)
        v.invalid(cPath, count, `must be less than or equal to ${c} (the number of specified completions)`);
      if (indexes !== undefined && count > total)
        v.invalid(
          cPath,
          count,
          `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`,
        );
    }
  });
}

const RESTART_MSG = 'valid values: "OnFailure", "Never"';

/** validateJobSpec: everything but the selector (which Jobs and job templates treat differently). */
function jobSpec(spec: Obj, path: Path, v: Issues): void {
  const { completions, parallelism } = defaulted(spec);
  nonNegative(spec.parallelism, [...path, 'parallelism'], v);
  nonNegative(spec.completions, [...path, 'completions'], v);
  nonNegative(spec.activeDeadlineSeconds, [...path, 'activeDeadlineSeconds'], v);
  nonNegative(spec.backoffLimit, [...path, 'backoffLimit'], v);
  nonNegative(spec.ttlSecondsAfterFinished, [...path, 'ttlSecondsAfterFinished'], v);
  const mode = str(spec.completionMode) ?? 'NonIndexed';
  const indexed = mode === 'Indexed';
  const blpi = num(spec.backoffLimitPerIndex);
  if (blpi !== undefined) {
    nonNegative(blpi, [...path, 'backoffLimitPerIndex'], v);
    if (!indexed) v.invalid([...path, 'backoffLimitPerIndex'], blpi, 'requires indexed completion mode');
  }
  const mfi = num(spec.maxFailedIndexes);
  if (mfi !== undefined) {
    nonNegative(mfi, [...path, 'maxFailedIndexes'], v);
    if (spec.backoffLimitPerIndex == null)
      v.required([...path, 'backoffLimitPerIndex'], 'when maxFailedIndexes is specified');
    if (!indexed) v.invalid([...path, 'maxFailedIndexes'], mfi, 'requires indexed completion mode');
  }
  if (mode !== 'NonIndexed' && mode !== 'Indexed')
    v.notSupported([...path, 'completionMode'], mode, ['NonIndexed', 'Indexed']);
  if (indexed) {
    if (completions === undefined) v.required([...path, 'completions'], 'when completion mode is Indexed');
    if (parallelism !== undefined && parallelism > MAX_PARALLELISM_INDEXED)
      v.invalid(
        [...path, 'parallelism'],
        parallelism,
        `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`,
      );
    if (completions !== undefined && mfi !== undefined && mfi > completions)
      v.invalid([...path, 'maxFailedIndexes'], mfi, 'must be less than or equal to completions');
    if (mfi !== undefined && mfi > MAX_FAILED_INDEXES_LIMIT)
      v.invalid(
        [...path, 'maxFailedIndexes'],
        mfi,
        `must be less than or equal to ${MAX_FAILED_INDEXES_LIMIT}`,
      );
    if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && blpi !== undefined) {
      if (mfi === undefined)
        v.required(
          [...path, 'maxFailedIndexes'],
          `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`,
        );
      if (parallelism !== undefined && parallelism > PARALLELISM_LIMIT_HIGH_COMPLETIONS)
        v.invalid(
          [...path, 'parallelism'],
          parallelism,
          `must be less than or equal to ${PARALLELISM_LIMIT_HIGH_COMPLETIONS} when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`,
        );
    }
  }
  podFailurePolicy(spec, [...path, 'podFailurePolicy'], v);
  successPolicy(spec, [...path, 'successPolicy'], indexed, completions, v);
  const prp = str(spec.podReplacementPolicy);
  if (prp !== undefined) {
    const allowed = isObj(spec.podFailurePolicy) ? ['Failed'] : ['Failed', 'TerminatingOrFailed'];
    if (!allowed.includes(prp)) v.notSupported([...path, 'podReplacementPolicy'], prp, allowed);
  }
  const tPath = [...path, 'template'];
  validatePodTemplateSpec(spec.template, tPath, v);
  const podSpec = obj(obj(spec.template)?.spec);
  if (podSpec !== undefined) {
    const rp = podSpec.restartPolicy;
    if (rp !== 'OnFailure' && rp !== 'Never') v.required([...tPath, 'spec', 'restartPolicy'], RESTART_MSG);
    else if (rp === 'OnFailure' && isObj(spec.podFailurePolicy))
      v.invalid(
        [...tPath, 'spec', 'restartPolicy'],
        rp,
        'only "Never" is supported when podFailurePolicy is specified',
      );
  }
}

function job(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  const selPath: Path = ['spec', 'selector'];
  const sel = obj(spec.selector);
  if (spec.manualSelector === true) {
    if (spec.selector == null) v.required(selPath);
    else validateLabelSelector(spec.selector, selPath, v);
    if (selectorConverts(sel)) {
      const labels = obj(obj(obj(spec.template)?.metadata)?.labels);
      const empty = sel !== undefined && Object.keys(selectorJson(sel) as Obj).length === 0;
      if (!empty && (sel === undefined || !selectorMatches(sel, labels ?? {})))
        v.invalid(
          ['spec', 'template', 'metadata', 'labels'],
          labels ?? null,
          '`selector` does not match template `labels`',
        );
    }
  } else {
    // The API server labels the pod template with the Job's name (`job-name`,
    // `batch.kubernetes.io/job-name`): a name over 63 characters is not a label value.
    const name = str(obj(o.metadata)?.name);
    if (name !== undefined && name.length > 63)
      invalidIn(v, ['metadata', 'name'], 'spec.template.labels', name, 'must be no more than 63 bytes');
  }
  if (spec.manualSelector !== true && sel !== undefined) {
    // The API server generates the selector; one the user wrote is refused (its value shows a
    // generated uid, which is left out here).
    const extra = Object.keys(obj(sel.matchLabels) ?? {}).some((k) => k !== CONTROLLER_UID);
    if (extra || arr(sel.matchExpressions).length > 0)
      invalidNoValue(v, selPath, '`selector` not auto-generated');
  }
  jobSpec(spec, ['spec'], v);
}

const CONCURRENCY = ['Allow', 'Forbid', 'Replace'] as const;

function cronJob(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  const schedule = str(spec.schedule);
  const sPath: Path = ['spec', 'schedule'];
  if (schedule === '' || spec.schedule == null) v.required(sPath);
  else if (schedule !== undefined) {
    const err = cronError(schedule);
    if (err) v.invalid(sPath, schedule, err);
    if (schedule.includes('TZ'))
      v.invalid(sPath, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  }
  nonNegative(spec.startingDeadlineSeconds, ['spec', 'startingDeadlineSeconds'], v);
  const tz = str(spec.timeZone);
  if (tz !== undefined) {
    const tzPath: Path = ['spec', 'timeZone'];
    if (tz === '') v.invalid(tzPath, tz, 'timeZone must be nil or non-empty string');
    else {
      if (tz.toLowerCase() === 'local')
        v.invalid(
          tzPath,
          tz,
          'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
        );
      const err = timeZoneError(tz);
      if (err) v.invalid(tzPath, tz, err);
    }
  }
  const cp = str(spec.concurrencyPolicy);
  if (cp !== undefined && cp !== '' && !CONCURRENCY.includes(cp as 'Allow'))
    v.notSupported(['spec', 'concurrencyPolicy'], cp, CONCURRENCY);
  const jt = obj(obj(spec.jobTemplate)?.spec);
  if (jt !== undefined) {
    const jtPath: Path = ['spec', 'jobTemplate', 'spec'];
    jobSpec(jt, jtPath, v);
    if (jt.selector != null)
      v.invalid([...jtPath, 'selector'], selectorJson(jt.selector), '`selector` will be auto-generated');
    if (jt.manualSelector === true) v.notSupported([...jtPath, 'manualSelector'], true, ['nil', 'false']);
  }
  nonNegative(spec.successfulJobsHistoryLimit, ['spec', 'successfulJobsHistoryLimit'], v);
  nonNegative(spec.failedJobsHistoryLimit, ['spec', 'failedJobsHistoryLimit'], v);
}

export const BATCH_VALIDATORS: ValidatorTable = {
  'batch/Job': job,
  'batch/CronJob': cronJob,
};
