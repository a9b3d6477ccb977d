/**
 * The container resource rules (require-{cpu,memory,ephemeral-storage}-{request,limit}) and what
 * they share with the other container checks: LimitRange defaults of the run.
 */
import { containerResources, podSpecOf } from '../../engine/kinds.js';
import { isObj, namespaceOf } from '../../engine/k8s/object.js';
import { escapeSegment } from '../../engine/k8s/pointer.js';
import { parseQuantity } from '../../engine/k8s/quantity.js';
import { defineCheck, NONE, type CheckContext, type DeclaredRuleFunction } from '../../engine/rule.js';
import type { Resource } from '../../engine/types.js';

/** Containers that may carry `resources`, probes and ports (ephemeral containers may not). */
export const mayHaveResources = (ctx: Pick<CheckContext, 'container'>): boolean =>
  ctx.container?.list !== 'ephemeralContainers';

export interface LimitRangeDefaults {
  /** Resource names a LimitRange defaults the request of, per namespace. */
  requests: Set<string>;
  /** Resource names a LimitRange defaults the limit of, per namespace. */
  limits: Set<string>;
}

const LIMIT_RANGE_MEMO = 'workload:limit-range-defaults';

/**
 * Per namespace, the container resources that LimitRanges in the run give defaults for, after the
 * API server's own defaulting of LimitRange items of type Container: a missing `default` comes
 * from `max`, a missing `defaultRequest` from `default` (hence also `max`) or else `min`.
 */
export function limitRangeDefaults(resources: readonly Resource[]): Map<string, LimitRangeDefaults> {
  const out = new Map<string, LimitRangeDefaults>();
  for (const r of resources) {
    const o = r.object;
    if (o.kind !== 'LimitRange') continue;
    const items = (o.spec as { limits?: unknown } | undefined)?.limits;
    if (!Array.isArray(items)) continue;
    const ns = namespaceOf(o) ?? '';
    let entry = out.get(ns);
    if (!entry) out.set(ns, (entry = { requests: new Set(), limits: new Set() }));
    for (const item of items) {
      if (!isObj(item) || item.type !== 'Container') continue;
      for (const key of ['default', 'max'] as const) {
        const m = item[key];
        if (isObj(m)) for (const res of Object.keys(m)) entry.limits.add(res);
      }
      for (const key of ['defaultRequest', 'default', 'max', 'min'] as const) {
        const m = item[key];
        if (isObj(m)) for (const res of Object.keys(m)) entry.requests.add(res);
      }
    }
  }
  return out;
}

function limitRangeCovers(
  ctx: Pick<CheckContext, 'env' | 'object'>,
  section: 'requests' | 'limits',
  resource: string,
): boolean {
  let index = ctx.env.memo.get(LIMIT_RANGE_MEMO) as Map<string, LimitRangeDefaults> | undefined;
  if (!index) {
    index = limitRangeDefaults(ctx.env.resources);
    ctx.env.memo.set(LIMIT_RANGE_MEMO, index);
  }
  return index.get(namespaceOf(ctx.object) ?? '')?.[section].has(resource) ?? false;
}

const has = (m: unknown, key: string): boolean => isObj(m) && m[key] !== undefined && m[key] !== null;

/** A quantity as written (only strings and numbers are quantities). */
const shown = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Whether `m[key]` is a quantity equal to zero (`0`, `"0"`, `0m`, `0Mi`, `0.0`). */
const isZero = (m: unknown, key: string): boolean => isObj(m) && parseQuantity(m[key]) === 0;

/** `m[key]` is set to something other than a zero quantity. */
const hasNonZero = (m: unknown, key: string): boolean => has(m, key) && !isZero(m, key);

export interface RequireResourceOptions {
  /** Accept a container without the value when a LimitRange of its namespace (in the run) defaults it. */
  skipWhenLimitRangePresent: boolean;
  /**
   * Check init containers that run to completion before the app containers (kube-score does, the
   * default); sidecars (init containers with `restartPolicy: Always`) are checked either way.
   */
  includeInitContainers: boolean;
  /**
   * Requests only: accept a limit without a request, which the API server copies into the request
   * (the default). `false` asks for the request to be written, as kube-score does.
   */
  acceptLimitAsRequest: boolean;
}

/** A regular init container: runs to completion before the app containers start (not a sidecar). */
function isRunToCompletionInit(ctx: Pick<CheckContext, 'container'>, container: unknown): boolean {
  return (
    ctx.container?.list === 'initContainers' && !(isObj(container) && container.restartPolicy === 'Always')
  );
}

/**
 * Require `resources.<section>.<resource>` on every container and init container, set to a
 * non-zero quantity (a zero request or limit is reported as such: it reserves or caps nothing).
 * A request is also satisfied by a non-zero limit (the API server copies a lone limit into the
 * request) unless `acceptLimitAsRequest` is false, and either by a non-zero pod-level
 * `spec.resources`; with `skipWhenLimitRangePresent`, by a LimitRange default in the same
 * namespace among the linted resources. With `includeInitContainers: false`, init containers that
 * run to completion are skipped.
 */
export function requireResource(section: 'requests' | 'limits', resource: string): DeclaredRuleFunction {
  const noun = section === 'requests' ? 'request' : 'limit';
  return defineCheck<'container', RequireResourceOptions>('container', (ctx) => {
    if (!mayHaveResources(ctx)) return NONE;
    if (ctx.options.includeInitContainers === false && isRunToCompletionInit(ctx, ctx.target)) return NONE;
    const limitCounts = section === 'requests' && ctx.options.acceptLimitAsRequest !== false;
    const { field, value: res } = containerResources(ctx.target, ctx.container?.resources);
    const own = isObj(res) ? res[section] : undefined;
    if (hasNonZero(own, resource)) return NONE;
    const limits = isObj(res) ? res.limits : undefined;
    // An explicit zero request stays zero: the API server copies a limit only into a missing request.
    if (limitCounts && !has(own, resource) && hasNonZero(limits, resource)) return NONE;
    const podRes = (ctx.pod ?? podSpecOf(ctx.object, ctx.env.kinds))?.spec.resources;
    if (
      isObj(podRes) &&
      (hasNonZero(podRes[section], resource) ||
        (section === 'requests' && !has(podRes[section], resource) && hasNonZero(podRes.limits, resource)))
    )
      return NONE;
    if (ctx.options.skipWhenLimitRangePresent === true && limitRangeCovers(ctx, section, resource))
      return NONE;
    if (isObj(own) && has(own, resource)) {
      const path = `/${field}/${section}/${escapeSegment(resource)}`;
      // Set but not non-zero: a zero quantity.
      const problem = `sets its ${resource} ${noun} to ${shown(own[resource])}, which ${section === 'requests' ? 'reserves nothing' : 'is no limit at all'}`;
      return [{ path, data: { resource, problem } }];
    }
    if (section === 'requests' && has(limits, resource)) {
      const limit = shown((limits as Record<string, unknown>)[resource]);
      const problem = `sets a ${resource} limit but no ${resource} request; the API server sets the request to the limit (${limit})${isZero(limits, resource) ? ', which reserves nothing' : ''}`;
      return [{ path: `/${field}/limits/${escapeSegment(resource)}`, data: { resource, problem } }];
    }
    const path = !isObj(res) ? '' : isObj(own) ? `/${field}/${section}` : `/${field}`;
    return [{ path, data: { resource, problem: `sets no ${resource} ${noun}` } }];
  });
}
