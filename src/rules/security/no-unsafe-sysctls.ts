/** no-unsafe-sysctls (PSS Baseline: Sysctls): only the safe set (plus names the configuration allows). */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { show } from '../_shared/format.js';
import { secCtx } from '../_shared/pss.js';

export interface NoUnsafeSysctlsOptions {
  /** More sysctl names to accept. */
  allowedSysctls: string[];
}

/**
 * The sysctls the admission controller accepts (check_sysctls.go): namespaced and isolated from
 * other pods. Additions by policy version: 1.27 ip_local_reserved_ports; 1.29 tcp_keepalive_time,
 * tcp_fin_timeout, tcp_keepalive_intvl, tcp_keepalive_probes; 1.32 tcp_rmem, tcp_wmem;
 * 1.37 tcp_slow_start_after_idle, tcp_notsent_lowat.
 */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
]);

export const noUnsafeSysctls = defineCheck<'podSpec', NoUnsafeSysctlsOptions>('podSpec', (ctx) => {
  const sysctls = secCtx(ctx.target)?.sysctls;
  if (!Array.isArray(sysctls)) return NONE;
  const extra = ctx.options.allowedSysctls;
  let out: CheckResult[] | undefined;
  for (let i = 0; i < sysctls.length; i++) {
    const s: unknown = sysctls[i];
    if (!isObj(s)) continue;
    const name = s.name;
    if (
      typeof name === 'string' &&
      (SAFE_SYSCTLS.has(name) || (Array.isArray(extra) && extra.includes(name)))
    )
      continue;
    (out ??= []).push({ path: `/securityContext/sysctls/${i}/name`, data: { sysctl: show(name) } });
  }
  return out ?? NONE;
});
