/**
 * Inline suppression comments in manifests:
 *   # shipshape-disable-next-line rule-a, rule-b -- reason
 *   key: value # shipshape-disable-line rule-a -- reason
 *   # shipshape-disable rule-a -- reason   …   # shipshape-enable rule-a
 *   # shipshape-disable-file rule-a -- reason
 * Without rule ids a directive covers every rule.
 */

export type DirectiveKind = 'next-line' | 'line' | 'disable' | 'enable' | 'file';

export interface Directive {
  kind: DirectiveKind;
  /** Rule ids, or undefined for every rule. */
  rules?: string[];
  justification?: string;
  /** 1-based position of the comment. */
  line: number;
  column: number;
  endColumn: number;
  /** For next-line: the line it applies to (the next line that is not blank or a comment). */
  target?: number;
}

const DIRECTIVE = /#\s*shipshape-(disable-next-line|disable-line|disable-file|disable|enable)\b([^\n]*)/;

/** Find every directive in a file's text (cheap when the text has none). */
export function scanDirectives(text: string): Directive[] {
  if (!text.includes('shipshape-')) return [];
  const lines = text.split(/\r?\n/);
  const out: Directive[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = DIRECTIVE.exec(line);
    if (!m) continue;
    // The '#' must start a comment: at line start or after whitespace (not inside a quoted value).
    if (m.index > 0 && !/\s/.test(line[m.index - 1]!)) continue;
    const [body = '', justification] = m[2]!.split(/\s--\s?/, 2);
    const rules = body
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const kind = (
      {
        'disable-next-line': 'next-line',
        'disable-line': 'line',
        'disable-file': 'file',
        disable: 'disable',
        enable: 'enable',
      } as const
    )[m[1] as 'disable-next-line' | 'disable-line' | 'disable-file' | 'disable' | 'enable'];
    const d: Directive = {
      kind,
      rules: rules.length > 0 ? rules : undefined,
      justification: justification?.trim() || undefined,
      line: i + 1,
      column: m.index + 1,
      endColumn: line.length + 1,
    };
    if (kind === 'next-line') {
      let t = i + 1;
      while (t < lines.length && /^\s*(#.*)?$/.test(lines[t]!)) t++;
      d.target = t + 1;
    }
    out.push(d);
  }
  return out;
}

const covers = (d: Directive, ruleId: string) => d.rules === undefined || d.rules.includes(ruleId);

/**
 * Which directive (if any) suppresses a finding of `ruleId` at `line`. Ranges open with `disable`
 * and close with the next `enable` covering the rule.
 */
export function matchDirective(
  directives: readonly Directive[],
  ruleId: string,
  line: number,
): Directive | undefined {
  let open: Directive | undefined;
  for (const d of directives) {
    if (!covers(d, ruleId)) continue;
    if (d.kind === 'file') return d;
    if (d.kind === 'line' && d.line === line) return d;
    if (d.kind === 'next-line' && d.target === line) return d;
    if (d.line > line) continue;
    if (d.kind === 'disable') open = d;
    else if (d.kind === 'enable') open = undefined;
  }
  return open;
}
