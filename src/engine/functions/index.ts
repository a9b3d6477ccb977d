/** The named TypeScript check functions that rules refer to with `check: { function: name }`. */
import type { RuleFunction } from '../rule.js';
import { k8sSchema, missingSchema, removedApi } from './k8s-schema.js';

export const FUNCTIONS: Readonly<Record<string, RuleFunction>> = {
  'k8s-schema': k8sSchema,
  'missing-schema': missingSchema,
  'removed-api': removedApi,
};
