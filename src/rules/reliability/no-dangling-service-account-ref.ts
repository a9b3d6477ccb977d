/** no-dangling-service-account-ref: serviceAccountName (or the old serviceAccount) names a ServiceAccount of the set. */
import { defineCheck } from '../../engine/rule.js';
import { cachedMatcher, indexOf, lookup, namespaceOf, str } from '../_shared/references.js';

export interface NoDanglingServiceAccountRefOptions {
  /** ServiceAccount names to accept without a definition: exact names or `*` globs. */
  ignore: string[];
}

export const noDanglingServiceAccountRef = defineCheck<'podSpec', NoDanglingServiceAccountRefOptions>(
  'podSpec',
  (ctx) => {
    const spec = ctx.target;
    const field = str(spec.serviceAccountName)
      ? 'serviceAccountName'
      : str(spec.serviceAccount)
        ? 'serviceAccount'
        : undefined;
    if (!field) return [];
    const name = spec[field] as string;
    if (name === 'default') return []; // every namespace has one
    if (cachedMatcher(ctx, 'no-dangling-service-account-ref', ctx.options.ignore)(name)) return [];
    if (lookup(indexOf(ctx), 'ServiceAccount', namespaceOf(ctx.object), name)) return [];
    return [{ path: `/${field}`, data: { ref: name } }];
  },
);
