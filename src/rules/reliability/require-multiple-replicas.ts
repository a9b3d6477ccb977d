/**
 * require-multiple-replicas: Deployments/StatefulSets below `minReplicas` (unset means 1). An
 * object scaled by an HPA of the run is left to require-hpa-min-replicas; replicas: 0 is a
 * deliberate scale-down and is not reported.
 */
import { objAt } from '../../engine/k8s/object.js';
import { defineCheck } from '../../engine/rule.js';
import type { JsonPatchOp } from '../../engine/types.js';
import { hpaFor, int, numberOption, setOp } from '../_shared/availability.js';

export interface RequireMultipleReplicasOptions {
  /** The fewest replicas accepted. */
  minReplicas: number;
}

export const requireMultipleReplicas = defineCheck<'resource', RequireMultipleReplicasOptions>(
  'resource',
  (ctx) => {
    const min = numberOption(ctx, 'minReplicas', 2);
    const spec = objAt(ctx.object, 'spec');
    if (!spec) return [];
    const replicas = spec.replicas;
    if (replicas === 0) return [];
    const r = int(replicas) ?? 1;
    if (r >= min || hpaFor(ctx, ctx.object)) return [];
    const fix: { safety: 'safe' | 'unsafe'; patch: JsonPatchOp[] } = {
      safety: 'unsafe',
      patch: [{ op: setOp(replicas), path: '/spec/replicas', value: min }],
    };
    return [
      {
        path: replicas === undefined ? '/spec' : '/spec/replicas',
        data: {
          replicas:
            replicas === undefined ? '1 replica (replicas is unset)' : `${r} replica${r === 1 ? '' : 's'}`,
          min,
        },
        fix,
      },
    ];
  },
);
