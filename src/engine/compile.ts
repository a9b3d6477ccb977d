/** Turn rule definitions plus user settings into the active, ready-to-run rule set. */
import { expandKinds } from './kinds.js';
import { RULE_FUNCTIONS } from '../rules/registry.generated.js';
import type { CheckResult, CompiledRule, RuleDefinition, RuleFunction } from './rule.js';
import type { Severity } from './types.js';
import { isRe2Pattern } from './regex.js';
import { suggest, validateSchema, type SchemaNode } from '../schema/validate.js';

/** A rule's setting in config: a severity, 'off', or severity plus options. */
export type RuleSetting =
  Severity | 'off' | { severity?: Severity | 'off'; options?: Record<string, unknown> };

export interface RuleSettings {
  /** Presets to enable; default ['recommended']. 'all' enables every rule. */
  presets?: string[];
  rules?: Record<string, RuleSetting>;
}

/** A bad rule setting or rule definition; the CLI reports it with exit code 2. */
export class RuleConfigError extends Error {}

/** Every preset named by some rule, with its rule ids (computed, never hand-listed). */
export function presetsOf(defs: readonly RuleDefinition[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of defs) for (const p of d.presets) out.set(p, [...(out.get(p) ?? []), d.id]);
  out.set(
    'all',
    defs.map((d) => d.id),
  );
  return out;
}

export interface CompileDeps {
  /** Extra functions (tests, plugins); the built-in ones (src/rules/registry.generated.ts) are always available. */
  functions?: Readonly<Record<string, RuleFunction>>;
  /** Builds the evaluator of a `rego` check (wired by the policy layer). */
  rego?: (
    def: RuleDefinition,
    options: Record<string, unknown>,
  ) => (ctx: Parameters<RuleFunction>[0]) => CheckResult[];
}

type AjvLike = {
  compile(schema: object): ((data: unknown) => boolean) & {
    errors?: Array<{ instancePath: string; keyword: string; message?: string }> | null;
  };
};

