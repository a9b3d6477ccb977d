/** require-pod-disruption-budget: multi-replica Deployment/StatefulSet whose pods no PDB selects. */
import { podLabelsOf } from '../../engine/kinds.js';
import { objAt } from '../../engine/k8s/object.js';
import { defineCheck } from '../../engine/rule.js';
import { describeRange, hasPdbFor, int, nsOf, numberOption, replicaRange } from '../_shared/availability.js';

export interface RequirePodDisruptionBudgetOptions {
  /** Objects with fewer replicas need no budget. */
  minReplicas: number;
}

export const requirePodDisruptionBudget = defineCheck<'resource', RequirePodDisruptionBudgetOptions>(
  'resource',
  (ctx) => {
    const min = numberOption(ctx, 'minReplicas', 2);
    const range = replicaRange(ctx, ctx.object);
    if (range.max < min) return [];
    if (hasPdbFor(ctx, nsOf(ctx.object), podLabelsOf(ctx.object, ctx.env.kinds))) return [];
    const hasReplicas = int(objAt(ctx.object, 'spec')?.replicas) !== undefined;
    return [
      { path: hasReplicas ? '/spec/replicas' : '/metadata/name', data: { replicas: describeRange(range) } },
    ];
  },
);
