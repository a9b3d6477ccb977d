/** no-host-port (PSS Baseline: Host Ports): hostPort must be unset or 0 (or on the configured known list). */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';

export interface NoHostPortOptions {
  /** Host ports that are allowed anyway. */
  allowedHostPorts: number[];
}

export const noHostPort = defineCheck<'container', NoHostPortOptions>('container', (ctx) => {
  const ports = ctx.target.ports;
  if (!Array.isArray(ports)) return NONE;
  const allowed = ctx.options.allowedHostPorts;
  let out: CheckResult[] | undefined;
  for (let i = 0; i < ports.length; i++) {
    const p: unknown = ports[i];
    if (!isObj(p) || typeof p.hostPort !== 'number' || p.hostPort === 0) continue;
    if (Array.isArray(allowed) && allowed.includes(p.hostPort)) continue;
    (out ??= []).push({ path: `/ports/${i}/hostPort`, data: { hostPort: p.hostPort } });
  }
  return out ?? NONE;
});
