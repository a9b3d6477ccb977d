/** no-request-above-limit: a container requests more of a resource than its limit allows. */
import { isObj } from '../../engine/k8s/object.js';
import { escapeSegment } from '../../engine/k8s/pointer.js';
import { parseQuantity } from '../../engine/k8s/quantity.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { mayHaveResources } from '../_shared/resources.js';

/** A quantity as written (only strings and numbers parse as quantities). */
const showQuantity = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';

export const noRequestAboveLimit = defineCheck('container', (ctx) => {
  if (!mayHaveResources(ctx)) return NONE;
  const res = ctx.target.resources;
  if (!isObj(res)) return NONE;
  const requests = res.requests;
  const limits = res.limits;
  if (!isObj(requests) || !isObj(limits)) return NONE;
  let out: CheckResult[] | undefined;
  for (const key of Object.keys(requests)) {
    const limit = limits[key];
    if (limit === undefined || limit === null) continue;
    const request = requests[key];
    const r = parseQuantity(request);
    const l = parseQuantity(limit);
    if (r === undefined || l === undefined || r <= l) continue;
    (out ??= []).push({
      path: `/resources/requests/${escapeSegment(key)}`,
      data: { resource: key, request: showQuantity(request), limit: showQuantity(limit) },
    });
  }
  return out ?? NONE;
});
