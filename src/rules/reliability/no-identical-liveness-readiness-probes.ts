/** no-identical-liveness-readiness-probes: liveness and readiness probes that are the same after defaulting. */
import { isObj, type Obj } from '../../engine/k8s/object.js';
import { defineCheck, NONE } from '../../engine/rule.js';
import { mayHaveResources } from '../_shared/resources.js';

const PROBE_DEFAULTS: Readonly<Record<string, number>> = {
  initialDelaySeconds: 0,
  timeoutSeconds: 1,
  periodSeconds: 10,
  successThreshold: 1,
  failureThreshold: 3,
};

/** JSON with sorted keys, for comparing normalised probes. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined && v[k] !== null)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * A probe with the API server's defaults filled in (timing, httpGet path `/` and scheme HTTP),
 * named ports resolved to numbers where the container declares them, and the liveness-only
 * `terminationGracePeriodSeconds` left out.
 */
function normalizeProbe(probe: Obj, ports: unknown): string {
  const out: Obj = { ...PROBE_DEFAULTS };
  for (const k of Object.keys(probe)) if (k !== 'terminationGracePeriodSeconds') out[k] = probe[k];
  for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
    const h = probe[handler];
    if (!isObj(h)) continue;
    const n: Obj = { ...h };
    if (typeof n.port === 'string' && Array.isArray(ports)) {
      const named = ports.find((p) => isObj(p) && p.name === n.port) as Obj | undefined;
      if (named && typeof named.containerPort === 'number') n.port = named.containerPort;
    }
    if (handler === 'httpGet') {
      if (n.path === undefined || n.path === null || n.path === '') n.path = '/';
      if (n.scheme === undefined || n.scheme === null || n.scheme === '') n.scheme = 'HTTP';
    }
    out[handler] = n;
  }
  return canonical(out);
}

export const noIdenticalLivenessReadinessProbes = defineCheck('container', (ctx) => {
  if (!mayHaveResources(ctx)) return NONE;
  const c = ctx.target;
  const liveness = c.livenessProbe;
  const readiness = c.readinessProbe;
  if (!isObj(liveness) || !isObj(readiness)) return NONE;
  // Cheap exit first: most probe pairs already differ in their timing.
  for (const k in PROBE_DEFAULTS) {
    const d = PROBE_DEFAULTS[k];
    if ((liveness[k] ?? d) !== (readiness[k] ?? d)) return NONE;
  }
  return normalizeProbe(liveness, c.ports) === normalizeProbe(readiness, c.ports)
    ? [{ path: '/readinessProbe' }]
    : NONE;
});
