/** no-secret-literals-in-env: literal secret-looking env values (the finding names the variable, never the value). */
import { asObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { secretReason } from '../_shared/secrets.js';

export interface NoSecretLiteralsInEnvOptions {
  /** Variable names never reported. */
  ignoreNames: string[];
}

export const noSecretLiteralsInEnv = defineCheck<'container', NoSecretLiteralsInEnvOptions>(
  'container',
  (ctx) => {
    const env = ctx.target.env;
    if (!Array.isArray(env)) return NONE;
    const ignore: readonly unknown[] | undefined = Array.isArray(ctx.options.ignoreNames)
      ? ctx.options.ignoreNames
      : undefined;
    let out: CheckResult[] | undefined;
    env.forEach((e, i) => {
      const v = asObj(e);
      if (!v || typeof v.name !== 'string' || typeof v.value !== 'string' || v.value === '') return;
      if (ignore?.includes(v.name)) return;
      const reason = secretReason(v.name, v.value);
      if (reason) (out ??= []).push({ path: `/env/${i}/value`, data: { variable: v.name, reason } });
    });
    return out ?? NONE;
  },
);
