/**
 * no-invalid-rolling-update: rolling-update values the API server rejects, after defaulting
 * (Deployment: 25% / 25%; DaemonSet: maxUnavailable 1, maxSurge 0): both zero, or, for a
 * DaemonSet, both non-zero (a DaemonSet surges or takes pods down, not both).
 */
import { objAt } from '../../engine/k8s/object.js';
import { defineCheck } from '../../engine/rule.js';
import { show } from '../_shared/format.js';
import { isZero, setOp } from '../_shared/availability.js';

export const noInvalidRollingUpdate = defineCheck('resource', (ctx) => {
  const spec = objAt(ctx.object, 'spec');
  if (!spec) return [];
  const isDeployment = ctx.object.kind === 'Deployment';
  const field = isDeployment ? 'strategy' : 'updateStrategy';
  const strategy = objAt(spec, field);
  const type = strategy?.type;
  if (type !== undefined && type !== 'RollingUpdate') return [];
  const ru = objAt(strategy, 'rollingUpdate');
  const mu = ru?.maxUnavailable ?? (isDeployment ? '25%' : 1);
  const ms = ru?.maxSurge ?? (isDeployment ? '25%' : 0);
  const base = `/spec/${field}/rollingUpdate`;
  const muText = ru?.maxUnavailable === undefined ? `${show(mu)} (the default)` : show(mu);
  const msText = ru?.maxSurge === undefined ? `${show(ms)} (the default)` : show(ms);
  if (isZero(mu) && isZero(ms)) {
    return [
      {
        path: `${base}/maxUnavailable`,
        data: {
          problem: `sets maxUnavailable: ${muText} and maxSurge: ${msText}, so a rollout could never replace a pod`,
        },
        fix: {
          safety: 'unsafe',
          patch: [
            isDeployment
              ? { op: setOp(ru?.maxSurge), path: `${base}/maxSurge`, value: 1 }
              : { op: setOp(ru?.maxUnavailable), path: `${base}/maxUnavailable`, value: 1 },
          ],
        },
      },
    ];
  }
  if (!isDeployment && !isZero(mu) && !isZero(ms)) {
    return [
      {
        path: `${base}/maxSurge`,
        data: {
          problem: `sets maxSurge: ${msText} while maxUnavailable is ${muText}, and a DaemonSet may use only one of them`,
        },
        fix: {
          safety: 'unsafe',
          patch: [
            {
              op: setOp(ru?.maxUnavailable),
              path: `${base}/maxUnavailable`,
              value: 0,
            },
          ],
        },
      },
    ];
  }
  return [];
});
