/** Check functions for the references rules (rule files in rules/, docs in docs/rules). */
import type { RuleFunction } from '../rule.js';

export const functions: Record<string, RuleFunction> = {};
