/** k8s-schema: every violation of the resource's schema, with a readable message. */
import { defineCheck, type CheckResult } from '../../engine/rule.js';
import { schemaLookup } from '../_shared/schema.js';

export const k8sSchema = defineCheck('resource', (ctx) => {
  const hit = schemaLookup(ctx);
  // The type's CRD is unusable (malformed or apiextensions.k8s.io/v1beta1): say so at the resource.
  if (hit?.status === 'invalid') return [{ path: '/apiVersion', message: hit.message }];
  if (hit?.status !== 'found') return [];
  const redact = ctx.object.kind === 'Secret';
  return hit.check(ctx.object, { strict: ctx.env.strict, redact }).map((e): CheckResult => ({
    path: e.path,
    message: e.message,
    target: e.target,
    ...(e.severity ? { severity: e.severity } : {}),
  }));
});
