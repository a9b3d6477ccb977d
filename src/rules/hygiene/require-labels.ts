/** require-labels: the configured labels are present (and match their patterns). */
import { defineCheck } from '../../engine/rule.js';
import { requireKeys, type RequireKeysOptions } from '../_shared/required-keys.js';

export type RequireLabelsOptions = Pick<RequireKeysOptions, 'labels' | 'kinds' | 'podTemplates'>;

export const requireLabels = defineCheck<'resource', RequireLabelsOptions>('resource', (ctx) =>
  requireKeys(ctx, 'labels', 'require-labels', 'label', 'required'),
);
