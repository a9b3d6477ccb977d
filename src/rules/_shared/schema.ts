/** The schema registry lookup the schema rules share (k8s-schema, missing-schema, removed-api). */
import type { CheckContext } from '../../engine/rule.js';

/** The registry's verdict on the object's apiVersion/kind (undefined without a registry). */
export function schemaLookup(ctx: Pick<CheckContext, 'object' | 'env'>) {
  const { apiVersion, kind } = ctx.object as { apiVersion: string; kind: string };
  return ctx.env.schemas?.lookup(apiVersion, kind);
}
