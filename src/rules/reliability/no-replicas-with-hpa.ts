/**
 * no-replicas-with-hpa: a workload that a HorizontalPodAutoscaler of the set scales also sets
 * `spec.replicas`, which every apply resets behind the autoscaler's back.
 */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE } from '../../engine/rule.js';
import { nameOf, namespaceOf, str } from '../_shared/references.js';

const KEY = 'no-replicas-with-hpa:targets';

/** `namespace\0Kind\0name` of every HPA's scale target → the HPA's name. */
function targets(env: {
  resources: readonly { object: Record<string, unknown> }[];
  memo: Map<string, unknown>;
}) {
  let index = env.memo.get(KEY) as Map<string, string> | undefined;
  if (index) return index;
  index = new Map();
  for (const { object } of env.resources) {
    if (
      object.kind !== 'HorizontalPodAutoscaler' ||
      !isObj(object.spec) ||
      !isObj(object.spec.scaleTargetRef)
    )
      continue;
    const ref = object.spec.scaleTargetRef;
    const kind = str(ref.kind);
    const name = str(ref.name);
    if (kind && name) index.set(`${namespaceOf(object)}\0${kind}\0${name}`, nameOf(object) ?? '(unnamed)');
  }
  env.memo.set(KEY, index);
  return index;
}

export const noReplicasWithHpa = defineCheck('resource', (ctx) => {
  const spec = ctx.object.spec;
  const name = nameOf(ctx.object);
  if (!isObj(spec) || spec.replicas === undefined || spec.replicas === null || !name) return NONE;
  const hpa = targets(ctx.env).get(`${namespaceOf(ctx.object)}\0${String(ctx.object.kind)}\0${name}`);
  return hpa === undefined ? NONE : [{ path: '/spec/replicas', data: { hpa } }];
});
