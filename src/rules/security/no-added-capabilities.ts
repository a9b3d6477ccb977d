/** no-added-capabilities (PSS Restricted: Capabilities): a container may add back only NET_BIND_SERVICE. */
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { show } from '../_shared/format.js';
import { addedCapabilities, isWindowsPod, podSpecAround } from '../_shared/pss.js';

export const noAddedCapabilities = defineCheck('container', (ctx) => {
  const add = addedCapabilities(ctx.target);
  if (!add || isWindowsPod(podSpecAround(ctx))) return NONE;
  let out: CheckResult[] | undefined;
  for (let i = 0; i < add.length; i++) {
    if (add[i] === 'NET_BIND_SERVICE') continue;
    (out ??= []).push({ path: `/securityContext/capabilities/add/${i}`, data: { capability: show(add[i]) } });
  }
  return out ?? NONE;
});
