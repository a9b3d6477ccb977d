/**
 * no-rbac-secret-read: get/list/watch (or "*") on secrets, on the resources item that grants them.
 * A rule narrowed by resourceNames reads only the named Secrets and is not reported unless the
 * `includeResourceNames` option is set.
 */
import { defineCheck } from '../../engine/rule.js';
import { grantedVerbs, grantsOn, hasNames, type ApiResource } from '../_shared/rbac.js';

export interface NoRbacSecretReadOptions {
  /** Also report rules narrowed by resourceNames. */
  includeResourceNames: boolean;
}

const SECRET: readonly ApiResource[] = [{ group: '', resource: 'secrets' }];
const READ_VERBS = ['get', 'list', 'watch'] as const;

export const noRbacSecretRead = defineCheck<'resource', NoRbacSecretReadOptions>('resource', (ctx) => {
  const includeNamed = ctx.options.includeResourceNames === true;
  return grantsOn(ctx.object, SECRET, (rule) =>
    !includeNamed && hasNames(rule) ? [] : grantedVerbs(rule, READ_VERBS),
  );
});
