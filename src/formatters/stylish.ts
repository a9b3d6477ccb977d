// The default human report: one `file:line:col  severity  message  rule-id` line per finding, a summary.
import type { Finding, Severity } from '../engine/types.js';
import type { FormatContext, Formatter } from './types.js';
import {
  byPosition,
  countFindings,
  displayPath,
  escapeControl,
  resourceLabel,
  SEVERITY_WORD,
  visibleFindings,
} from './shared.js';

type Style = (s: string) => string;

const ansi =
  (open: number, close: number): Style =>
  (s) =>
    `\u001b[${open}m${s}\u001b[${close}m`;

const STYLES = {
  underline: ansi(4, 24),
  dim: ansi(2, 22),
  bold: ansi(1, 22),
  red: ansi(31, 39),
  yellow: ansi(33, 39),
  blue: ansi(34, 39),
};
const plain: Style = (s) => s;

const SEVERITY_COLOUR: Readonly<Record<Severity, keyof typeof STYLES>> = {
  error: 'red',
  warn: 'yellow',
  info: 'blue',
};

interface Row {
  where: string;
  severity: Severity;
  message: string;
  ruleId: string;
}

/** One row per finding, in file and position order; located findings first. */
function rowsOf(findings: readonly Finding[], cwd: string): Row[] {
  const located = findings
    .filter((f) => f.location)
    .sort((a, b) =>
      a.location!.file < b.location!.file ? -1 : a.location!.file > b.location!.file ? 1 : byPosition(a, b),
    );
  const unlocated = findings.filter((f) => !f.location);
  return [...located, ...unlocated].map((f) => ({
    where: f.location
      ? `${escapeControl(displayPath(f.location.file, cwd))}:${f.location.start.line}:${f.location.start.column}`
      : `<resource ${escapeControl(resourceLabel(f.resource))}>`,
    severity: f.severity,
    message: escapeControl(f.message),
    ruleId: escapeControl(f.ruleId),
  }));
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The default report: one `file:line:col  severity  message  rule-id` line per finding (clickable in
 * terminals and editors), then a summary. Suppressed findings are not shown; a clean run prints one
 * line saying what was checked. Colours only when `ctx.color`.
 */
export const stylish: Formatter = (findings, ctx: FormatContext) => {
  const visible = visibleFindings(findings);
  const s = (name: keyof typeof STYLES): Style => (ctx.color ? STYLES[name] : plain);
  const checked = `${plural(ctx.resourcesLinted, 'resource')} in ${plural(ctx.filesLinted, 'file')}`;
  if (visible.length === 0) return `${s('bold')('\u2714 no problems')} (${checked})\n`;

  const rows = rowsOf(visible, ctx.cwd);
  const whereW = Math.max(...rows.map((r) => r.where.length));
  const wordW = Math.max(...rows.map((r) => SEVERITY_WORD[r.severity].length));
  const lines = rows.map((r) =>
    [
      s('dim')(r.where.padEnd(whereW)),
      s(SEVERITY_COLOUR[r.severity])(SEVERITY_WORD[r.severity].padEnd(wordW)),
      r.message,
      s('dim')(r.ruleId),
    ].join('  '),
  );
  const { errors, warnings, infos } = countFindings(visible);
  const summaryText =
    `\u2716 ${plural(visible.length, 'problem')} ` +
    `(${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${infos} info) in ${checked}`;
  const colour: keyof typeof STYLES = errors > 0 ? 'red' : warnings > 0 ? 'yellow' : 'blue';
  return `${lines.join('\n')}\n\n${s('bold')(s(colour)(summaryText))}\n`;
};
