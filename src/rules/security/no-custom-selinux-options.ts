/** no-custom-selinux-options (PSS Baseline: SELinux): type from the allowed set, user and role unset or empty. */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { eachSecurityContext } from '../_shared/pss.js';

/** SELinux types the baseline admits (container_engine_t from policy v1.31). */
const SELINUX_TYPES = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);

export const noCustomSelinuxOptions = defineCheck('podSpec', (ctx) => {
  let out: CheckResult[] | undefined;
  eachSecurityContext(ctx.target, (sc, base, where) => {
    const o = sc?.seLinuxOptions;
    if (!isObj(o)) return;
    const p = `${base}/securityContext/seLinuxOptions`;
    if (typeof o.type === 'string' && !SELINUX_TYPES.has(o.type))
      (out ??= []).push({ path: `${p}/type`, data: { where, setting: `type ${o.type}` } });
    for (const f of ['user', 'role'] as const) {
      const v = o[f];
      if (typeof v === 'string' && v !== '')
        (out ??= []).push({ path: `${p}/${f}`, data: { where, setting: `${f} ${v}` } });
    }
  });
  return out ?? NONE;
});
