/** no-run-as-root-user (PSS Restricted: Running as Non-root user): runAsUser must not be 0, pod or container. */
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { eachSecurityContext, usesUserNamespace } from '../_shared/pss.js';

export const noRunAsRootUser = defineCheck('podSpec', (ctx) => {
  if (usesUserNamespace(ctx.target)) return NONE;
  let out: CheckResult[] | undefined;
  eachSecurityContext(ctx.target, (sc, base, where) => {
    if (sc?.runAsUser === 0)
      (out ??= []).push({ path: `${base}/securityContext/runAsUser`, data: { where } });
  });
  return out ?? NONE;
});
