/** Check functions for the pss rules (rule files in rules/, docs in docs/rules). */
import type { RuleFunction } from '../rule.js';

export const functions: Record<string, RuleFunction> = {};
