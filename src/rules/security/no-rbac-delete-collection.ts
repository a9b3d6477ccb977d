/**
 * no-rbac-delete-collection: the `deletecollection` verb on the configured resources (or a "*"
 * resource that covers them). A "*" verb is no-rbac-wildcard's finding, not reported again here.
 */
import { listOf } from '../../engine/k8s/object.js';
import { defineCheck, NONE } from '../../engine/rule.js';
import { grantsOn, type ApiResource } from '../_shared/rbac.js';

export interface NoRbacDeleteCollectionOptions {
  /** Resources as `resource` (core group) or `resource.group` (`deployments.apps`). */
  resources: string[];
}

const DEFAULT_RESOURCES = ['pods', 'secrets', 'configmaps', 'persistentvolumeclaims', 'deployments.apps'];
const VERB = ['deletecollection'];

/** `deployments.apps` → apps/deployments; `pods` → the core group. Parsed once per options list. */
const parsed = new WeakMap<readonly unknown[], readonly ApiResource[]>();
function targetsOf(list: unknown): readonly ApiResource[] {
  const items = Array.isArray(list) ? (list as unknown[]) : DEFAULT_RESOURCES;
  let out = parsed.get(items);
  if (!out) {
    out = items
      .filter((s): s is string => typeof s === 'string' && s !== '')
      .map((s) => {
        const dot = s.indexOf('.');
        return dot < 0 ? { group: '', resource: s } : { group: s.slice(dot + 1), resource: s.slice(0, dot) };
      });
    parsed.set(items, out);
  }
  return out;
}

export const noRbacDeleteCollection = defineCheck<'resource', NoRbacDeleteCollectionOptions>(
  'resource',
  (ctx) => {
    const targets = targetsOf(ctx.options.resources);
    if (targets.length === 0) return NONE;
    return grantsOn(ctx.object, targets, (rule) =>
      listOf(rule.verbs).includes('deletecollection') ? VERB : [],
    );
  },
);
