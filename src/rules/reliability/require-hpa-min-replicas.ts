/** require-hpa-min-replicas: minReplicas below the option (unset means 1; 0 is deliberate scale-to-zero). */
import { objAt } from '../../engine/k8s/object.js';
import { defineCheck } from '../../engine/rule.js';
import type { JsonPatchOp } from '../../engine/types.js';
import { int, numberOption, setOp } from '../_shared/availability.js';

export interface RequireHpaMinReplicasOptions {
  /** The fewest minReplicas accepted. */
  minReplicas: number;
}

export const requireHpaMinReplicas = defineCheck<'resource', RequireHpaMinReplicasOptions>(
  'resource',
  (ctx) => {
    const min = numberOption(ctx, 'minReplicas', 2);
    const spec = objAt(ctx.object, 'spec');
    if (!spec) return [];
    const m = spec.minReplicas;
    if (m === 0) return [];
    const eff = int(m) ?? 1;
    if (eff >= min) return [];
    const patch: JsonPatchOp[] = [{ op: setOp(m), path: '/spec/minReplicas', value: min }];
    const max = int(spec.maxReplicas);
    if (max !== undefined && max < min)
      patch.push({ op: setOp(spec.maxReplicas), path: '/spec/maxReplicas', value: min });
    return [
      {
        path: m === undefined ? '/spec' : '/spec/minReplicas',
        data: { current: m === undefined ? 'unset (1)' : String(eff), min },
        fix: { safety: 'unsafe', patch },
      },
    ];
  },
);
