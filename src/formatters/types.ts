// The contract every output formatter implements: findings in, one string out, no I/O.
import type { Category, Finding, Severity } from '../engine/types.js';

/** Rule metadata a formatter may need (SARIF embeds it in `tool.driver.rules`). */
export interface RuleMeta {
  id: string;
  /**
   * One sentence starting with Disallow / Require / Enforce (what a manifest may contain), or Report
   * (problems of the input itself: syntax, unknown schemas, references the linted files do not resolve).
   */
  description: string;
  category: Category;
  /** The rule's default severity (before config overrides). */
  severity: Severity;
  helpUri: string;
  /** Why the problem matters. */
  why?: string;
  /** What to do about it. */
  remediation?: string;
}

/** Everything a formatter knows besides the findings. Built by the CLI. */
export interface FormatContext {
  /**
   * Directory that file paths are printed relative to. Paths in findings may be absolute or relative
   * (relative ones are taken as relative to `cwd` already).
   */
  cwd: string;
  /** Emit ANSI colours (only `stylish` uses it); the CLI turns it on for TTYs only. */
  color: boolean;
  /** Metadata for every rule that appears in the findings. Missing entries are tolerated. */
  rules: ReadonlyMap<string, RuleMeta>;
  /** shipshape's own version, for reports that name the tool. */
  toolVersion: string;
  /** Number of files read, for summaries. */
  filesLinted: number;
  /** Number of resources linted, for summaries. */
  resourcesLinted: number;
}

/**
 * A pure function from findings to the complete text of a report. It never throws on well-typed
 * input, never reads the clock or the file system, and returns the same string for the same input.
 */
export type Formatter = (findings: readonly Finding[], ctx: FormatContext) => string;
