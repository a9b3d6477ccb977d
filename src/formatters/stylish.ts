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

/** Located findings in file and position order, then those without a location in input order. */
function displayOrder(findings: readonly Finding[]): Finding[] {
  const located = findings
    .filter((f) => f.location)
    .sort((a, b) =>
      a.location!.file < b.location!.file ? -1 : a.location!.file > b.location!.file ? 1 : byPosition(a, b),
    );
  for (const f of findings) if (!f.location) located.push(f);
  return located;
}

/**
 * `file:line:col`, or `<resource Kind/ns/name> /json/pointer` (live objects have no file), escaped. Findings come grouped by file, so the
 * display form of the last file is all that is worth remembering.
 */
function whereOf(cwd: string): (f: Finding) => string {
  let lastFile: string | undefined;
  let lastShown = '';
  return (f) => {
    const loc = f.location;
    if (!loc)
      return `<resource ${escapeControl(resourceLabel(f.resource))}>${f.path ? ` ${escapeControl(f.path)}` : ''}`;
    if (loc.file !== lastFile) {
      lastFile = loc.file;
      lastShown = escapeControl(displayPath(loc.file, cwd));
    }
    return `${lastShown}:${loc.start.line}:${loc.start.column}`;
  };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The default report: one `file:line:col  severity  message  rule-id` line per finding (clickable in
 * terminals and editors), then a summary. Suppressed findings are not shown; a clean run prints one
 * line saying what was checked. Colours only when `ctx.color`. Columns are aligned over the whole
 * report, so the widths are measured in a first pass and each line is built as it is yielded.
 */
export const stylish: Formatter = function* (findings, ctx: FormatContext) {
  const visible = visibleFindings(findings);
  const s = (name: keyof typeof STYLES): Style => (ctx.color ? STYLES[name] : plain);
  const skipped = ctx.filesSkipped
    ? `; ${plural(ctx.filesSkipped, 'file')} skipped as not manifests, --verbose lists them`
    : '';
  const checked = `${plural(ctx.resourcesLinted, 'resource')} in ${ctx.checked ?? plural(ctx.filesLinted, 'file')}${skipped}`;
  if (visible.length === 0) {
    yield `${s('bold')('\u2714 no problems')} (${checked})\n`;
    return;
  }

  const ordered = displayOrder(visible);
  let where = whereOf(ctx.cwd);
  let whereW = 0;
  let wordW = 0;
  for (const f of ordered) {
    whereW = Math.max(whereW, where(f).length);
    wordW = Math.max(wordW, SEVERITY_WORD[f.severity].length);
  }
  where = whereOf(ctx.cwd);
  for (const f of ordered) {
    const line = [
      s('dim')(where(f).padEnd(whereW)),
      s(SEVERITY_COLOUR[f.severity])(SEVERITY_WORD[f.severity].padEnd(wordW)),
      escapeControl(f.message),
      s('dim')(escapeControl(f.ruleId)),
    ].join('  ');
    yield `${line}\n`;
  }
  const { errors, warnings, infos } = countFindings(visible);
  const summaryText =
    `\u2716 ${plural(visible.length, 'problem')} ` +
    `(${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${infos} info) in ${checked}`;
  const colour: keyof typeof STYLES = errors > 0 ? 'red' : warnings > 0 ? 'yellow' : 'blue';
  yield `\n${s('bold')(s(colour)(summaryText))}\n`;
};
