/** The probe rules (require-{liveness,readiness,startup}-probe) and the probe fields others read. */
import { podSpecOf } from '../../engine/kinds.js';
import { defineCheck, NONE, type CheckContext, type DeclaredRuleFunction } from '../../engine/rule.js';

export type ProbeField = 'livenessProbe' | 'readinessProbe' | 'startupProbe';
export const PROBES: readonly ProbeField[] = ['livenessProbe', 'readinessProbe', 'startupProbe'];

/**
 * Whether the pod runs to completion (restartPolicy Never or OnFailure, as in Jobs): probes that
 * gate traffic or restart a hung process have no consumer there.
 */
function runsToCompletion(ctx: Pick<CheckContext, 'object' | 'pod' | 'env'>): boolean {
  const pod = ctx.pod ?? podSpecOf(ctx.object, ctx.env.kinds);
  if (pod?.runsToCompletion) return true;
  const policy = pod?.spec.restartPolicy;
  return policy === 'Never' || policy === 'OnFailure';
}

/**
 * Require a probe on each regular container of long-running pods. Init containers (including
 * restartable sidecars, where probes are optional) and ephemeral containers are skipped, and so
 * are run-to-completion pods (Jobs and CronJobs are excluded by the rules' `match` as well).
 */
export function requireProbe(field: ProbeField): DeclaredRuleFunction {
  return defineCheck('container', (ctx) => {
    if (ctx.container?.list !== 'containers') return NONE;
    const probe = ctx.target[field];
    if (probe !== undefined && probe !== null) return NONE;
    if (runsToCompletion(ctx)) return NONE;
    return [{ path: '' }];
  });
}
