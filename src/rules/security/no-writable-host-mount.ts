/** no-writable-host-mount: a container mounts a hostPath volume without `readOnly: true`. */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { hostPathVolumes } from '../_shared/host-paths.js';

export const noWritableHostMount = defineCheck('container', (ctx) => {
  const mounts = ctx.target.volumeMounts;
  const spec = ctx.pod?.spec;
  if (!Array.isArray(mounts) || !spec) return NONE;
  const host = new Map(hostPathVolumes(spec).map((v) => [v.name, v.path]));
  if (host.size === 0) return NONE;
  let out: CheckResult[] | undefined;
  for (let i = 0; i < mounts.length; i++) {
    const m: unknown = mounts[i];
    if (!isObj(m) || typeof m.name !== 'string' || m.readOnly === true) continue;
    const path = host.get(m.name);
    if (path === undefined) continue;
    (out ??= []).push({
      path: `/volumeMounts/${i}`,
      target: 'key',
      data: { volume: m.name, hostPath: path },
    });
  }
  return out ?? NONE;
});
