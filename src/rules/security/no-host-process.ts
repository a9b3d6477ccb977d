/** no-host-process (PSS Baseline: HostProcess): windowsOptions.hostProcess must be unset or false, pod and containers. */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { eachSecurityContext } from '../_shared/pss.js';

export const noHostProcess = defineCheck('podSpec', (ctx) => {
  let out: CheckResult[] | undefined;
  eachSecurityContext(ctx.target, (sc, base, where) => {
    const wo = sc?.windowsOptions;
    if (isObj(wo) && wo.hostProcess === true)
      (out ??= []).push({ path: `${base}/securityContext/windowsOptions/hostProcess`, data: { where } });
  });
  return out ?? NONE;
});
