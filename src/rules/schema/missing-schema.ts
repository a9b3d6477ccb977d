/** missing-schema: no schema is known for this apiVersion/kind. */
import { defineCheck } from '../../engine/rule.js';
import { schemaLookup } from '../_shared/schema.js';

export const missingSchema = defineCheck('resource', (ctx) => {
  if (ctx.env.ignoreMissingSchemas) return [];
  const hit = schemaLookup(ctx);
  return hit?.status === 'missing' ? [{ path: '/apiVersion', message: hit.message }] : [];
});
