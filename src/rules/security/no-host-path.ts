/** no-host-path (PSS Baseline: HostPath Volumes): no volume may have a hostPath source. */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';

export const noHostPath = defineCheck('podSpec', (ctx) => {
  const volumes = ctx.target.volumes;
  if (!Array.isArray(volumes)) return NONE;
  let out: CheckResult[] | undefined;
  for (let i = 0; i < volumes.length; i++) {
    const v: unknown = volumes[i];
    if (!isObj(v) || v.hostPath === undefined || v.hostPath === null) continue;
    const hostPath = isObj(v.hostPath) && typeof v.hostPath.path === 'string' ? v.hostPath.path : '(unknown)';
    (out ??= []).push({
      path: `/volumes/${i}/hostPath`,
      target: 'key',
      data: { volume: typeof v.name === 'string' ? v.name : `#${i}`, hostPath },
    });
  }
  return out ?? NONE;
});
