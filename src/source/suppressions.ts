/**
 * One suppression hook for the engine: config exemptions (always honoured), then, unless in-manifest
 * configuration is forbidden, annotations on the object and inline comment directives. It also
 * reports directives that suppressed nothing.
 */
import { annotationSuppression, type AliasTable } from '../engine/suppress.js';
import { helpUriFor, type Finding, type Resource, type Suppression } from '../engine/types.js';
import { matchDirective, scanDirectives, type Directive } from './directives.js';

export type SuppressHook = (finding: Finding, resource: Resource | undefined) => Suppression | undefined;

export interface SuppressorOptions {
  /** Config exemptions (src/config/exemptions.ts). */
  exemptions?: SuppressHook;
  /** Allow annotations and comments in manifests to suppress findings (default true). */
  inline: boolean;
  aliases: AliasTable;
}

export class Suppressor {
  private readonly directives = new Map<string, Directive[]>();
  private readonly used = new Set<Directive>();

  constructor(private readonly o: SuppressorOptions) {}

  /** Record a file's directives (call for every file read, with its text). */
  addFile(file: string, text: string): void {
    if (!this.o.inline) return;
    const ds = scanDirectives(text);
    if (ds.length > 0) this.directives.set(file, ds);
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
    const ds = loc && this.directives.get(loc.file);
    if (!ds) return undefined;
    const d = matchDirective(ds, finding.ruleId, loc.start.line);
    if (!d) return undefined;
    this.used.add(d);
    return { kind: 'inline', justification: d.justification };
  };

  /** Findings for disable directives that suppressed nothing (`--report-unused-disable-directives`). */
  unusedDirectives(severity: Finding['severity'] = 'warn'): Finding[] {
    const out: Finding[] = [];
    for (const [file, ds] of this.directives) {
      for (const d of ds) {
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
