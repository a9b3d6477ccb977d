/**
 * One suppression hook for the engine: config exemptions (always honoured), then, unless in-manifest
 * configuration is forbidden, annotations on the object and inline comment directives. It also
 * reports directives that suppressed nothing.
 */
import { annotationSuppression, type AliasTable } from '../engine/suppress.js';
import { helpUriFor, type Finding, type Resource, type Suppression } from '../engine/types.js';
import { scanDirectives, type Directive } from './directives.js';

export type SuppressHook = (finding: Finding, resource: Resource | undefined) => Suppression | undefined;

export interface SuppressorOptions {
  /** Config exemptions (src/config/exemptions.ts). */
  exemptions?: SuppressHook;
  /** Allow annotations and comments in manifests to suppress findings (default true). */
  inline: boolean;
  aliases: AliasTable;
}

/**
 * A file's directives, indexed so that a finding looks at a few of them, not all (a generated
 * file may hold thousands, and meet hundreds of thousands of findings). Decides as
 * `matchDirective` does (src/source/directives.ts): of the `disable-file` directives, the
 * `disable-line` ones on the finding's line and the `disable-next-line` ones aimed at it, the
 * first in the file that covers the rule wins; else the last `disable`/`enable` covering the rule
 * at or above the line, when it is a `disable`.
 */
class DirectiveIndex {
  /** `disable-file`, `disable-line` and `disable-next-line` directives by the line they act on (0: every line). */
  private readonly at = new Map<number, Directive[]>();
  /** `disable`/`enable` directives for every rule, and per rule id; in file order. */
  private readonly rangesAll: Directive[] = [];
  private readonly rangesOf = new Map<string, Directive[]>();
  /** Per rule: its range directives merged with those for every rule (built on first use). */
  private readonly merged = new Map<string, Directive[]>();

  constructor(
    readonly all: readonly Directive[],
    private readonly stats: DirectiveStats,
  ) {
    for (const d of all) {
      if (d.kind === 'disable' || d.kind === 'enable') {
        if (!d.rules) this.rangesAll.push(d);
        else
          for (const r of new Set(d.rules)) {
            const list = this.rangesOf.get(r);
            if (list) list.push(d);
            else this.rangesOf.set(r, [d]);
          }
        continue;
      }
      const line = d.kind === 'file' ? 0 : d.kind === 'line' ? d.line : (d.target ?? -1);
      const list = this.at.get(line);
      if (list) list.push(d);
      else this.at.set(line, [d]);
    }
  }

  private rangesFor(ruleId: string): Directive[] {
    let list = this.merged.get(ruleId);
    if (!list) {
      const own = this.rangesOf.get(ruleId) ?? [];
      list = [...this.rangesAll, ...own].sort((a, b) => a.line - b.line);
      this.merged.set(ruleId, list);
    }
    return list;
  }

  match(ruleId: string, line: number): Directive | undefined {
    this.stats.findings++;
    const covers = (d: Directive) => {
      this.stats.consulted++;
      return d.rules === undefined || d.rules.includes(ruleId);
    };
    let best: Directive | undefined;
    for (const key of [0, line])
      for (const d of this.at.get(key) ?? []) if ((!best || d.line < best.line) && covers(d)) best = d;
    if (best) return best;
    // The last range directive at or above the line (binary search), when it opens a range.
    const ranges = this.rangesFor(ruleId);
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid]!.line <= line) lo = mid + 1;
      else hi = mid;
    }
    const last = lo > 0 ? ranges[lo - 1]! : undefined;
    if (last) this.stats.consulted++;
    return last?.kind === 'disable' ? last : undefined;
  }
}

/** How much work directive lookups have done (for tests). */
export interface DirectiveStats {
  /** Findings looked up in a file that has directives. */
  findings: number;
  /** Directives examined for them. */
  consulted: number;
}

export class Suppressor {
  private readonly directives = new Map<string, DirectiveIndex>();
  private readonly used = new Set<Directive>();
  readonly stats: DirectiveStats = { findings: 0, consulted: 0 };

  constructor(private readonly o: SuppressorOptions) {}

  /** Record a file's directives (call for every file read, with its text). */
  addFile(file: string, text: string): void {
    if (!this.o.inline) return;
    const ds = scanDirectives(text);
    if (ds.length > 0) this.directives.set(file, new DirectiveIndex(ds, this.stats));
  }

  readonly hook: SuppressHook = (finding, resource) => {
    const ex = this.o.exemptions?.(finding, resource);
    if (ex) return ex;
    if (!this.o.inline) return undefined;
    if (resource) {
      const a = annotationSuppression(finding, resource.object, this.o.aliases);
      if (a) return a;
    }
    const loc = finding.location;
    const index = loc && this.directives.get(loc.file);
    if (!index) return undefined;
    const d = index.match(finding.ruleId, loc.start.line);
    if (!d) return undefined;
    this.used.add(d);
    return { kind: 'inline', justification: d.justification };
  };

  /** Findings for disable directives that suppressed nothing (`--report-unused-disable-directives`). */
  unusedDirectives(severity: Finding['severity'] = 'warn'): Finding[] {
    const out: Finding[] = [];
    for (const [file, index] of this.directives) {
      for (const d of index.all) {
        if (d.kind === 'enable' || this.used.has(d)) continue;
        out.push({
          ruleId: 'unused-disable-directive',
          severity,
          category: 'hygiene',
          message: `Unused shipshape-${d.kind === 'next-line' ? 'disable-next-line' : d.kind === 'line' ? 'disable-line' : d.kind === 'file' ? 'disable-file' : 'disable'} directive${d.rules ? ` (no ${d.rules.join(', ')} finding to suppress)` : ' (nothing to suppress)'}.`,
          resource: { apiVersion: '', kind: '' },
          path: '',
          location: {
            file,
            document: 0,
            start: { line: d.line, column: d.column },
            end: { line: d.line, column: d.endColumn },
          },
          helpUri: helpUriFor('unused-disable-directive'),
        });
      }
    }
    return out;
  }
}
