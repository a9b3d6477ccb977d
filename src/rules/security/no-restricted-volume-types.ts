/** no-restricted-volume-types (PSS Restricted: Volume Types): every volume must use one of the core sources. */
import { isObj } from '../../engine/k8s/object.js';
import { escapeSegment } from '../../engine/k8s/pointer.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';

export interface NoRestrictedVolumeTypesOptions {
  /** Accept `image` volumes (allowed by the Restricted level from policy v1.33). */
  allowImageVolumes: boolean;
}

/** Volume sources the Restricted level admits (check_restrictedVolumes.go); `image` from v1.33. */
const CORE_VOLUME_SOURCES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
] as const;

export const noRestrictedVolumeTypes = defineCheck<'podSpec', NoRestrictedVolumeTypesOptions>(
  'podSpec',
  (ctx) => {
    const volumes = ctx.target.volumes;
    if (!Array.isArray(volumes)) return NONE;
    const allowImage = ctx.options.allowImageVolumes !== false;
    let out: CheckResult[] | undefined;
    for (let i = 0; i < volumes.length; i++) {
      const v: unknown = volumes[i];
      if (!isObj(v)) continue;
      if (CORE_VOLUME_SOURCES.some((k) => v[k] !== undefined && v[k] !== null)) continue;
      if (allowImage && v.image !== undefined && v.image !== null) continue;
      // The volume source is the one key beside `name`; a volume with none defaults to emptyDir.
      const source = Object.keys(v).find((k) => k !== 'name' && v[k] !== undefined && v[k] !== null);
      if (source === undefined) continue;
      (out ??= []).push({
        path: `/volumes/${i}/${escapeSegment(source)}`,
        target: 'key',
        data: { volume: typeof v.name === 'string' ? v.name : `#${i}`, volumeType: source },
      });
    }
    return out ?? NONE;
  },
);
