/** require-network-policy: some NetworkPolicy of the namespace must select the pods (scope: set). */
import { podMetadataPointerOf } from '../../engine/kinds.js';
import { asObj, type Obj } from '../../engine/k8s/object.js';
import { closestPointer, getIn, toPointer } from '../../engine/k8s/pointer.js';
import { labelSelector, matches, type Selector } from '../../engine/k8s/selectors.js';
import { defineCheck, NONE, type CheckContext } from '../../engine/rule.js';
import { nsOf, tokensOf } from '../_shared/metadata.js';

export interface RequireNetworkPolicyOptions {
  /** Report only pods of namespaces that have some NetworkPolicy among the linted files. */
  onlyNamespacesWithPolicies: boolean;
}

interface PolicyIndex {
  /** namespace → pod selectors of the NetworkPolicies there. */
  byNamespace: Map<string, Selector[]>;
  any: boolean;
}

function networkPolicies(ctx: Pick<CheckContext, 'env'>): PolicyIndex {
  const key = 'require-network-policy';
  let idx = ctx.env.memo.get(key) as PolicyIndex | undefined;
  if (idx) return idx;
  idx = { byNamespace: new Map(), any: false };
  for (const r of ctx.env.resources) {
    const o = r.object;
    if (o.kind !== 'NetworkPolicy') continue;
    idx.any = true;
    const ns = nsOf(o);
    // A missing podSelector is invalid, but {} (select all) is the closest reading.
    const sel: Obj = asObj(asObj(o.spec)?.podSelector) ?? {};
    const list = idx.byNamespace.get(ns);
    if (list) list.push(labelSelector(sel));
    else idx.byNamespace.set(ns, [labelSelector(sel)]);
  }
  ctx.env.memo.set(key, idx);
  return idx;
}

export const requireNetworkPolicy = defineCheck<'resource', RequireNetworkPolicyOptions>(
  'resource',
  (ctx) => {
    const idx = networkPolicies(ctx);
    if (!idx.any) return NONE;
    const selectors = idx.byNamespace.get(nsOf(ctx.object));
    if (!selectors && ctx.options.onlyNamespacesWithPolicies === true) return NONE;
    const meta = podMetadataPointerOf(ctx.object, ctx.env.kinds);
    if (meta === undefined) return NONE;
    const labelSegs = [...tokensOf(meta), 'labels'];
    const labels = asObj(getIn(ctx.object, labelSegs));
    if (selectors) for (const s of selectors) if (matches(s, labels)) return NONE;
    const what = ctx.object.kind === 'Pod' ? 'is a pod that' : 'runs pods that';
    return [
      {
        path: labels ? toPointer(labelSegs) : closestPointer(ctx.object, labelSegs),
        target: 'key',
        data: { what },
      },
    ];
  },
);
