// GitHub Actions workflow commands: each finding becomes an annotation on the pull request.
// Syntax and escaping: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import type { Finding, Severity } from '../engine/types.js';
import type { FormatContext, Formatter } from './types.js';
import { relativePath, resourceLabel, STDIN_FILE } from './shared.js';

const COMMAND: Readonly<Record<Severity, string>> = { error: 'error', warn: 'warning', info: 'notice' };

/** Escape a command's data (the part after `::`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value: like data, plus `:` and `,`, which delimit properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(f: Finding, cwd: string): string {
  const props: [string, string | number][] = [];
  const loc = f.location;
  // Stdin has no file in the repository to attach to; the annotation then belongs to the run.
  if (loc && loc.file !== STDIN_FILE) {
    props.push(
      ['file', relativePath(loc.file, cwd)],
      ['line', loc.start.line],
      ['col', loc.start.column],
      ['endLine', loc.end.line],
      ['endColumn', loc.end.column],
    );
  }
  // Without a file (a live object of `audit`), the title names the object and the pointer.
  props.push(['title', loc ? f.ruleId : `${f.ruleId}: ${resourceLabel(f.resource)} ${f.path || '/'}`]);
  const rendered = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${COMMAND[f.severity]} ${rendered}::${escapeData(f.message)}`;
}

/**
 * One `::error|warning|notice …::message` line per unsuppressed finding (empty output when none).
 * Files are relative to `ctx.cwd`, which should be the repository root for the links to work.
 */
export const github: Formatter = function* (findings, ctx: FormatContext) {
  for (const f of findings) if (f.suppressed === undefined) yield `${annotation(f, ctx.cwd)}\n`;
};
