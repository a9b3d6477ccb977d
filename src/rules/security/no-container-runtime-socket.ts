/**
 * no-container-runtime-socket: hostPath volumes of the container runtime's API socket (Docker,
 * containerd, CRI-O, cri-dockerd, Podman) or of the run directory that holds it.
 */
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { hostPathVolumes } from '../_shared/host-paths.js';

/** Socket file names of the runtimes (any directory). */
const SOCKETS = new Set(['docker.sock', 'containerd.sock', 'crio.sock', 'cri-dockerd.sock', 'podman.sock']);
/** Directories whose mount exposes a runtime socket inside them. */
const SOCKET_DIRS = new Set([
  '/var/run',
  '/run',
  '/var/run/docker',
  '/run/docker',
  '/var/run/containerd',
  '/run/containerd',
  '/var/run/crio',
  '/run/crio',
  '/run/podman',
  '/var/run/podman',
]);

export const noContainerRuntimeSocket = defineCheck('podSpec', (ctx) => {
  const volumes = hostPathVolumes(ctx.target);
  if (volumes.length === 0) return NONE;
  let out: CheckResult[] | undefined;
  for (const v of volumes) {
    const base = v.normalized.slice(v.normalized.lastIndexOf('/') + 1);
    let what: string | undefined;
    if (SOCKETS.has(base)) what = `the container runtime socket ${base}`;
    else if (SOCKET_DIRS.has(v.normalized))
      what = `${v.normalized}, the directory of the container runtime socket`;
    if (!what) continue;
    (out ??= []).push({
      path: `/volumes/${v.index}/hostPath/path`,
      data: { volume: v.name, hostPath: v.path, what },
    });
  }
  return out ?? NONE;
});
