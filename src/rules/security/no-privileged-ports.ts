/** no-privileged-ports: a container port below 1024 (the ports only root may bind on a host). */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';

export const noPrivilegedPorts = defineCheck('container', (ctx) => {
  const ports = ctx.target.ports;
  if (!Array.isArray(ports)) return NONE;
  let out: CheckResult[] | undefined;
  for (let i = 0; i < ports.length; i++) {
    const p: unknown = ports[i];
    if (!isObj(p) || typeof p.containerPort !== 'number' || p.containerPort >= 1024 || p.containerPort < 1)
      continue;
    (out ??= []).push({ path: `/ports/${i}/containerPort`, data: { port: p.containerPort } });
  }
  return out ?? NONE;
});
