/** require-recommended-labels: the recommended app.kubernetes.io labels are present and not empty. */
import { defineCheck } from '../../engine/rule.js';
import { requireKeys } from '../_shared/required-keys.js';

export interface RequireRecommendedLabelsOptions {
  /** The labels required. */
  labels: string[];
  /** Also check the pod template's metadata. */
  podTemplates: boolean;
}

export const requireRecommendedLabels = defineCheck<'resource', RequireRecommendedLabelsOptions>(
  'resource',
  (ctx) => requireKeys(ctx, 'labels', 'require-recommended-labels', 'label', 'recommended'),
);
