/** no-automount-service-account-token: the token is mounted only because nobody opted out (scope: set). */
import { nameOf } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckContext } from '../../engine/rule.js';
import { nsOf } from '../_shared/metadata.js';

/** `namespace/name` → the ServiceAccount's automountServiceAccountToken (undefined when unset). */
type SaIndex = Map<string, boolean | undefined>;

function serviceAccounts(ctx: Pick<CheckContext, 'env'>): SaIndex {
  const key = 'no-automount-service-account-token';
  let idx = ctx.env.memo.get(key) as SaIndex | undefined;
  if (idx) return idx;
  idx = new Map();
  for (const r of ctx.env.resources) {
    const o = r.object;
    if (o.kind !== 'ServiceAccount') continue;
    const name = nameOf(o);
    if (name === undefined) continue;
    const a = o.automountServiceAccountToken;
    idx.set(`${nsOf(o)}/${name}`, typeof a === 'boolean' ? a : undefined);
  }
  ctx.env.memo.set(key, idx);
  return idx;
}

export const noAutomountServiceAccountToken = defineCheck('podSpec', (ctx) => {
  const spec = ctx.target;
  if (typeof spec.automountServiceAccountToken === 'boolean') return NONE; // an explicit choice either way
  const sa =
    typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== ''
      ? spec.serviceAccountName
      : typeof spec.serviceAccount === 'string' && spec.serviceAccount !== ''
        ? spec.serviceAccount
        : 'default';
  const idx = serviceAccounts(ctx);
  const ns = nsOf(ctx.object);
  const k = `${ns}/${sa}`;
  if (idx.has(k) && typeof idx.get(k) === 'boolean') return NONE; // the ServiceAccount decides
  const reason = idx.has(k)
    ? 'neither the pod spec nor the ServiceAccount sets automountServiceAccountToken'
    : `the pod spec does not set automountServiceAccountToken and the ServiceAccount is not among the linted resources of namespace ${ns}`;
  return [{ path: '', target: 'key', data: { serviceAccount: sa, reason } }];
});
