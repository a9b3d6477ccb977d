/** require-ingress-tls: TLS present and covering every rule host of an Ingress. */
import { asObj, isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { quote } from '../_shared/format.js';

/** Does TLS host `tls` cover rule host `host`? `*.example.com` covers exactly one extra label. */
function tlsCovers(tls: string, host: string): boolean {
  if (tls === host) return true;
  if (!tls.startsWith('*.')) return false;
  const suffix = tls.slice(1);
  if (!host.endsWith(suffix) || host.length <= suffix.length) return false;
  return !host.slice(0, host.length - suffix.length).includes('.');
}

export const requireIngressTls = defineCheck('resource', (ctx) => {
  const spec = asObj(ctx.object.spec);
  if (!spec) return [{ path: '', data: { problem: 'has no spec.tls, so it serves plain HTTP' } }];
  const tls = Array.isArray(spec.tls) ? spec.tls.filter(isObj) : [];
  if (tls.length === 0)
    return [{ path: '/spec', target: 'key', data: { problem: 'has no spec.tls, so it serves plain HTTP' } }];
  let catchAll = false;
  const hosts: string[] = [];
  for (const t of tls) {
    if (!Array.isArray(t.hosts) || t.hosts.length === 0) catchAll = true;
    else for (const h of t.hosts) if (typeof h === 'string') hosts.push(h.toLowerCase());
  }
  if (catchAll) return NONE; // a tls entry without hosts applies to every host the controller serves
  const rules = spec.rules;
  if (!Array.isArray(rules)) return NONE;
  let out: CheckResult[] | undefined;
  rules.forEach((r, i) => {
    const rule = asObj(r);
    if (!rule) return;
    const host = typeof rule.host === 'string' && rule.host !== '' ? rule.host.toLowerCase() : undefined;
    if (host === undefined) {
      (out ??= []).push({
        path: `/spec/rules/${i}`,
        data: { problem: `has a rule without host (rules[${i}]) that no tls entry covers` },
      });
    } else if (!hosts.some((t) => tlsCovers(t, host))) {
      (out ??= []).push({
        path: `/spec/rules/${i}/host`,
        data: { problem: `serves host ${quote(host)} without TLS: no spec.tls entry lists it` },
      });
    }
  });
  return out ?? NONE;
});
