/**
 * shipshape as a library. `lint(resources, options)` is the pure engine; `lintText` is the
 * convenience most callers want: text in, findings (with positions) out, bundled schemas and rules.
 */
import type { RuleSettings } from './engine/compile.js';
import type { Finding, Resource } from './engine/types.js';
import { openLinter } from './linter/linter.js';

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
export {
  formatters,
  formatNames,
  formatToString,
  type FormatContext,
  type Formatter,
} from './formatters/index.js';

export { openLinter, isCrd, type Linter, type LinterDeps, type LintOutcome } from './linter/linter.js';
export { resolveConfig, type ResolvedConfig } from './config/resolve.js';
export type { Config } from './config/config.js';

export interface LintTextOptions extends RuleSettings {
  kubernetesVersion?: string;
  strict?: boolean;
  ignoreMissingSchemas?: boolean;
}

/** Parse one file's text and lint it with the bundled schemas and built-in rules (no config file is read). */
export async function lintText(
  file: string,
  text: string,
  options: LintTextOptions = {},
): Promise<{ findings: Finding[]; resources: Resource[] }> {
  const linter = await openLinter(options, { baseDir: process.cwd() });
  return linter.lintSources([{ file, text }]);
}
