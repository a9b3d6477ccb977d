/** The schema rules: validate a resource against its Kubernetes schema, or say why there is none. */
import type { CheckContext, CheckResult, RuleFunction } from '../rule.js';

function lookup(ctx: CheckContext) {
  const { apiVersion, kind } = ctx.object as { apiVersion: string; kind: string };
  return ctx.env.schemas?.lookup(apiVersion, kind);
}

/** k8s-schema: every violation of the resource's schema, with a readable message. */
export const k8sSchema: RuleFunction = (ctx) => {
  const hit = lookup(ctx);
  // The type's CRD is unusable (malformed or apiextensions.k8s.io/v1beta1): say so at the resource.
  if (hit?.status === 'invalid') return [{ path: '/apiVersion', message: hit.message }];
  if (hit?.status !== 'found') return [];
  const redact = ctx.object.kind === 'Secret';
  return hit
    .check(ctx.object, { strict: ctx.env.strict, redact })
    .map((e): CheckResult => ({ path: e.path, message: e.message, target: e.target }));
};

/** missing-schema: no schema is known for this apiVersion/kind. */
export const missingSchema: RuleFunction = (ctx) => {
  if (ctx.env.ignoreMissingSchemas) return [];
  const hit = lookup(ctx);
  return hit?.status === 'missing' ? [{ path: '/apiVersion', message: hit.message }] : [];
};

/** removed-api: the apiVersion/kind is no longer served by the target Kubernetes version. */
export const removedApi: RuleFunction = (ctx) => {
  const hit = lookup(ctx);
  return hit?.status === 'removed' ? [{ path: '/apiVersion', message: hit.message }] : [];
};
