/** no-selector-mismatch: each requirement of a workload's selector must select its pod template's labels. */
import { podMetadataPointerOf, selectorPathsOf } from '../../engine/kinds.js';
import { asObj, isObj, type Obj } from '../../engine/k8s/object.js';
import { escapeSegment, getIn } from '../../engine/k8s/pointer.js';
import { labelText, parseRequirement, requirementMatches } from '../../engine/k8s/selectors.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { tokensOf } from '../_shared/metadata.js';

/** Kinds whose selector the API server requires to select the pod template's labels. */
const SELECTOR_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
]);
/** apps/v1 kinds reject an empty selector. */
const NON_EMPTY_SELECTOR_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/** Does the template carry label `k` with the selector's value `v`? */
const carries = (labels: Obj | undefined, k: string, v: unknown): boolean => {
  const have = labels?.[k];
  return have !== undefined && have !== null && labelText(have) === labelText(v);
};

export const noSelectorMismatch = defineCheck('resource', (ctx) => {
  const object = ctx.object;
  const kind = object.kind as string;
  const where = selectorPathsOf(kind)[0];
  const metadata = podMetadataPointerOf(object);
  if (!SELECTOR_KINDS.has(kind) || !where || metadata === undefined) return NONE;
  const selPtr = where.pointer;
  const sel = asObj(getIn(object, tokensOf(selPtr)));
  if (!sel) return NONE; // absent: required by the schema (apps/v1) or generated (Job, RC)
  const labelsPtr = `${metadata}/labels`;
  const labels = asObj(getIn(object, tokensOf(labelsPtr)));
  const out: CheckResult[] = [];

  const mismatch = (what: string): Record<string, string> => ({
    problem: `has selector ${what}, which the pod template's labels do not satisfy`,
  });
  const missing = (key: string, value: unknown, path: string, what: string): void => {
    const r: CheckResult = { path, data: mismatch(what) };
    // Adding the label to the template is the likely intent, but it also changes every pod.
    if (typeof value === 'string')
      r.fix = { safety: 'unsafe', patch: [{ op: 'add', path: `${labelsPtr}/${escapeSegment(key)}`, value }] };
    out.push(r);
  };

  if (where.form === 'map') {
    // A plain map (ReplicationController); when empty or absent it defaults to the template's labels.
    for (const k in sel) {
      if (carries(labels, k, sel[k])) continue;
      const what = `${k}=${String(sel[k])}`;
      if (labels && k in labels) out.push({ path: `${selPtr}/${escapeSegment(k)}`, data: mismatch(what) });
      else missing(k, sel[k], `${selPtr}/${escapeSegment(k)}`, what);
    }
    return out.length ? out : NONE;
  }

  const ml = asObj(sel.matchLabels);
  const me = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : undefined;
  let requirements = 0;
  if (ml) {
    for (const k in ml) {
      requirements++;
      if (carries(labels, k, ml[k])) continue;
      const path = `${selPtr}/matchLabels/${escapeSegment(k)}`;
      const what = `matchLabels ${k}=${String(ml[k])}`;
      if (labels && k in labels) out.push({ path, data: mismatch(what) });
      else missing(k, ml[k], path, what);
    }
  }
  if (me) {
    me.forEach((e, i) => {
      if (!isObj(e)) return;
      requirements++;
      const r = parseRequirement(e);
      if (r && requirementMatches(r, labels)) return;
      const values = Array.isArray(e.values) ? ` (${e.values.map(String).join(', ')})` : '';
      out.push({
        path: `${selPtr}/matchExpressions/${i}`,
        data: mismatch(`matchExpressions ${String(e.key)} ${String(e.operator)}${values}`),
      });
    });
  }
  if (requirements === 0 && NON_EMPTY_SELECTOR_KINDS.has(kind))
    out.push({
      path: selPtr,
      target: 'key',
      data: {
        problem:
          'has an empty selector, which would select every pod of the namespace and which the API server rejects',
      },
    });
  return out.length ? out : NONE;
});
