/** require-annotations: the configured annotations are present (and match their patterns). */
import { defineCheck } from '../../engine/rule.js';
import { requireKeys, type RequireKeysOptions } from '../_shared/required-keys.js';

export type RequireAnnotationsOptions = Pick<RequireKeysOptions, 'annotations' | 'kinds' | 'podTemplates'>;

export const requireAnnotations = defineCheck<'resource', RequireAnnotationsOptions>('resource', (ctx) =>
  requireKeys(ctx, 'annotations', 'require-annotations', 'annotation', 'required'),
);
