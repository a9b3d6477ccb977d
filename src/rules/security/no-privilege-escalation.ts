/**
 * no-privilege-escalation (PSS Restricted: Privilege Escalation): allowPrivilegeEscalation must be
 * false on every container. Unset gets the rule's safe fix; the API server rejects `false` beside
 * `privileged: true` or an added CAP_SYS_ADMIN, so there the (unsafe) fix also takes those away.
 */
import { defineCheck, NONE } from '../../engine/rule.js';
import type { JsonPatchOp } from '../../engine/types.js';
import { show } from '../_shared/format.js';
import { addedCapabilities, isWindowsPod, podSpecAround, secCtx } from '../_shared/pss.js';

export const noPrivilegeEscalation = defineCheck('container', (ctx) => {
  if (isWindowsPod(podSpecAround(ctx))) return NONE;
  const c = ctx.target;
  const sc = secCtx(c);
  const ape = sc?.allowPrivilegeEscalation;
  if (ape === false) return NONE;
  const path = '/securityContext/allowPrivilegeEscalation';
  const also: JsonPatchOp[] = [];
  if (sc?.privileged === true)
    also.push({ op: 'replace', path: '/securityContext/privileged', value: false });
  const add = addedCapabilities(c);
  if (add)
    for (let i = add.length - 1; i >= 0; i--)
      if (add[i] === 'CAP_SYS_ADMIN')
        also.push({ op: 'remove', path: `/securityContext/capabilities/add/${i}` });
  if (ape !== undefined && ape !== null)
    return [
      {
        path,
        data: { state: `sets allowPrivilegeEscalation: ${show(ape)}` },
        fix: { safety: 'unsafe', patch: [{ op: 'replace', path, value: false }, ...also] },
      },
    ];
  return [
    {
      path: sc ? '/securityContext' : '',
      target: 'key',
      data: { state: 'does not set allowPrivilegeEscalation: false' },
      // Without a per-result fix the rule's own (safe) fix applies.
      fix:
        also.length > 0
          ? { safety: 'unsafe', patch: [{ op: 'add', path, value: false }, ...also] }
          : undefined,
    },
  ];
});
