/** Wiring of Rego policies into compileRules: shipped policy rules, users' policies as rules, limits. */
import { isAbsolute, relative, resolve } from 'node:path';
import { loadPolicyPath, shippedPolicy, validateParameters } from './load.js';
import {
  DEFAULT_POLICY_LIMITS,
  POLICY_ERROR_RULE,
  PolicyLoadError,
  PolicyRuntime,
  selectEntrypoints,
  type InputView,
  type PolicyLimits,
  type RegoBindingSpec,
} from '../engine/checks/rego.js';
import {
  compileRules,
  RuleConfigError,
  type CompileDeps,
  type RuleSetting,
  type RuleSettings,
} from '../engine/compile.js';
import type { CompiledRule, RuleDefinition } from '../engine/rule.js';
import { builtinRules } from '../rules/builtin.js';
import type { Category } from '../engine/types.js';

/** One entry of the config's `policies:` section. */
export interface PolicyConfig {
  /** A `.wasm` file, an `opa build` bundle (.tar.gz) or a folder (relative to the config file). */
  path: string;
  /** Rule id of its findings (default: from the file name). */
  name?: string;
  /** Entrypoints or packages to evaluate, e.g. `main/deny` or `main` (default: all). */
  entrypoints?: string[];
  /** `data` for the policy, merged over the bundle's data.json. */
  data?: Record<string, unknown>;
  /** `input.parameters`. */
  parameters?: Record<string, unknown>;
  category?: Category;
  /** Which views of the resource the input carries (default both). */
  input?: InputView;
  /** Where its findings link to (the policy's own documentation); without it, no link. */
  docs?: string;
}

/** The parts of a config that choose the run's rules. */
export interface PolicyRuleConfig {
  presets?: string[];
  rules?: Record<string, RuleSetting>;
  policies?: PolicyConfig[];
}

/** Users' policies turned into rules. */
export interface UserPolicies {
  defs: RuleDefinition[];
  specs: Map<RuleDefinition, RegoBindingSpec>;
}

/**
 * Load users' policies once and describe each as a rule (id = its name), ready for compileRules.
 * `namespaces` (--policy-namespace) selects packages for policies without explicit entrypoints.
 * Throws PolicyLoadError (file and reason) or RuleConfigError (names, parameters).
 */
export function loadUserPolicies(
  entries: readonly PolicyConfig[],
  opts: { baseDir: string; cwd?: string; namespaces?: readonly string[]; taken?: ReadonlySet<string> },
): UserPolicies {
  const out: UserPolicies = { defs: [], specs: new Map() };
  const used = new Set(opts.taken ?? []);
  for (const entry of entries) {
    const abs = resolve(opts.baseDir, entry.path);
    const rel = relative(opts.cwd ?? opts.baseDir, abs);
    const display = rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
    const sources = loadPolicyPath(abs, display);
    if (entry.name !== undefined && sources.length > 1)
      throw new RuleConfigError(
        `policies: "name" applies to one policy, but ${display} holds ${sources.length}`,
      );
    for (const src of sources) {
      let id = entry.name ?? src.module.name;
      if (entry.name !== undefined && used.has(id))
        throw new RuleConfigError(
          `policies: the name "${id}" (${display}) is already a rule or policy; choose another name`,
        );
      if (entry.name === undefined) for (let n = 2; used.has(id); n++) id = `${src.module.name}-${n}`;
      used.add(id);
      const selection =
        entry.entrypoints ?? (opts.namespaces && opts.namespaces.length > 0 ? opts.namespaces : undefined);
      let entrypoints: string[];
      try {
        entrypoints = selectEntrypoints(src.module, selection);
      } catch (err) {
        if (err instanceof PolicyLoadError && !entry.entrypoints) {
          throw new PolicyLoadError(
            src.module.file,
            `no entrypoint in the selected namespaces (${selection?.join(', ')}); it has ${src.module.entrypoints.join(', ')}`,
          );
        }
        throw err;
      }
      const parameters = validateParameters(
        src.parametersSchema,
        entry.parameters,
        `policy "${id}" (${src.module.file})`,
      );
      const def: RuleDefinition = {
        id,
        description: `Report what the Rego policy ${src.module.file} denies.`,
        category: entry.category ?? 'security',
        severity: 'error',
        presets: [],
        message: '{{message}}',
        why: `The policy ${src.module.file}, loaded by your configuration, reported it.`,
        remediation: 'Follow the message; the policy and its authors define what is allowed.',
        check: { rego: { policy: src.module.file, entrypoint: entrypoints.join(',') } },
        helpUri: entry.docs ?? '',
      };
      out.defs.push(def);
      out.specs.set(def, {
        module: src.module,
        entrypoints,
        parameters,
        data: entry.data,
        input: entry.input,
      });
    }
  }
  return out;
}

