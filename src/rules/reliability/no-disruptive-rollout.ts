/**
 * no-disruptive-rollout: a multi-replica Deployment that rolls out with the Recreate strategy, or
 * whose maxUnavailable (percentages round down, as the controller does) lets every replica go.
 */
import { objAt } from '../../engine/k8s/object.js';
import { defineCheck } from '../../engine/rule.js';
import { show } from '../_shared/format.js';
import { describeRange, int, percent, replicaRange } from '../_shared/availability.js';

export const noDisruptiveRollout = defineCheck('resource', (ctx) => {
  const spec = objAt(ctx.object, 'spec');
  if (!spec) return [];
  const range = replicaRange(ctx, ctx.object);
  if (range.max < 2) return [];
  const strategy = objAt(spec, 'strategy');
  if (strategy?.type === 'Recreate') {
    return [
      {
        path: '/spec/strategy/type',
        data: { replicas: describeRange(range), how: 'uses the Recreate strategy' },
      },
    ];
  }
  if (strategy?.type !== undefined && strategy.type !== 'RollingUpdate') return [];
  const mu = objAt(strategy, 'rollingUpdate')?.maxUnavailable;
  if (mu === undefined) return [];
  const pct = percent(mu);
  const fixedMu = int(mu);
  const all =
    (pct !== undefined && pct >= 100) ||
    (pct !== undefined && range.min >= 2 && Math.floor((pct * range.min) / 100) >= range.min) ||
    (fixedMu !== undefined && range.min >= 2 && fixedMu >= range.min);
  if (!all) return [];
  return [
    {
      path: '/spec/strategy/rollingUpdate/maxUnavailable',
      data: { replicas: describeRange(range), how: `allows maxUnavailable: ${show(mu)}` },
    },
  ];
});
