// The contract every output formatter implements: findings in, the report's text out in chunks, no I/O.
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
  /** Number of files a directory walk left out as not manifests, for summaries (default 0). */
  filesSkipped?: number;
  /**
   * What was checked when it was not files (an audit: `cluster context "x", all namespaces`); the
   * summaries then name it instead of the file count.
   */
  checked?: string;
}

/**
 * A pure function from findings to the text of a report, given as a sequence of chunks whose
 * concatenation is the report (a sync generator, read once). Chunks are produced as they are read,
 * so a report of a million findings never has to exist as one string: the CLI writes each batch
 * as it comes, and `formatToString` joins them for small reports. A formatter never throws on
 * well-typed input, never reads the clock or the file system, and yields the same text for the
 * same input. The findings must not change while the chunks are being read.
 */
export type Formatter = (findings: readonly Finding[], ctx: FormatContext) => Iterable<string>;
