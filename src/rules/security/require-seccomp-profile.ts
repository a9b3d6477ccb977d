/**
 * require-seccomp-profile (PSS Restricted: Seccomp): seccompProfile.type RuntimeDefault or
 * Localhost on the pod, or on every container that does not inherit it; an explicit other value
 * anywhere fails.
 */
import { forEachContainer } from '../../engine/kinds.js';
import { isObj, type Obj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { show } from '../_shared/format.js';
import { isWindowsPod, POD_LEVEL, secCtx } from '../_shared/pss.js';

const validRestrictedSeccomp = (type: unknown): boolean => type === 'RuntimeDefault' || type === 'Localhost';

export const requireSeccompProfile = defineCheck('podSpec', (ctx) => {
  const spec = ctx.target;
  if (isWindowsPod(spec)) return NONE;
  let out: CheckResult[] | undefined;
  // An explicit bad profile is replaced only by the (unsafe) per-result fix: someone chose it.
  const explicit = (profile: Obj, base: string, where: string): void => {
    const hasType = profile.type !== undefined && profile.type !== null;
    const at = `${base}/securityContext/seccompProfile`;
    (out ??= []).push({
      path: hasType ? `${at}/type` : at,
      data: { where, state: `sets seccompProfile.type to ${hasType ? show(profile.type) : '(empty)'}` },
      fix: { safety: 'unsafe', patch: [{ op: 'replace', path: at, value: { type: 'RuntimeDefault' } }] },
    });
  };
  const podProfile = secCtx(spec)?.seccompProfile;
  const podHasProfile = isObj(podProfile);
  const podOk = podHasProfile && validRestrictedSeccomp(podProfile.type);
  if (podHasProfile && !podOk) explicit(podProfile, '', POD_LEVEL);
  forEachContainer(spec, ({ container, pointer: p, name }) => {
    const sc = secCtx(container);
    const profile = sc?.seccompProfile;
    const where = `Container ${name}`;
    if (isObj(profile)) {
      if (!validRestrictedSeccomp(profile.type)) explicit(profile, p, where);
    } else if (!podOk) {
      (out ??= []).push({
        path: sc ? `${p}/securityContext` : p,
        target: 'key',
        data: { where, state: 'sets no seccompProfile, and the pod sets no allowed one' },
        // The pod-level profile is bad: its own finding carries the (unsafe) fix. Otherwise the
        // rule's safe fix adds a pod-level RuntimeDefault, which only containers without a
        // profile of their own inherit.
        fix: podHasProfile
          ? {
              safety: 'unsafe',
              patch: [
                { op: 'replace', path: '/securityContext/seccompProfile', value: { type: 'RuntimeDefault' } },
              ],
            }
          : undefined,
      });
    }
  });
  return out ?? NONE;
});
