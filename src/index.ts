/**
 * shipshape as a library. `lint(resources, options)` is the pure engine; `lintText` is the
 * convenience most callers want: text in, findings (with positions) out, bundled schemas and rules.
 */
import { compileRules, type RuleSettings } from './engine/compile.js';
import { lint } from './engine/run.js';
import type { Finding, Resource } from './engine/types.js';
import { builtinRules } from './rules/builtin.js';
import { bundledSchemas } from './schema/bundled.js';
import { SchemaRegistry } from './schema/registry.js';
import { parseSource } from './source/parse.js';
import { policyDeps } from './policy/setup.js';

export * from './engine/types.js';
export type { RuleDefinition, CompiledRule, RuleFunction, CheckContext, CheckResult } from './engine/rule.js';
export { lint, type LintOptions } from './engine/run.js';
export {
  compileRules,
  presetsOf,
  RuleConfigError,
  type RuleSettings,
  type RuleSetting,
} from './engine/compile.js';
export { parseSource, type ParseResult } from './source/parse.js';
export { SchemaRegistry, normalizeKubernetesVersion } from './schema/registry.js';
export { bundledSchemas } from './schema/bundled.js';
export { builtinRules } from './rules/builtin.js';
export { formatters, formatNames, type FormatContext, type Formatter } from './formatters/index.js';

export interface LintTextOptions extends RuleSettings {
  kubernetesVersion?: string;
  strict?: boolean;
  ignoreMissingSchemas?: boolean;
}

/** Parse one file's text and lint it with the bundled schemas and built-in rules. */
export async function lintText(
  file: string,
  text: string,
  options: LintTextOptions = {},
): Promise<{ findings: Finding[]; resources: Resource[] }> {
  const { resources, problems } = parseSource(file, text);
  const schemas = new SchemaRegistry(bundledSchemas(), options.kubernetesVersion);
  for (const r of resources) if (r.object.kind === 'CustomResourceDefinition') schemas.registerCrd(r.object);
  const settings = { presets: options.presets, rules: options.rules };
  const rules = await compileRules(builtinRules(), settings, policyDeps(settings));
  const findings = lint(resources, {
    rules,
    schemas,
    strict: options.strict,
    ignoreMissingSchemas: options.ignoreMissingSchemas,
    problems,
  });
  return { findings, resources };
}
