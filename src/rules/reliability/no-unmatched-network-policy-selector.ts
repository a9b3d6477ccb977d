/** no-unmatched-network-policy-selector: spec.podSelector, or a same-namespace peer podSelector, matches nothing. */
import { isObj, listOf } from '../../engine/k8s/object.js';
import { describeSelector, isEmptySelector, labelSelector } from '../../engine/k8s/selectors.js';
import { defineCheck, type CheckResult } from '../../engine/rule.js';
import { culprit, indexOf, namespaceOf, selectsAnyPod, type SetIndex } from '../_shared/references.js';

export const noUnmatchedNetworkPolicySelector = defineCheck('resource', (ctx) => {
  const spec = ctx.object.spec;
  if (!isObj(spec)) return [];
  const ns = namespaceOf(ctx.object);
  const out: CheckResult[] = [];
  let index: SetIndex | undefined;
  const check = (raw: unknown, path: string, role: string): void => {
    if (!isObj(raw)) return;
    const sel = labelSelector(raw);
    if (isEmptySelector(sel)) return; // {} selects every pod of the namespace
    index ??= indexOf(ctx);
    if (selectsAnyPod(index, ns, sel)) return;
    const label = culprit(index, ns, sel, `${path}/matchLabels`);
    const data = { selector: describeSelector(sel), role };
    out.push(label ? { path: label, data } : { path, target: 'key', data });
  };
  check(spec.podSelector, '/spec/podSelector', 'pod selector');
  for (const [dir, peersKey] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    listOf(spec[dir]).forEach((rule, i) => {
      if (!isObj(rule)) return;
      listOf(rule[peersKey]).forEach((peer, j) => {
        // With a namespaceSelector the peer pods live in other namespaces: out of reach here.
        if (!isObj(peer) || peer.namespaceSelector !== undefined) return;
        check(peer.podSelector, `/spec/${dir}/${i}/${peersKey}/${j}/podSelector`, `${dir} peer selector`);
      });
    });
  }
  return out;
});
