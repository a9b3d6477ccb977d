/**
 * What the API server adds to a stored object that a manifest author never wrote, removed before
 * an audit lints the object, so that a live object and the file it was applied from are judged
 * alike. Pure; the one list of such fields (docs/audit.md repeats it).
 */
import type { KubeObject } from '../engine/types.js';

/** metadata fields the server owns (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/). */
export const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

/**
 * Annotations written by clients and controllers rather than authors. last-applied-configuration
 * holds a whole earlier copy of the object (a Secret's data included): it is never linted or kept.
 */
export const SERVER_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
] as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy of a live object without status, the server-owned metadata fields and the client
 * annotations above; an annotations (or metadata) map left empty is dropped, as a manifest without
 * annotations has none. `apiVersion` and `kind` are set from the list the object came in when the
 * server left them out (list items carry no type of their own).
 */
export function cleanLiveObject(live: KubeObject, type?: { apiVersion: string; kind: string }): KubeObject {
  const out: KubeObject = {};
  if (type) {
    out.apiVersion =
      typeof live.apiVersion === 'string' && live.apiVersion !== '' ? live.apiVersion : type.apiVersion;
    out.kind = typeof live.kind === 'string' && live.kind !== '' ? live.kind : type.kind;
  }
  for (const [key, value] of Object.entries(live)) {
    if (key === 'status' || (type && (key === 'apiVersion' || key === 'kind'))) continue;
    if (key !== 'metadata' || !isRecord(value)) {
      out[key] = value;
      continue;
    }
    const meta: Record<string, unknown> = {};
    for (const [mk, mv] of Object.entries(value)) {
      if ((SERVER_METADATA as readonly string[]).includes(mk)) continue;
      if (mk === 'annotations' && isRecord(mv)) {
        const kept: Record<string, unknown> = {};
        for (const [ak, av] of Object.entries(mv))
          if (!(SERVER_ANNOTATIONS as readonly string[]).includes(ak)) kept[ak] = av;
        if (Object.keys(kept).length > 0) meta.annotations = kept;
        continue;
      }
      meta[mk] = mv;
    }
    if (Object.keys(meta).length > 0) out.metadata = meta;
  }
  return out;
}
