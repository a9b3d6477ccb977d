/** require-labels-match-name: the configured labels are set to the object's own metadata.name. */
import { asObj, nameOf } from '../../engine/k8s/object.js';
import { closestPointer, escapeSegment } from '../../engine/k8s/pointer.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { quote } from '../_shared/format.js';

export interface RequireLabelsMatchNameOptions {
  /** Label keys whose value must equal metadata.name. */
  labels: string[];
}

const DEFAULT_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance'];
const LABELS_SEGS = ['metadata', 'labels'];

export const requireLabelsMatchName = defineCheck<'resource', RequireLabelsMatchNameOptions>(
  'resource',
  (ctx) => {
    const name = nameOf(ctx.object);
    if (name === undefined || name === '') return NONE;
    const keys = Array.isArray(ctx.options.labels) ? ctx.options.labels : DEFAULT_LABELS;
    const labels = asObj(asObj(ctx.object.metadata)?.labels);
    let out: CheckResult[] | undefined;
    for (const key of keys) {
      if (typeof key !== 'string') continue;
      const v = labels?.[key];
      if (v === undefined || v === null)
        (out ??= []).push({
          path: labels ? '/metadata/labels' : closestPointer(ctx.object, LABELS_SEGS),
          target: 'key',
          data: { problem: `lacks the label ${quote(key)}, which should be its name ${quote(name)}` },
        });
      else if (v !== name)
        (out ??= []).push({
          path: `/metadata/labels/${escapeSegment(key)}`,
          data: { problem: `has the label ${quote(key)} set to another value than its name ${quote(name)}` },
        });
    }
    return out ?? NONE;
  },
);
