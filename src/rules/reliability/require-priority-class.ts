/** require-priority-class: a pod spec names a priorityClassName (one of `allowed`, when given). */
import { defineCheck, NONE } from '../../engine/rule.js';

export interface RequirePriorityClassOptions {
  /** Accepted priorityClassName values; empty: any name. */
  allowed: string[];
}

export const requirePriorityClass = defineCheck<'podSpec', RequirePriorityClassOptions>('podSpec', (ctx) => {
  const name = ctx.target.priorityClassName;
  const allowed = Array.isArray(ctx.options.allowed)
    ? ctx.options.allowed.filter((a): a is string => typeof a === 'string')
    : [];
  if (typeof name !== 'string' || name === '')
    return [{ path: '', target: 'key', data: { problem: 'sets no priorityClassName' } }];
  if (allowed.length === 0 || allowed.includes(name)) return NONE;
  return [
    {
      path: '/priorityClassName',
      data: { problem: `uses priorityClassName ${name}, which is not one of ${allowed.join(', ')}` },
    },
  ];
});
