/** no-default-namespace: explicit `namespace: default`; optionally also no namespace at all. */
import { isClusterScoped } from '../../engine/kinds.js';
import { asObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE } from '../../engine/rule.js';

export interface NoDefaultNamespaceOptions {
  /** Also report namespaced objects that set no namespace. */
  requireNamespace: boolean;
  /** More kinds to treat as cluster-scoped (custom resources). */
  clusterScopedKinds: string[];
}

export const noDefaultNamespace = defineCheck<'metadata', NoDefaultNamespaceOptions>('metadata', (ctx) => {
  const kind = ctx.object.kind as string;
  if (isClusterScoped(kind)) return NONE;
  const extra = ctx.options.clusterScopedKinds;
  if (Array.isArray(extra) && extra.includes(kind)) return NONE;
  const ns = asObj(ctx.target)?.namespace;
  if (ns === 'default')
    return [{ path: '/namespace', data: { problem: 'is placed in the default namespace' } }];
  if ((ns === undefined || ns === null || ns === '') && ctx.options.requireNamespace === true)
    return [
      {
        path: '',
        target: 'key',
        data: {
          problem:
            'sets no namespace, so it lands in whatever namespace the deploying tool defaults to (often default)',
        },
      },
    ];
  return NONE;
});
