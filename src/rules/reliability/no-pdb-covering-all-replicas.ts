/**
 * no-pdb-covering-all-replicas: a minAvailable (number or percentage, rounded up as the disruption
 * controller does) that is at least the replicas of every workload of the run the PDB selects.
 * Skipped when a selected workload's size is unknown (DaemonSet, Job, CronJob) and for
 * percentages of 100% or more (no-pdb-blocking-eviction reports those).
 */
import { objAt } from '../../engine/k8s/object.js';
import { defineCheck } from '../../engine/rule.js';
import { plural, show } from '../_shared/format.js';
import { int, nameOf, nsOf, percent, replicaRange, workloadsSelectedBy } from '../_shared/availability.js';

export const noPdbCoveringAllReplicas = defineCheck('resource', (ctx) => {
  const spec = objAt(ctx.object, 'spec');
  const minAvailable = spec?.minAvailable;
  if (!spec || minAvailable === undefined) return [];
  const pct = percent(minAvailable);
  const fixed = int(minAvailable);
  if (
    (pct === undefined && fixed === undefined) ||
    (pct !== undefined && pct >= 100) ||
    fixed === 0 ||
    pct === 0
  )
    return [];
  let total = 0;
  const names: string[] = [];
  for (const e of workloadsSelectedBy(ctx, nsOf(ctx.object), spec.selector)) {
    const o = e.object;
    switch (o.kind) {
      case 'Pod':
        total += 1;
        names.push(`Pod ${nameOf(o)}`);
        break;
      case 'Deployment':
      case 'StatefulSet':
      case 'ReplicaSet':
      case 'ReplicationController': {
        const r = replicaRange(ctx, o);
        total += r.min;
        const n = r.hpa
          ? `at least ${plural(r.min, 'replica')} (HorizontalPodAutoscaler ${nameOf(r.hpa)})`
          : plural(r.min, 'replica');
        names.push(`${String(o.kind)} ${nameOf(o)} with ${n}`);
        break;
      }
      default:
        return []; // DaemonSet, Job, CronJob: how many pods is not known from the manifest
    }
  }
  if (total === 0) return [];
  const required = fixed ?? Math.ceil((pct! * total) / 100);
  if (required < total) return [];
  return [
    {
      path: '/spec/minAvailable',
      data: { minAvailable: show(minAvailable), pods: plural(total, 'pod'), workloads: names.join(', ') },
    },
  ];
});
