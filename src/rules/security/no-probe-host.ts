/** no-probe-host (PSS Baseline: Host Probes / Lifecycle Hooks, v1.34+): httpGet.host and tcpSocket.host must be unset or "". */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HOOKS = ['postStart', 'preStop'] as const;
const HANDLERS = ['httpGet', 'tcpSocket'] as const;

export const noProbeHost = defineCheck('container', (ctx) => {
  const c = ctx.target;
  let out: CheckResult[] | undefined;
  const check = (handler: unknown, base: string, field: string): void => {
    if (!isObj(handler)) return;
    for (const h of HANDLERS) {
      const action = handler[h];
      if (isObj(action) && typeof action.host === 'string' && action.host !== '') {
        (out ??= []).push({
          path: `${base}/${h}/host`,
          data: { field: `${field}.${h}.host`, host: action.host },
        });
      }
    }
  };
  for (const p of PROBES) check(c[p], `/${p}`, p);
  const lifecycle = c.lifecycle;
  if (isObj(lifecycle)) for (const h of HOOKS) check(lifecycle[h], `/lifecycle/${h}`, `lifecycle.${h}`);
  return out ?? NONE;
});
