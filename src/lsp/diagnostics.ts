/** Findings → LSP diagnostics and hover text (pure; plain LSP JSON shapes, no runtime import of the protocol library). */
import type { Diagnostic, Position, Range } from 'vscode-languageserver';
import type { RuleDefinition } from '../engine/rule.js';
import type { Finding, Pos, Severity } from '../engine/types.js';

/** LSP DiagnosticSeverity for each finding severity (Error 1, Warning 2, Information 3). */
export const LSP_SEVERITY: Readonly<Record<Severity, 1 | 2 | 3>> = { error: 1, warn: 2, info: 3 };

/** Diagnostics published per document when the client does not set `maxDiagnostics`. */
export const DEFAULT_MAX_DIAGNOSTICS = 1000;

/** Code of the information diagnostic that stands for the findings over the cap. */
export const MAX_DIAGNOSTICS_CODE = 'max-diagnostics';

/** What hover and code-action titles need of a rule (the part of its definition sent from the lint worker). */
export type RuleInfo = Pick<RuleDefinition, 'id' | 'why' | 'remediation'> & {
  fix?: { description?: string };
};

/** Rules whose findings are about deprecated or removed API versions, tagged `Deprecated` (2). */
const DEPRECATION_RULES = new Set(['deprecated-api', 'removed-api']);

/** Sent in `Diagnostic.data`, echoed back by clients in code-action requests. */
export interface DiagnosticData {
  /** Document version the diagnostic was computed for. */
  version: number;
  /** Index of the finding in that lint's published list. */
  index: number;
}

/** 1-based engine position → 0-based LSP position (both count UTF-16 code units). */
export const toPosition = (p: Pos): Position => ({
  line: Math.max(0, p.line - 1),
  character: Math.max(0, p.column - 1),
});

/** The diagnostic for a finding that has a location. */
export function toDiagnostic(f: Finding, data: DiagnosticData): Diagnostic {
  const loc = f.location!;
  const d: Diagnostic = {
    range: { start: toPosition(loc.start), end: toPosition(loc.end) },
    severity: LSP_SEVERITY[f.severity],
    code: f.ruleId,
    ...(f.helpUri ? { codeDescription: { href: f.helpUri } } : {}),
    source: 'shipshape',
    message: f.message,
    data,
  };
  if (DEPRECATION_RULES.has(f.ruleId)) d.tags = [2];
  return d;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warn: 1, info: 2 };

/**
 * At most `max` findings, the most severe first (all errors before any warning), kept in their
 * original (document) order; `hidden` counts the others.
 */
export function capFindings<F extends Pick<Finding, 'severity'>>(
  findings: readonly F[],
  max: number,
): { kept: F[]; hidden: number } {
  if (findings.length <= max) return { kept: [...findings], hidden: 0 };
  // One pass per severity, most severe first, until the cap is reached.
  const kept: number[] = [];
  for (const rank of [0, 1, 2])
    for (let i = 0; i < findings.length && kept.length < max; i++)
      if (SEVERITY_RANK[findings[i]!.severity] === rank) kept.push(i);
  kept.sort((a, b) => a - b);
  return { kept: kept.map((i) => findings[i]!), hidden: findings.length - kept.length };
}

/** The last diagnostic of a capped document: how many findings are not shown, and how to see them. */
export function summaryDiagnostic(hidden: number, max: number): Diagnostic {
  const n = hidden.toLocaleString('en-US');
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 3,
    code: MAX_DIAGNOSTICS_CODE,
    source: 'shipshape',
    message:
      `${n} more shipshape ${hidden === 1 ? 'problem is' : 'problems are'} not shown: the editor shows at most ` +
      `${max.toLocaleString('en-US')} per document (setting shipshape.maxDiagnostics). ` +
      'Run `shipshape lint` on the file to see them all.',
  };
}

const before = (a: Position, b: Position) =>
  a.line < b.line || (a.line === b.line && a.character <= b.character);

/** Whether `pos` lies in `range` (both ends included, so a hover at the end of a word still counts). */
export const inRange = (range: Range, pos: Position): boolean =>
  before(range.start, pos) && before(pos, range.end);

const SEVERITY_WORD: Readonly<Record<Severity, string>> = { error: 'error', warn: 'warning', info: 'info' };

/** Markdown for a hover over one or more findings: what is wrong, why it matters, what to do. */
export function hoverMarkdown(findings: readonly Finding[], defs: ReadonlyMap<string, RuleInfo>): string {
  return findings
    .map((f) => {
      const def = defs.get(f.ruleId);
      const lines = [`**${f.ruleId}** (${SEVERITY_WORD[f.severity]}): ${f.message}`];
      if (def) {
        lines.push('', `**Why:** ${def.why.trim()}`, '', `**Fix:** ${def.remediation.trim()}`);
      }
      if (f.fix) lines.push('', `An automatic fix is available (${f.fix.safety}): use the quick fix.`);
      if (f.helpUri) lines.push('', `[Rule documentation](${f.helpUri})`);
      return lines.join('\n');
    })
    .join('\n\n---\n\n');
}
