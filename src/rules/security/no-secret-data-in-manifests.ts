/** no-secret-data-in-manifests: Secrets that carry data or stringData (opt-in); the finding lists keys, never values. */
import { asObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';

export interface NoSecretDataInManifestsOptions {
  /** Report `data`. */
  data: boolean;
  /** Report `stringData`. */
  stringData: boolean;
  /** Secret types never reported. */
  ignoreTypes: string[];
}

export const noSecretDataInManifests = defineCheck<'resource', NoSecretDataInManifestsOptions>(
  'resource',
  (ctx) => {
    const o = ctx.options;
    const secret = ctx.object;
    if ('sops' in secret) return NONE; // encrypted with SOPS: values are ciphertext
    const type = typeof secret.type === 'string' ? secret.type : 'Opaque';
    if (Array.isArray(o.ignoreTypes) && o.ignoreTypes.includes(type)) return NONE;
    let out: CheckResult[] | undefined;
    for (const field of ['data', 'stringData'] as const) {
      if (o[field] === false) continue;
      const m = asObj(secret[field]);
      if (!m) continue;
      const keys: string[] = [];
      for (const k in m) {
        const v = m[k];
        if (typeof v === 'string' && v !== '' && !v.startsWith('ENC[')) keys.push(k);
      }
      if (keys.length === 0) continue;
      const shown =
        keys.length > 5 ? `${keys.slice(0, 5).join(', ')} and ${keys.length - 5} more` : keys.join(', ');
      (out ??= []).push({ path: `/${field}`, target: 'key', data: { field, keys: shown } });
    }
    return out ?? NONE;
  },
);
