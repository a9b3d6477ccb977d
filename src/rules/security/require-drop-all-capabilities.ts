/** require-drop-all-capabilities (PSS Restricted: Capabilities): every container must drop ALL. */
import { isObj } from '../../engine/k8s/object.js';
import { closestPointer } from '../../engine/k8s/pointer.js';
import { defineCheck, NONE } from '../../engine/rule.js';
import type { JsonPatchOp } from '../../engine/types.js';
import { isWindowsPod, podSpecAround, secCtx } from '../_shared/pss.js';

export const requireDropAllCapabilities = defineCheck('container', (ctx) => {
  if (isWindowsPod(podSpecAround(ctx))) return NONE;
  const c = ctx.target;
  const sc = secCtx(c);
  const caps = sc?.capabilities;
  const drop = isObj(caps) ? caps.drop : undefined;
  if (Array.isArray(drop) && drop.includes('ALL')) return NONE;
  const patch: JsonPatchOp[] = Array.isArray(drop)
    ? [{ op: 'add', path: '/securityContext/capabilities/drop/-', value: 'ALL' }]
    : [{ op: 'add', path: '/securityContext/capabilities/drop', value: ['ALL'] }];
  return [
    {
      path: closestPointer(c, ['securityContext', 'capabilities', 'drop']),
      target: Array.isArray(drop) ? 'value' : 'key',
      fix: { safety: 'unsafe', patch },
    },
  ];
});
