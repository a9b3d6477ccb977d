/** no-secret-literals-in-configmap: secret-looking ConfigMap data (the finding names the key, never the value). */
import { asObj } from '../../engine/k8s/object.js';
import { escapeSegment } from '../../engine/k8s/pointer.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { nameSuggestsSecret, secretReason } from '../_shared/secrets.js';

export interface NoSecretLiteralsInConfigmapOptions {
  /** Keys never reported. */
  ignoreKeys: string[];
}

export const noSecretLiteralsInConfigmap = defineCheck<'resource', NoSecretLiteralsInConfigmapOptions>(
  'resource',
  (ctx) => {
    let out: CheckResult[] | undefined;
    const ignore: readonly unknown[] | undefined = Array.isArray(ctx.options.ignoreKeys)
      ? ctx.options.ignoreKeys
      : undefined;
    const data = asObj(ctx.object.data);
    if (data) {
      for (const key in data) {
        const v = data[key];
        if (typeof v !== 'string' || v === '' || ignore?.includes(key)) continue;
        const reason = secretReason(key, v);
        if (reason)
          (out ??= []).push({ path: `/data/${escapeSegment(key)}`, target: 'key', data: { key, reason } });
      }
    }
    const bin = asObj(ctx.object.binaryData);
    if (bin) {
      for (const key in bin) {
        const v = bin[key];
        if (typeof v !== 'string' || v === '' || ignore?.includes(key)) continue;
        if (nameSuggestsSecret(key))
          (out ??= []).push({
            path: `/binaryData/${escapeSegment(key)}`,
            target: 'key',
            data: { key, reason: 'the name suggests a credential' },
          });
      }
    }
    return out ?? NONE;
  },
);
