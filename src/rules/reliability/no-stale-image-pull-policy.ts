/** no-stale-image-pull-policy: IfNotPresent/Never on a mutable image, or Never at all (unless allowed). */
import { isMutable } from '../../engine/k8s/images.js';
import { defineCheck, NONE } from '../../engine/rule.js';
import { imageOf } from '../_shared/images.js';

export interface NoStaleImagePullPolicyOptions {
  /** Accept `imagePullPolicy: Never` for images pinned by tag or digest. */
  allowNever: boolean;
}

export const noStaleImagePullPolicy = defineCheck<'container', NoStaleImagePullPolicyOptions>(
  'container',
  (ctx) => {
    const policy = ctx.target.imagePullPolicy;
    if (policy !== 'IfNotPresent' && policy !== 'Never') return NONE;
    const img = imageOf(ctx.target);
    if (!img) return NONE;
    if (isMutable(img.ref)) {
      return [
        {
          path: '/imagePullPolicy',
          data: {
            image: img.image,
            policy,
            reason:
              policy === 'Never'
                ? 'nodes run whatever copy of this mutable reference was loaded on them, and pods fail where there is none'
                : 'nodes keep running whatever image they pulled first under this mutable reference',
          },
        },
      ];
    }
    if (policy === 'Never' && ctx.options.allowNever !== true) {
      return [
        {
          path: '/imagePullPolicy',
          data: {
            image: img.image,
            policy,
            reason: 'the pod starts only on nodes where the image was loaded beforehand',
          },
          fix: {
            safety: 'unsafe',
            patch: [{ op: 'replace', path: '/imagePullPolicy', value: 'IfNotPresent' }],
          },
        },
      ];
    }
    return NONE;
  },
);
