/** removed-api: the apiVersion/kind is no longer served by the target Kubernetes version. */
import { defineCheck } from '../../engine/rule.js';
import { schemaLookup } from '../_shared/schema.js';

export const removedApi = defineCheck('resource', (ctx) => {
  const hit = schemaLookup(ctx);
  return hit?.status === 'removed' ? [{ path: '/apiVersion', message: hit.message }] : [];
});
