/** no-excessive-hpa-max-replicas: an autoscaler's maxReplicas above the option (default 100). */
import { objAt } from '../../engine/k8s/object.js';
import { defineCheck, NONE } from '../../engine/rule.js';
import { int, numberOption } from '../_shared/availability.js';

export interface NoExcessiveHpaMaxReplicasOptions {
  /** The highest maxReplicas accepted. */
  maxReplicas: number;
}

export const noExcessiveHpaMaxReplicas = defineCheck<'resource', NoExcessiveHpaMaxReplicasOptions>(
  'resource',
  (ctx) => {
    const limit = numberOption(ctx, 'maxReplicas', 100);
    const max = int(objAt(ctx.object, 'spec')?.maxReplicas);
    if (max === undefined || max <= limit) return NONE;
    return [{ path: '/spec/maxReplicas', data: { current: max, limit } }];
  },
);
