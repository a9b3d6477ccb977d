/** no-unconfined-seccomp (PSS Baseline: Seccomp): seccompProfile.type must not be Unconfined, pod and containers. */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { eachSecurityContext } from '../_shared/pss.js';

export const noUnconfinedSeccomp = defineCheck('podSpec', (ctx) => {
  let out: CheckResult[] | undefined;
  eachSecurityContext(ctx.target, (sc, base, where) => {
    const profile = sc?.seccompProfile;
    if (!isObj(profile) || profile.type !== 'Unconfined') return;
    const path = `${base}/securityContext/seccompProfile/type`;
    (out ??= []).push({
      path,
      data: { where },
      fix: { safety: 'unsafe', patch: [{ op: 'replace', path, value: 'RuntimeDefault' }] },
    });
  });
  return out ?? NONE;
});
