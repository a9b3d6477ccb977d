/** no-pdb-blocking-eviction: maxUnavailable 0 / "0%", or minAvailable of 100% or more. */
import { objAt } from '../../engine/k8s/object.js';
import { defineCheck } from '../../engine/rule.js';
import { show } from '../_shared/format.js';
import { isZero, percent, setOp } from '../_shared/availability.js';

export const noPdbBlockingEviction = defineCheck('resource', (ctx) => {
  const spec = objAt(ctx.object, 'spec');
  if (!spec) return [];
  if (spec.maxUnavailable !== undefined && isZero(spec.maxUnavailable)) {
    return [
      {
        path: '/spec/maxUnavailable',
        data: { field: 'maxUnavailable', value: show(spec.maxUnavailable) },
        fix: {
          safety: 'unsafe',
          patch: [{ op: setOp(spec.maxUnavailable), path: '/spec/maxUnavailable', value: 1 }],
        },
      },
    ];
  }
  const p = percent(spec.minAvailable);
  if (p !== undefined && p >= 100) {
    return [
      {
        path: '/spec/minAvailable',
        data: { field: 'minAvailable', value: show(spec.minAvailable) },
        fix: {
          safety: 'unsafe',
          patch: [
            { op: 'remove', path: '/spec/minAvailable' },
            { op: 'add', path: '/spec/maxUnavailable', value: 1 },
          ],
        },
      },
    ];
  }
  return [];
});
