/**
 * no-default-namespace: explicit `namespace: default`; optionally also no namespace at all, either
 * everywhere or only in files that no kustomization of the run gives a namespace.
 */
import { posix } from 'node:path';
import { isClusterScoped } from '../../engine/kinds.js';
import { asObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckContext } from '../../engine/rule.js';
import type { Resource } from '../../engine/types.js';

export interface NoDefaultNamespaceOptions {
  /** Also report namespaced objects that set no namespace. */
  requireNamespace: boolean;
  /**
   * Also report namespaced objects that set no namespace when their file has no namespace context:
   * no Kustomization among the linted resources sets `namespace:` for it.
   */
  requireNamespaceWithoutContext: boolean;
  /** More kinds to treat as cluster-scoped (custom resources). */
  clusterScopedKinds: string[];
}

const CONTEXT_MEMO = 'no-default-namespace:kustomize-scopes';

const norm = (file: string): string => posix.normalize(file.replace(/\\/g, '/'));

/**
 * Where kustomizations with a `namespace:` apply: their own folder (and below), and each entry of
 * `resources:` / `bases:` / `components:`, a file or a folder, resolved against that folder.
 */
function namespacedScopes(resources: readonly Resource[]): string[] {
  const scopes: string[] = [];
  for (const r of resources) {
    const o = r.object;
    if (o.kind !== 'Kustomization' || !r.source || !isKustomizeFile(o)) continue;
    if (typeof o.namespace !== 'string' || o.namespace === '') continue;
    const dir = posix.dirname(norm(r.source.file));
    scopes.push(dir);
    for (const key of ['resources', 'bases', 'components'] as const) {
      const entries = o[key];
      if (!Array.isArray(entries)) continue;
      for (const e of entries)
        if (typeof e === 'string' && !e.includes('://')) scopes.push(posix.join(dir, e.replace(/\\/g, '/')));
    }
  }
  return scopes;
}

/** kustomization.yaml itself (Kustomization, Component) is build input, not an object of the cluster. */
const isKustomizeFile = (o: Record<string, unknown>): boolean =>
  typeof o.apiVersion === 'string' && o.apiVersion.startsWith('kustomize.config.k8s.io/');

const within = (file: string, scope: string): boolean =>
  scope === '.' ? !file.startsWith('../') : file === scope || file.startsWith(`${scope}/`);

/** Whether a kustomization of the run gives the resource's file a namespace. */
function hasNamespaceContext(ctx: Pick<CheckContext, 'env' | 'resource'>): boolean {
  const file = ctx.resource.source?.file;
  if (file === undefined) return false;
  let scopes = ctx.env.memo.get(CONTEXT_MEMO) as string[] | undefined;
  if (!scopes) {
    scopes = namespacedScopes(ctx.env.resources);
    ctx.env.memo.set(CONTEXT_MEMO, scopes);
  }
  const f = norm(file);
  return scopes.some((s) => within(f, s));
}

export const noDefaultNamespace = defineCheck<'metadata', NoDefaultNamespaceOptions>('metadata', (ctx) => {
  const kind = ctx.object.kind as string;
  if (isClusterScoped(kind)) return NONE;
  const extra = ctx.options.clusterScopedKinds;
  if (Array.isArray(extra) && extra.includes(kind)) return NONE;
  const ns = asObj(ctx.target)?.namespace;
  if (ns === 'default')
    return [{ path: '/namespace', data: { problem: 'is placed in the default namespace' } }];
  if (ns !== undefined && ns !== null && ns !== '') return NONE;
  if (ctx.options.requireNamespace === true)
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
  if (
    ctx.options.requireNamespaceWithoutContext === true &&
    !isKustomizeFile(ctx.object) &&
    !hasNamespaceContext(ctx)
  )
    return [
      {
        path: '',
        target: 'key',
        data: {
          problem:
            'sets no namespace, and no kustomization in the run gives its file one, so it lands in the namespace of the current kubectl context (often default)',
        },
      },
    ];
  return NONE;
});
