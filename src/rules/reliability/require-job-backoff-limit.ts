/** require-job-backoff-limit: a Job (or a CronJob's jobTemplate) without backoffLimit or backoffLimitPerIndex. */
import { workloadKindOf } from '../../engine/kinds.js';
import { asObj } from '../../engine/k8s/object.js';
import { getAt } from '../../engine/k8s/pointer.js';
import { defineCheck } from '../../engine/rule.js';

export const requireJobBackoffLimit = defineCheck('resource', (ctx) => {
  const pointer = workloadKindOf(ctx.object, ctx.env.kinds)?.jobSpec;
  if (pointer === undefined) return [];
  const spec = asObj(getAt(ctx.object, pointer));
  if (!spec) return [];
  if (spec.backoffLimit !== undefined || spec.backoffLimitPerIndex !== undefined) return [];
  return [{ path: pointer }];
});
