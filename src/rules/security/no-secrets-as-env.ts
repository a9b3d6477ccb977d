/** no-secrets-as-env: Secrets consumed as environment variables (opt-in). */
import { asObj } from '../../engine/k8s/object.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';

export const noSecretsAsEnv = defineCheck('container', (ctx) => {
  const c = ctx.target;
  let out: CheckResult[] | undefined;
  if (Array.isArray(c.env)) {
    c.env.forEach((e, i) => {
      const ref = asObj(asObj(asObj(e)?.valueFrom)?.secretKeyRef);
      if (!ref) return;
      const name = asObj(e)?.name;
      const variable = typeof name === 'string' ? name : `#${i}`;
      (out ??= []).push({
        path: `/env/${i}/valueFrom/secretKeyRef`,
        target: 'key',
        data: {
          secret: typeof ref.name === 'string' ? ref.name : '(unnamed)',
          via: `environment variable ${variable}`,
        },
      });
    });
  }
  if (Array.isArray(c.envFrom)) {
    c.envFrom.forEach((e, i) => {
      const ref = asObj(asObj(e)?.secretRef);
      if (!ref) return;
      (out ??= []).push({
        path: `/envFrom/${i}/secretRef`,
        target: 'key',
        data: {
          secret: typeof ref.name === 'string' ? ref.name : '(unnamed)',
          via: 'envFrom (every key becomes a variable)',
        },
      });
    });
  }
  return out ?? NONE;
});
