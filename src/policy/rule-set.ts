/**
 * The run's rule set, paying for the policy runtime (OPA WebAssembly, vm, zlib, the shipped
 * policies) only when the run can evaluate Rego: users' policies, an enabled rule with a `rego`
 * check, or settings of `policy-error`. Otherwise the rules compile without it.
 */
import { compileRules, presetsOf, type RuleSettings } from '../engine/compile.js';
import type { CompiledRule, RuleDefinition } from '../engine/rule.js';
import { builtinRules } from '../rules/builtin.js';
import type { PolicyRuleConfig } from './setup.js';

/** The rule that reports policies' evaluation errors (its options are the runtime's limits). */
const POLICY_ERROR_RULE = 'policy-error';

/**
 * Whether a run with these settings can need the policy runtime. Errs on the side of yes: a rule it
 * would wrongly leave out would fail to compile ("Rego checks need the policy engine"), never be
 * silently skipped.
 */
export function needsPolicyRuntime(defs: readonly RuleDefinition[], config: PolicyRuleConfig): boolean {
  if ((config.policies?.length ?? 0) > 0) return true;
  if (config.rules && POLICY_ERROR_RULE in config.rules) return true;
  const rego = new Set(defs.filter((d) => 'rego' in d.check).map((d) => d.id));
  if (rego.size === 0) return false;
  for (const [id, setting] of Object.entries(config.rules ?? {}))
    if (rego.has(id) && (typeof setting === 'string' ? setting : setting.severity) !== 'off') return true;
  const presets = presetsOf(defs);
  return (config.presets ?? ['recommended']).some((p) => presets.get(p)?.some((id) => rego.has(id)));
}

/**
 * The run's rule set: the built-in rules plus the users' Rego policies, compiled (see
 * compileWithRuntime in ./setup.ts). Shared by the CLI and the language server so both lint with
 * the same rules.
 */
export async function compileWithPolicies(
  config: PolicyRuleConfig,
  opts: { baseDir: string; cwd?: string; namespaces?: readonly string[] },
): Promise<{ defs: RuleDefinition[]; rules: CompiledRule[] }> {
  const builtin = builtinRules();
  if (needsPolicyRuntime(builtin, config)) {
    const { compileWithRuntime } = await import('./setup.js');
    return compileWithRuntime(config, opts);
  }
  const settings: RuleSettings = { presets: config.presets, rules: config.rules };
  return { defs: builtin, rules: await compileRules(builtin, settings) };
}