/** The evaluation limits: the `policy-error` rule's options over the defaults. */
export function policyLimits(settings: RuleSettings = {}): PolicyLimits {
  const setting = settings.rules?.[POLICY_ERROR_RULE];
  const options = typeof setting === 'object' ? (setting.options ?? {}) : {};
  const limits = { ...DEFAULT_POLICY_LIMITS };
  for (const key of Object.keys(DEFAULT_POLICY_LIMITS) as (keyof PolicyLimits)[]) {
    const v = options[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      throw new RuleConfigError(`rule "${POLICY_ERROR_RULE}": option ${key} must be a positive whole number`);
    limits[key] = v;
  }
  return limits;
}

/** The binding of a shipped rule's `rego` check: its policy, entrypoint and validated parameters. */
function shippedSpec(def: RuleDefinition, options: Record<string, unknown>): RegoBindingSpec {
  if (!('rego' in def.check)) throw new RuleConfigError(`rule "${def.id}" has no rego check`);
  const { policy, entrypoint, input, idleWithout, needs } = def.check.rego;
  const src = shippedPolicy(policy);
  const parameters = validateParameters(src.parametersSchema, options, `rule "${def.id}"`);
  // A `kinds` parameter (as in require-label-patterns) also skips evaluation for other kinds.
  const kinds = (parameters as { kinds?: unknown }).kinds;
  return {
    module: src.module,
    entrypoints: [entrypoint],
    parameters,
    input,
    idleWithout,
    needs,
    kinds: Array.isArray(kinds) ? kinds.filter((k): k is string => typeof k === 'string') : undefined,
  };
}

/**
 * CompileDeps that evaluate `rego` checks: shipped rules resolve to policies/<name>/, users' rules
 * to their loaded bundles. A new runtime (limits from the `policy-error` options) unless one is given
 * (tests and benchmarks pass theirs to read its stats).
 */
export function policyDeps(
  settings: RuleSettings = {},
  user?: UserPolicies,
  runtime = new PolicyRuntime(policyLimits(settings)),
): CompileDeps {
  return { rego: runtime.compileDeps((def, options) => user?.specs.get(def) ?? shippedSpec(def, options)) };
}

/**
 * The run's rule set with the policy runtime: the built-in rules plus the users' Rego policies
 * (loaded once), compiled. User policies are enabled without fixing a severity, so their warn
 * results stay warnings, and `policy-error` is enabled whatever the presets, unless the config says
 * otherwise. Called through compileWithPolicies (src/policy/rule-set.ts), which imports this module
 * only when the run can evaluate Rego.
 */
export async function compileWithRuntime(
  config: PolicyRuleConfig,
  opts: { baseDir: string; cwd?: string; namespaces?: readonly string[] },
): Promise<{ defs: RuleDefinition[]; rules: CompiledRule[] }> {
  const builtin = builtinRules();
  const user = loadUserPolicies(config.policies ?? [], { ...opts, taken: new Set(builtin.map((d) => d.id)) });
  const defs = user.defs.length > 0 ? [...builtin, ...user.defs] : builtin;
  const settings: RuleSettings = { presets: config.presets, rules: config.rules };
  if (user.defs.length > 0) {
    const enabled: Record<string, RuleSetting> = {};
    for (const d of user.defs) enabled[d.id] = {};
    enabled[POLICY_ERROR_RULE] = {};
    settings.rules = { ...enabled, ...config.rules };
  }
  return { defs, rules: await compileRules(defs, settings, policyDeps(settings, user)) };
}
