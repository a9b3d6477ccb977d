/**
 * no-unconfined-apparmor (PSS Baseline: AppArmor): profile type RuntimeDefault/Localhost (fields)
 * or runtime/default, localhost/* (annotations).
 */
import { podSpecOf } from '../../engine/kinds.js';
import { asObj, isObj, type Obj } from '../../engine/k8s/object.js';
import { escapeSegment, getAt } from '../../engine/k8s/pointer.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { show } from '../_shared/format.js';
import { eachSecurityContext } from '../_shared/pss.js';

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

export const noUnconfinedApparmor = defineCheck('resource', (ctx) => {
  const pod = podSpecOf(ctx.object, ctx.env.kinds);
  if (!pod) return NONE;
  let out: CheckResult[] | undefined;
  eachSecurityContext(
    pod.spec,
    (sc, base, where) => {
      const profile = sc?.appArmorProfile;
      if (!isObj(profile)) return;
      const type = profile.type;
      if (type === 'RuntimeDefault' || type === 'Localhost') return;
      const hasType = type !== undefined && type !== null;
      (out ??= []).push({
        path: `${base}/securityContext/appArmorProfile${hasType ? '/type' : ''}`,
        data: { where, state: `sets appArmorProfile.type: ${hasType ? show(type) : '(empty)'}` },
      });
    },
    pod.pointer,
  );

  // The deprecated per-container annotations live in the pod (template) metadata next to the spec.
  const meta: Obj | undefined = asObj(getAt(ctx.object, pod.metadata));
  const annotations = meta?.annotations;
  if (isObj(annotations)) {
    for (const key of Object.keys(annotations)) {
      if (!key.startsWith(APPARMOR_ANNOTATION)) continue;
      const v = annotations[key];
      if (v === null || v === undefined || v === '' || v === 'runtime/default') continue;
      if (typeof v === 'string' && v.startsWith('localhost/')) continue;
      (out ??= []).push({
        path: `${pod.metadata}/annotations/${escapeSegment(key)}`,
        data: { where: `Annotation ${key}`, state: `requests the AppArmor profile ${show(v)}` },
      });
    }
  }
  return out ?? NONE;
});
