/** no-non-default-capabilities (PSS Baseline: Capabilities): capabilities.add only from the baseline set (names compared exactly). */
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { show } from '../_shared/format.js';
import { addedCapabilities } from '../_shared/pss.js';

/** Baseline capabilities: the default set of container runtimes (PSS "Capabilities"). */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

export const noNonDefaultCapabilities = defineCheck('container', (ctx) => {
  const add = addedCapabilities(ctx.target);
  if (!add) return NONE;
  let out: CheckResult[] | undefined;
  for (let i = 0; i < add.length; i++) {
    const cap = add[i];
    if (typeof cap === 'string' && BASELINE_CAPABILITIES.has(cap)) continue;
    (out ??= []).push({ path: `/securityContext/capabilities/add/${i}`, data: { capability: show(cap) } });
  }
  return out ?? NONE;
});
