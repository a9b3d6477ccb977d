/**
 * no-duplicate-env-var: two `env` items of one container with the same name; the later one wins,
 * so the earlier is dead configuration (or the later a mistake). Reported on the later item.
 */
import { isObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';

export const noDuplicateEnvVar = defineCheck('container', (ctx) => {
  const env = ctx.target.env;
  if (!Array.isArray(env) || env.length < 2) return NONE;
  const first = new Map<string, number>();
  let out: CheckResult[] | undefined;
  for (let i = 0; i < env.length; i++) {
    const e: unknown = env[i];
    if (!isObj(e) || typeof e.name !== 'string') continue;
    const seen = first.get(e.name);
    if (seen === undefined) first.set(e.name, i);
    else (out ??= []).push({ path: `/env/${i}/name`, data: { env: e.name, first: seen, index: i } });
  }
  return out ?? NONE;
});
