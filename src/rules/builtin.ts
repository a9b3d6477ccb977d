/** The built-in rule catalog, read from the generated rules/index.json (see scripts/build-rules.mjs). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RuleDefinition } from '../engine/rule.js';

const INDEX = fileURLToPath(new URL('../../rules/index.json', import.meta.url));
let cached: RuleDefinition[] | undefined;

/** Every built-in rule definition, sorted by id. */
export function builtinRules(): RuleDefinition[] {
  return (cached ??= JSON.parse(readFileSync(INDEX, 'utf8')) as RuleDefinition[]);
}
