/** no-undeclared-probe-port: a probe's port (a name, or a number when ports are declared) the container does not declare. */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { PROBES, type ProbeField } from '../_shared/probes.js';
import { mayHaveResources } from '../_shared/resources.js';

const PROBE_WORDS: Readonly<Record<ProbeField, string>> = {
  livenessProbe: 'liveness',
  readinessProbe: 'readiness',
  startupProbe: 'startup',
};

export const noUndeclaredProbePort = defineCheck('container', (ctx) => {
  if (!mayHaveResources(ctx)) return NONE;
  const c = ctx.target;
  let out: CheckResult[] | undefined;
  const ports = Array.isArray(c.ports) ? c.ports : undefined;
  for (const field of PROBES) {
    const probe = c[field];
    if (!isObj(probe)) continue;
    for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
      const h = probe[handler];
      if (!isObj(h)) continue;
      const port = h.port;
      let declared: boolean;
      if (typeof port === 'string') {
        // A named port resolves only through the container's own ports[].name.
        declared = ports?.some((p) => isObj(p) && p.name === port) ?? false;
      } else if (typeof port === 'number') {
        // Declaring ports is optional: numbers are checked only against a declared list.
        if (!ports || ports.length === 0) continue;
        declared = ports.some((p) => isObj(p) && p.containerPort === port);
      } else continue;
      if (declared) continue;
      (out ??= []).push({
        path: `/${field}/${handler}/port`,
        data: { probe: PROBE_WORDS[field], port: typeof port === 'string' ? `"${port}"` : port },
      });
    }
  }
  return out ?? NONE;
});
