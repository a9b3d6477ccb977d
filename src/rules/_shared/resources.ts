/**
 * The container resource rules (require-{cpu,memory,ephemeral-storage}-{request,limit}) and what
 * they share with the other container checks: LimitRange defaults of the run.
 */
import { containerResources, podSpecOf } from '../../engine/kinds.js';
import { isObj, namespaceOf } from '../../engine/k8s/object.js';
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

export interface RequireResourceOptions {
  /** Accept a container without the value when a LimitRange of its namespace (in the run) defaults it. */
  skipWhenLimitRangePresent: boolean;
}

/**
 * Require `resources.<section>.<resource>` on every container and init container. A request is
 * also satisfied by a limit (the API server copies a lone limit into the request), and either by
 * pod-level `spec.resources`; with `skipWhenLimitRangePresent`, by a LimitRange default in the
 * same namespace among the linted resources.
 */
export function requireResource(section: 'requests' | 'limits', resource: string): DeclaredRuleFunction {
  return defineCheck<'container', RequireResourceOptions>('container', (ctx) => {
    if (!mayHaveResources(ctx)) return NONE;
    const { field, value: res } = containerResources(ctx.target, ctx.container?.resources);
    if (isObj(res) && (has(res[section], resource) || (section === 'requests' && has(res.limits, resource))))
      return NONE;
    const podRes = (ctx.pod ?? podSpecOf(ctx.object, ctx.env.kinds))?.spec.resources;
    if (
      isObj(podRes) &&
      (has(podRes[section], resource) || (section === 'requests' && has(podRes.limits, resource)))
    )
      return NONE;
    if (ctx.options.skipWhenLimitRangePresent === true && limitRangeCovers(ctx, section, resource))
      return NONE;
    const path = !isObj(res) ? '' : isObj(res[section]) ? `/${field}/${section}` : `/${field}`;
    return [{ path, data: { resource } }];
  });
}
