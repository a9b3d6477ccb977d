/**
 * require-dns-config-options: the pod's dnsConfig.options hold the required resolver options (with
 * the required value, when one is given) and none of the forbidden ones.
 */
import { asObj, listOf } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';

export interface RequireDnsConfigOptionsOptions {
  /** Options that must be set: a name, and the value it must have when `value` is given. */
  required: Array<{ name: string; value?: string }>;
  /** Option names that must not be set. */
  forbidden: string[];
}

type Required = { name: string; value?: string };

const requiredOf = (v: unknown): Required[] =>
  listOf(v).flatMap((r) => {
    const o = asObj(r);
    if (!o || typeof o.name !== 'string') return [];
    return [{ name: o.name, value: typeof o.value === 'string' ? o.value : undefined }];
  });

export const requireDnsConfigOptions = defineCheck<'podSpec', RequireDnsConfigOptionsOptions>(
  'podSpec',
  (ctx) => {
    const required = requiredOf(ctx.options.required);
    const forbidden = listOf(ctx.options.forbidden).filter((f): f is string => typeof f === 'string');
    if (required.length === 0 && forbidden.length === 0) return NONE;
    const dns = asObj(ctx.target.dnsConfig);
    const options = listOf(dns?.options);
    const where = dns === undefined ? '' : Array.isArray(dns.options) ? '/dnsConfig/options' : '/dnsConfig';
    let out: CheckResult[] | undefined;
    for (const r of required) {
      const i = options.findIndex((o) => asObj(o)?.name === r.name);
      const want = r.value === undefined ? '' : ` with value "${r.value}"`;
      if (i < 0) {
        (out ??= []).push({
          path: where,
          target: where === '' ? 'key' : 'value',
          data: { problem: `sets no dnsConfig option ${r.name}${want}` },
        });
        continue;
      }
      const value = asObj(options[i])?.value;
      if (r.value !== undefined && value !== r.value)
        (out ??= []).push({
          path: value === undefined ? `/dnsConfig/options/${i}` : `/dnsConfig/options/${i}/value`,
          data: {
            problem: `sets dnsConfig option ${r.name} to ${typeof value === 'string' ? `"${value}"` : 'no value'}, not "${r.value}"`,
          },
        });
    }
    options.forEach((o, i) => {
      const name = asObj(o)?.name;
      if (typeof name === 'string' && forbidden.includes(name))
        (out ??= []).push({
          path: `/dnsConfig/options/${i}`,
          data: { problem: `sets the forbidden dnsConfig option ${name}` },
        });
    });
    return out ?? NONE;
  },
);
