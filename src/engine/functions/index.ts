/** The named TypeScript check functions that rules refer to with `check: { function: name }`. */
import type { RuleFunction } from '../rule.js';
import { k8sSchema, missingSchema, removedApi } from './k8s-schema.js';
import { functions as metadata } from './metadata.js';
import { functions as pss } from './pss.js';
import { functions as rbac } from './rbac.js';
import { functions as references } from './references.js';
import { functions as workload } from './workload.js';

export const FUNCTIONS: Readonly<Record<string, RuleFunction>> = {
  'k8s-schema': k8sSchema,
  'missing-schema': missingSchema,
  'removed-api': removedApi,
  ...pss,
  ...workload,
  ...metadata,
  ...rbac,
  ...references,
};
