/** Rule definitions (the data in rules/<category>/<id>.yaml) and their compiled form. */
import {
  helpUriFor,
  type Category,
  type JsonPatchOp,
  type KubeObject,
  type Resource,
  type Severity,
} from './types.js';
import type { KindTable, PodSpecAt } from './kinds.js';
import type { SchemaRegistry } from '../schema/registry.js';

/** Where a rule looks inside a matching resource; the engine computes the pointers. */
export type RuleTarget = 'resource' | 'podSpec' | 'container' | 'metadata';

export type RuleCheck =
  | { schema: Record<string, unknown> }
  | { function: string }
  /** `input`: which views of the resource the policy's input carries (docs/policies.md); default both. */
  | {
      rego: {
        policy: string;
        entrypoint: string;
        input?: 'both' | 'conftest' | 'gatekeeper';
        /** Parameters without which the policy reports nothing: when every one is empty, it is not evaluated. */
        idleWithout?: string[];
        /** JSON pointers the policy reads from: a resource with nothing at any of them is not evaluated. */
        needs?: string[];
      };
    }
  /** Produced while reading input (syntax errors, duplicate keys), not by evaluating resources. */
  | { source: true };

/** A rule as written in rules/<category>/<id>.yaml (validated by schemas/rule.schema.json). */
export interface RuleDefinition {
  id: string;
  description: string;
  category: Category;
  severity: Severity;
  presets: string[];
  match?: { kinds?: string[]; excludeKinds?: string[] };
  target?: RuleTarget;
  /** Template: {{kind}} {{name}} {{namespace}} {{container}} and any data the check returns. */
  message: string;
  why: string;
  remediation: string;
  /** Equivalent checks elsewhere (PSS control, kube-linter, Polaris, kube-score, Kyverno, Trivy). */
  references?: Record<string, string | string[]>;
  check: RuleCheck;
  /** Rule options: JSON Schema for them and their defaults. */
  options?: { schema?: Record<string, unknown>; defaults?: Record<string, unknown> };
  /** Without `patch`, the check supplies a patch per finding (CheckResult.fix). */
  fix?: { safety: 'safe' | 'unsafe'; patch?: JsonPatchOp[]; description?: string };
  /** Shown on the docs page and executed by the tests. */
  examples?: { invalid: string; valid: string };
  /** 'set' rules need the other resources of the run (cross-resource); skipped at admission. */
  scope?: 'resource' | 'set';
  /**
   * Where the rule is documented. Built-in rules leave it out (their page under DOCS_BASE); a
   * user's Rego policy has its `docs:` URL from the config, or '' (no page: outputs omit the link).
   */
  helpUri?: string;
}

/** The documentation link of a rule: its own `helpUri`, else its page among the built-in rules. */
export const ruleHelpUri = (def: Pick<RuleDefinition, 'id' | 'helpUri'>): string =>
  def.helpUri ?? helpUriFor(def.id);

/** What a check reports; paths are relative to the rule's target. */
export interface CheckResult {
  path?: string;
  /** Replaces the rule's message template when given (already interpolated). */
  message?: string;
  /** Extra template values for the rule's message. */
  data?: Record<string, string | number>;
  target?: 'key' | 'value';
  /** This result's severity when the user has not configured one for the rule. */
  severity?: Severity;
  /** Patch relative to the target, like a rule's own fix; null means this result has no fix. */
  fix?: { safety: 'safe' | 'unsafe'; patch: JsonPatchOp[] } | null;
  /**
   * Report this result under another active rule (e.g. `policy-error`), whose severity and category
   * apply; the result is dropped when that rule is not active.
   */
  ruleId?: string;
}

/** Facts about the run that checks may read. */
export interface EvalEnv {
  strict: boolean;
  ignoreMissingSchemas: boolean;
  schemas?: SchemaRegistry;
  /** Every resource of the run, for 'set'-scoped rules. */
  resources: readonly Resource[];
  /** Per-run memo for set-scoped rules (indexes built once per run). */
  memo: Map<string, unknown>;
  /** The pod-bearing kinds of the run: built-in, custom, from the config and from CRDs. */
  kinds: KindTable;
}

export interface CheckContext {
  object: KubeObject;
  resource: Resource;
  /** The value at the target pointer. */
  target: unknown;
  targetPath: string;
  /** Set when the target is a container. */
  container?: { name: string; list: string; index: number; resources?: readonly string[] };
  /** The pod spec of a podSpec target, or around a container target. */
  pod?: PodSpecAt;
  options: Record<string, unknown>;
  env: EvalEnv;
}

export type RuleFunction = (ctx: CheckContext) => CheckResult[];

/** The value a check receives as `target` for each rule target (run.ts guarantees the shape). */
export interface TargetValue {
  resource: KubeObject;
  podSpec: Record<string, unknown>;
  container: Record<string, unknown>;
  metadata: unknown;
}

/**
 * A check's context with `target` and `options` typed as its rule file declares them. Options
 * are the rule's defaults merged with the user's, validated against the rule's options schema
 * only when the user set some: a check still tolerates a missing or odd value.
 */
export interface TypedCheckContext<T extends RuleTarget, O extends object> extends Omit<
  CheckContext,
  'target' | 'options'
> {
  target: TargetValue[T];
  options: Readonly<Partial<O>>;
}

/** A built-in check: the function, and the target its rule YAML must declare. */
export type DeclaredRuleFunction = RuleFunction & { readonly target: RuleTarget };

/** No options (the default for {@link defineCheck}). */
export type NoOptions = Record<never, never>;

/**
 * Declare a rule's check function (src/rules/<category>/<id>.ts) with the target its YAML
 * declares (`target:`, default `resource`) and its options type. The engine hands a check the
 * value of its rule's target, so the typed view holds as long as the YAML and the declaration
 * agree, which the rule parity test (test/rules/rules.test.ts) asserts for every built-in rule.
 */
export function defineCheck<T extends RuleTarget, O extends object = NoOptions>(
  target: T,
  check: (ctx: TypedCheckContext<T, O>) => CheckResult[],
): DeclaredRuleFunction {
  // No wrapper: checks run once per container of every resource, so the function is used as is.
  return Object.assign(check as unknown as RuleFunction, { target });
}

/** The empty result, shared: checks allocate only when they report. Never mutated (frozen). */
export const NONE: CheckResult[] = Object.freeze([]) as unknown as CheckResult[];

/** A rule ready to run: definition, effective severity and options, and its evaluator. */
export interface CompiledRule {
  def: RuleDefinition;
  severity: Severity;
  /** True when configuration set the severity (it then wins over a check's per-result severity). */
  severityConfigured?: boolean;
  options: Record<string, unknown>;
  kinds?: Set<string>;
  excludeKinds?: Set<string>;
  /** Its match names PodLike: it also meets the custom pod-bearing kinds of the run. */
  podLike?: boolean;
  evaluate?: (ctx: CheckContext) => CheckResult[];
}
