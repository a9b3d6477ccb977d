/** no-ssh-port: a container port 22/TCP (or another configured SSH port). */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';

export interface NoSshPortOptions {
  /** TCP ports reported as SSH. */
  ports: number[];
}

export const noSshPort = defineCheck<'container', NoSshPortOptions>('container', (ctx) => {
  const ports = ctx.target.ports;
  if (!Array.isArray(ports)) return NONE;
  const ssh: readonly unknown[] = Array.isArray(ctx.options.ports) ? ctx.options.ports : [22];
  let out: CheckResult[] | undefined;
  for (let i = 0; i < ports.length; i++) {
    const p: unknown = ports[i];
    if (!isObj(p) || !ssh.includes(p.containerPort)) continue;
    if (p.protocol !== undefined && p.protocol !== 'TCP') continue;
    (out ??= []).push({ path: `/ports/${i}/containerPort`, data: { port: p.containerPort as number } });
  }
  return out ?? NONE;
});
