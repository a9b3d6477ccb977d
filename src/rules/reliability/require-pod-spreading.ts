/** require-pod-spreading: multi-replica Deployment/StatefulSet with neither pod anti-affinity nor topology spread. */
import { podSpecOf } from '../../engine/kinds.js';
import { isObj, listOf, objAt, type Obj } from '../../engine/k8s/object.js';
import { defineCheck } from '../../engine/rule.js';
import { describeRange, numberOption, replicaRange } from '../_shared/availability.js';

export interface RequirePodSpreadingOptions {
  /** Objects with fewer replicas need no spreading. */
  minReplicas: number;
}

function hasPodAntiAffinity(pod: Obj): boolean {
  const anti = objAt(objAt(pod, 'affinity'), 'podAntiAffinity');
  return (
    listOf(anti?.requiredDuringSchedulingIgnoredDuringExecution).length > 0 ||
    listOf(anti?.preferredDuringSchedulingIgnoredDuringExecution).length > 0
  );
}

export const requirePodSpreading = defineCheck<'resource', RequirePodSpreadingOptions>('resource', (ctx) => {
  const min = numberOption(ctx, 'minReplicas', 2);
  const found = podSpecOf(ctx.object, ctx.env.kinds);
  if (!found) return [];
  const pod = found.spec;
  if (hasPodAntiAffinity(pod) || listOf(pod.topologySpreadConstraints).length > 0) return [];
  const range = replicaRange(ctx, ctx.object);
  if (range.max < min) return [];
  return [
    {
      path: isObj(pod.affinity) ? `${found.pointer}/affinity` : found.pointer,
      data: { replicas: describeRange(range) },
    },
  ];
});
