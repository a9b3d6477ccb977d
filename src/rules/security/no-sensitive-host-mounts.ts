/**
 * no-sensitive-host-mounts: hostPath volumes of the node's system directories (/, /boot, /dev,
 * /etc, /lib, /proc, /sys, /usr … or the configured list), or a directory inside them.
 */
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { hostPathVolumes, normalizeHostPath } from '../_shared/host-paths.js';

export interface NoSensitiveHostMountsOptions {
  /** Node directories that may not be mounted, nor anything below them. */
  paths: string[];
}

const DEFAULT_PATHS = [
  '/',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib64',
  '/proc',
  '/sys',
  '/usr',
  '/root',
  '/var/lib/kubelet',
];

/** Which sensitive directory does the path equal or lie under? `/` only matches itself. */
function sensitiveDir(path: string, dirs: readonly string[]): string | undefined {
  for (const d of dirs) {
    if (path === d) return d;
    if (d !== '/' && path.startsWith(`${d}/`)) return d;
  }
  return undefined;
}

export const noSensitiveHostMounts = defineCheck<'podSpec', NoSensitiveHostMountsOptions>(
  'podSpec',
  (ctx) => {
    const volumes = hostPathVolumes(ctx.target);
    if (volumes.length === 0) return NONE;
    const dirs = (Array.isArray(ctx.options.paths) ? ctx.options.paths : DEFAULT_PATHS)
      .filter((p): p is string => typeof p === 'string')
      .map(normalizeHostPath);
    let out: CheckResult[] | undefined;
    for (const v of volumes) {
      const dir = sensitiveDir(v.normalized, dirs);
      if (dir === undefined) continue;
      (out ??= []).push({
        path: `/volumes/${v.index}/hostPath/path`,
        data: {
          volume: v.name,
          hostPath: v.path,
          dir: dir === v.normalized ? dir : `${dir} (${v.path} is inside it)`,
        },
      });
    }
    return out ?? NONE;
  },
);