/** Compile the active rules. Unknown rule ids, presets or functions are errors that name the culprit. */
export async function compileRules(
  defs: readonly RuleDefinition[],
  settings: RuleSettings = {},
  deps: CompileDeps = {},
): Promise<CompiledRule[]> {
  const byId = new Map(defs.map((d) => [d.id, d]));
  const presets = presetsOf(defs);
  const enabled = new Set<string>();
  for (const p of settings.presets ?? ['recommended']) {
    const ids = presets.get(p);
    if (!ids) {
      const hint = suggest(p, presets.keys());
      throw new RuleConfigError(
        `unknown preset "${p}"${hint ? ` (did you mean "${hint}"?)` : ''}; presets: ${[...presets.keys()].sort().join(', ')}`,
      );
    }
    ids.forEach((id) => enabled.add(id));
  }
  const severities = new Map<string, Severity>();
  const optionsOf = new Map<string, Record<string, unknown>>();
  for (const [id, setting] of Object.entries(settings.rules ?? {})) {
    if (!byId.has(id)) {
      const hint = suggest(id, byId.keys());
      throw new RuleConfigError(`unknown rule "${id}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
    const sev = typeof setting === 'string' ? setting : setting.severity;
    if (sev === 'off') enabled.delete(id);
    else {
      enabled.add(id);
      if (sev) severities.set(id, sev);
    }
    if (typeof setting === 'object' && setting.options) optionsOf.set(id, setting.options);
  }

  const functions: Readonly<Record<string, RuleFunction>> = { ...RULE_FUNCTIONS, ...deps.functions };
  const active = defs.filter((d) => enabled.has(d.id));
  const needsAjv = active.some((d) => optionsOf.has(d.id) && d.options?.schema);
  const ajv = needsAjv ? await loadAjv() : undefined;

  return active.map((def): CompiledRule => {
    const options = { ...def.options?.defaults, ...optionsOf.get(def.id) };
    if (optionsOf.has(def.id) && def.options?.schema && ajv) {
      const v = ajv.compile(def.options.schema);
      if (!v(options)) {
        // With anyOf, the most specific error (deepest path, not the combinator itself) reads best.
        const errs = (v.errors ?? []).filter((x) => x.keyword !== 'anyOf');
        const e = errs.sort((a, b) => b.instancePath.length - a.instancePath.length)[0] ?? v.errors?.[0];
        throw new RuleConfigError(
          `rule "${def.id}": invalid options${e ? ` at ${e.instancePath || '(root)'}: ${e.message}` : ''}`,
        );
      }
    }
    const rule: CompiledRule = {
      def,
      severity: severities.get(def.id) ?? def.severity,
      severityConfigured: severities.has(def.id),
      options,
      kinds: def.match?.kinds ? expandKinds(def.match.kinds) : undefined,
      excludeKinds: def.match?.excludeKinds ? expandKinds(def.match.excludeKinds) : undefined,
      // Rego policies read the built-in kinds' paths themselves: custom kinds are not theirs.
      podLike: def.match?.kinds?.includes('PodLike') === true && !('rego' in def.check),
    };
    const check = def.check;
    if ('function' in check) {
      const fn = functions[check.function];
      if (!fn) throw new RuleConfigError(`rule "${def.id}": unknown check function "${check.function}"`);
      rule.evaluate = fn;
    } else if ('schema' in check) {
      const problem = schemaProblem(check.schema, '');
      if (problem) throw new RuleConfigError(`rule "${def.id}": check.schema${problem}`);
      rule.evaluate = schemaCheck(check.schema);
    } else if ('rego' in check) {
      if (!deps.rego) throw new RuleConfigError(`rule "${def.id}": Rego checks need the policy engine`);
      rule.evaluate = deps.rego(def, options);
    }
    return rule;
  });
}

async function loadAjv(): Promise<AjvLike> {
  const { Ajv } = await import('ajv');
  const ajv = new Ajv({ allErrors: true, strict: false });
  // Options that hold regular expressions declare `format: regex`, so a bad one is a config error.
  // They run on RE2 (linear time, Go syntax, as in OPA), so RE2 decides what is valid.
  ajv.addFormat('regex', isRe2Pattern);
  return ajv;
}

/**
 * A `check: { schema }` rule: the target must match the schema (it describes what is good); a
 * mismatch is one finding at the first offending field. Evaluated by the same schema walker as the
 * Kubernetes schemas (no compile step, null means absent), with objects open as in JSON Schema.
 */
function schemaCheck(schema: SchemaNode): RuleFunction {
  // Rules' schemas ship with shipshape: their patterns are reviewed, native RegExp is fine.
  const options = {
    strict: false,
    redact: true,
    resolve: () => undefined,
    trustedPatterns: true,
    jsonSchema: true,
  };
  return (ctx) => {
    const errors = validateSchema(ctx.target, schema, options);
    return errors.length === 0 ? [] : [{ path: errors[0]!.path }];
  };
}

const TYPES = ['string', 'integer', 'number', 'boolean', 'array', 'object'];
const NUMBER_KEYWORDS = [
  'minimum',
  'maximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
] as const;

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const isSchemaObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The first thing in a rule's `check.schema` the schema walker cannot evaluate as JSON Schema
 * defines it (`/properties/x: must be a schema …`, the pointer into the schema first), or
 * undefined. Booleans are schemas; `$ref` is not supported (a rule's schema has no definitions).
 */
export function schemaProblem(schema: unknown, at: string, depth = 0): string | undefined {
  if (typeof schema === 'boolean') return undefined;
  if (!isSchemaObject(schema))
    return `${at}: must be a schema (an object, true or false), got ${kindOf(schema)}`;
  if (depth > 64) return `${at}: is nested more than 64 levels deep`;
  const sub = (v: unknown, p: string) => schemaProblem(v, p, depth + 1);
  if (schema.$ref !== undefined)
    return `${at}/$ref: is not supported in a rule schema (write the schema inline)`;
  const t = schema.type;
  if (t !== undefined && (typeof t !== 'string' || !TYPES.includes(t)))
    return `${at}/type: must be one of ${TYPES.join(', ')}, got ${typeof t === 'string' ? JSON.stringify(t) : kindOf(t)}`;
  if (schema.properties !== undefined) {
    if (!isSchemaObject(schema.properties))
      return `${at}/properties: must be an object mapping field names to schemas, got ${kindOf(schema.properties)}`;
    for (const [k, v] of Object.entries(schema.properties)) {
      const p = sub(v, `${at}/properties/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      if (p) return p;
    }
  }
  for (const k of ['additionalProperties', 'items', 'not'] as const) {
    if (schema[k] === undefined) continue;
    const p = sub(schema[k], `${at}/${k}`);
    if (p) return p;
  }
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[k];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0)
      return `${at}/${k}: must be a non-empty list of schemas, got ${Array.isArray(list) ? 'an empty list' : kindOf(list)}`;
    for (let i = 0; i < list.length; i++) {
      const p = sub(list[i], `${at}/${k}/${i}`);
      if (p) return p;
    }
  }
  const req = schema.required;
  if (req !== undefined && (!Array.isArray(req) || !req.every((r) => typeof r === 'string')))
    return `${at}/required: must be a list of field names, got ${kindOf(req)}`;
  if (schema.enum !== undefined && !Array.isArray(schema.enum))
    return `${at}/enum: must be a list of values, got ${kindOf(schema.enum)}`;
  for (const k of NUMBER_KEYWORDS)
    if (schema[k] !== undefined && typeof schema[k] !== 'number')
      return `${at}/${k}: must be a number, got ${kindOf(schema[k])}`;
  for (const k of ['format', 'pattern'] as const)
    if (schema[k] !== undefined && typeof schema[k] !== 'string')
      return `${at}/${k}: must be a string, got ${kindOf(schema[k])}`;
  if (typeof schema.pattern === 'string') {
    try {
      new RegExp(schema.pattern, 'u');
    } catch (err) {
      return `${at}/pattern: must be a valid regular expression: ${(err as Error).message}`;
    }
  }
  return undefined;
}
