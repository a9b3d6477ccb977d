/** What the host mount rules share: each hostPath volume of a pod spec, its path normalized. */
import { isObj } from '../../engine/k8s/object.js';
import type { Obj } from '../../engine/k8s/object.js';

export interface HostPathVolume {
  index: number;
  name: string;
  /** The path as written. */
  path: string;
  /** Without trailing slashes and repeated slashes ("/" stays "/"). */
  normalized: string;
}

/** Collapse `//` and drop trailing `/`, so `/etc/` and `//etc` are `/etc`. */
export const normalizeHostPath = (p: string): string => p.replace(/\/{2,}/g, '/').replace(/(.)\/+$/, '$1');

/** The hostPath volumes of a pod spec that name a path. */
export function hostPathVolumes(spec: Obj): HostPathVolume[] {
  const volumes = spec.volumes;
  if (!Array.isArray(volumes)) return [];
  const out: HostPathVolume[] = [];
  for (let i = 0; i < volumes.length; i++) {
    const v: unknown = volumes[i];
    if (!isObj(v) || !isObj(v.hostPath) || typeof v.hostPath.path !== 'string') continue;
    out.push({
      index: i,
      name: typeof v.name === 'string' ? v.name : `#${i}`,
      path: v.hostPath.path,
      normalized: normalizeHostPath(v.hostPath.path),
    });
  }
  return out;
}
