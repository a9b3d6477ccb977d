/**
 * no-rbac-pod-create: create (or the configured verbs) on pods or a workload resource. A rule with
 * resourceNames cannot grant create (the new object's name is not known at authorization time).
 */
import { defineCheck } from '../../engine/rule.js';
import { grantedVerbs, grantsOn, hasNames, type ApiResource } from '../_shared/rbac.js';

export interface NoRbacPodCreateOptions {
  /** The verbs reported on pods and workload resources. */
  verbs: string[];
}

const WORKLOADS: readonly ApiResource[] = [
  { group: '', resource: 'pods' },
  { group: '', resource: 'replicationcontrollers' },
  { group: 'apps', resource: 'deployments' },
  { group: 'apps', resource: 'statefulsets' },
  { group: 'apps', resource: 'daemonsets' },
  { group: 'apps', resource: 'replicasets' },
  { group: 'batch', resource: 'jobs' },
  { group: 'batch', resource: 'cronjobs' },
];

export const noRbacPodCreate = defineCheck<'resource', NoRbacPodCreateOptions>('resource', (ctx) => {
  const wanted = Array.isArray(ctx.options.verbs)
    ? (ctx.options.verbs as unknown[]).filter((v): v is string => typeof v === 'string')
    : ['create'];
  return grantsOn(ctx.object, WORKLOADS, (rule) => {
    const verbs = grantedVerbs(rule, wanted);
    return hasNames(rule) ? verbs.filter((v) => v !== 'create') : verbs;
  });
});
