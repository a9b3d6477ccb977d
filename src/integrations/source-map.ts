/**
 * Map findings on rendered manifests (helm template / kustomize build output) back to the files
 * they came from: the `# Source:` comment Helm writes atop each document names the template; the
 * line is found by looking for the finding's keys in that template. Pure apart from reading files
 * through the given `read` function.
 */
import type { Finding, Location, Pos } from '../engine/types.js';
import { splitDocuments } from '../source/documents.js';
import { decodeToken } from '../engine/k8s/pointer.js';

const SOURCE_COMMENT = /^#\s*Source:\s*(\S.*?)\s*$/m;

/** For each 1-based document of a rendered stream, the `# Source:` path Helm recorded (if any). */
export function sourcesOfDocuments(text: string): Map<number, string> {
  const out = new Map<number, string>();
  splitDocuments(text).forEach((span, k) => {
    const m = SOURCE_COMMENT.exec(text.slice(span.start, span.end));
    if (m) out.set(k + 1, m[1]!);
  });
  return out;
}

/** True when the text carries Helm's `# Source:` comments. */
export const hasSourceComments = (text: string): boolean => SOURCE_COMMENT.test(text);

/** Where a finding was found in a template, and whether the line is exact. */
export interface TemplatePosition {
  start: Pos;
  end: Pos;
  /** True when every key of the finding's path was found, in order and nested, in the template. */
  exact: boolean;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Locate a JSON pointer in template text by its mapping keys: each key is searched below the
 * previous one, at a deeper indentation, inside that key's block. Sequence indexes are skipped
 * (templates often generate items with `range`). Falls back to the deepest key found, then to the
 * first line.
 */
export function locateInTemplate(template: string, pointer: string): TemplatePosition {
  const segs =
    pointer === ''
      ? []
      : pointer
          .slice(1)
          .split('/')
          .map(decodeToken)
          .filter((k) => k !== '-');
  const lines = template.split('\n');
  const indentOf = (line: string) => /^\s*/.exec(line)![0].length;
  /** A content line that closes the block of a key at `parentIndent` (template actions and comments do not). */
  const leaves = (line: string, parentIndent: number) => {
    const t = line.trim();
    return (
      parentIndent >= 0 &&
      t !== '' &&
      !t.startsWith('{{') &&
      !t.startsWith('#') &&
      indentOf(line) <= parentIndent
    );
  };
  let from = 0;
  let parentIndent = -1;
  let found: { line: number; col: number; len: number } | undefined;
  let all = true;
  for (const seg of segs) {
    let hit: { line: number; col: number; len: number; sameLine?: boolean } | undefined;
    if (/^\d+$/.test(seg)) {
      // The Nth item of a block sequence: lines starting with a dash at the first item's indentation.
      let dashIndent = -1;
      let n = Number(seg);
      for (let i = from; i < lines.length; i++) {
        const line = lines[i]!;
        if (i > from && leaves(line, parentIndent) && !line.trim().startsWith('-')) break;
        if (!/^\s*-(\s|$)/.test(line)) continue;
        const indent = indentOf(line);
        if (indent < parentIndent) break;
        if (dashIndent === -1) dashIndent = indent;
        if (indent !== dashIndent) continue;
        if (n-- === 0) {
          hit = { line: i, col: indent, len: line.trimEnd().length - indent, sameLine: true };
          break;
        }
      }
    } else {
      const re = new RegExp(
        `^(\\s*(?:-\\s+)?)(?:${escapeRe(seg)}|"${escapeRe(seg)}"|'${escapeRe(seg)}')\\s*:(?:\\s|$)`,
      );
      for (let i = from; i < lines.length; i++) {
        const line = lines[i]!;
        if (i > from && leaves(line, parentIndent)) break;
        const m = re.exec(line);
        if (m && m[1]!.length > parentIndent) {
          hit = { line: i, col: m[1]!.length, len: line.trimEnd().length - m[1]!.length };
          break;
        }
      }
    }
    if (!hit) {
      all = false;
      break;
    }
    found = hit;
    // Keys of a sequence item may sit on the dash's own line (`- name: x`).
    from = hit.sameLine ? hit.line : hit.line + 1;
    parentIndent = hit.col;
  }
  if (!found) {
    const first = lines.findIndex(
      (l) => l.trim() !== '' && !l.trim().startsWith('#') && !l.startsWith('---'),
    );
    const line = Math.max(first, 0);
    return {
      start: { line: line + 1, column: 1 },
      end: { line: line + 1, column: (lines[line] ?? '').trimEnd().length + 1 },
      exact: segs.length === 0,
    };
  }
  return {
    start: { line: found.line + 1, column: found.col + 1 },
    end: { line: found.line + 1, column: found.col + 1 + Math.max(found.len, 1) },
    exact: all,
  };
}

/** How to turn a `# Source:` path into a file path, and how to read it. */
export interface SourceMapOptions {
  /** Rendered file name the findings carry (`-` for stdin). */
  renderedFile: string;
  /** The rendered text. */
  text: string;
  /** `# Source:` value → file to report (default: the value itself). */
  resolve?: (source: string) => string;
  /** Read a template; undefined when it cannot be read (the rendered position is then kept, relative to the document). */
  read: (file: string) => string | undefined;
}

/**
 * Rewrite the locations of findings on the rendered file to their templates. A finding keeps its
 * rendered location when its document has no `# Source:` comment.
 */
export function mapToTemplates(findings: readonly Finding[], o: SourceMapOptions): Finding[] {
  const sources = sourcesOfDocuments(o.text);
  if (sources.size === 0) return [...findings];
  const spans = splitDocuments(o.text);
  const lineOf = (offset: number) => o.text.slice(0, offset).split('\n').length;
  const templates = new Map<string, string | undefined>();
  return findings.map((f) => {
    const loc = f.location;
    if (!loc || loc.file !== o.renderedFile) return f;
    const source = sources.get(loc.document);
    if (source === undefined) return f;
    const file = o.resolve ? o.resolve(source) : source;
    if (!templates.has(file)) templates.set(file, o.read(file));
    const template = templates.get(file);
    let start: Pos;
    let end: Pos;
    if (template !== undefined) {
      ({ start, end } = locateInTemplate(template, (loc.pointer ?? '') + f.path));
    } else {
      // Template not readable: the line inside the rendered document, counted from its `# Source:` line.
      const span = spans[loc.document - 1];
      const srcLine = span
        ? lineOf(span.start + (SOURCE_COMMENT.exec(o.text.slice(span.start, span.end))?.index ?? 0))
        : 0;
      start = { line: Math.max(1, loc.start.line - srcLine), column: loc.start.column };
      end = { line: Math.max(1, loc.end.line - srcLine), column: loc.end.column };
    }
    const mapped: Location = { file, document: 1, start, end };
    return { ...f, location: mapped };
  });
}
