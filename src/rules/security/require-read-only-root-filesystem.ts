/** require-read-only-root-filesystem: securityContext.readOnlyRootFilesystem: true (not settable on Windows pods, which are skipped). */
import { podSpecOf } from '../../engine/kinds.js';
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE } from '../../engine/rule.js';

export const requireReadOnlyRootFilesystem = defineCheck('container', (ctx) => {
  const sc = ctx.target.securityContext;
  if (isObj(sc) && sc.readOnlyRootFilesystem === true) return NONE;
  const os = (ctx.pod ?? podSpecOf(ctx.object, ctx.env.kinds))?.spec.os;
  if (isObj(os) && os.name === 'windows') return NONE;
  if (!isObj(sc)) return [{ path: '' }];
  return [
    {
      path:
        sc.readOnlyRootFilesystem === undefined || sc.readOnlyRootFilesystem === null
          ? '/securityContext'
          : '/securityContext/readOnlyRootFilesystem',
    },
  ];
});
