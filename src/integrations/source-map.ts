/**
 * Map findings on rendered manifests (helm template / kustomize build output) back to the files
 * they came from: the `# Source:` comment Helm writes atop each document names the template; the
 * line is found by looking for the finding's keys in that template. Pure apart from reading files
 * through the given `read` function.
 */
import type { Finding, Location, Pos, Resource } from '../engine/types.js';
import { parseSource } from '../source/parse.js';
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

/** `{{ … }}` actions of a template line: literal parts must match, actions match anything. */
const ACTION = /\{\{.*?\}\}/;

/** A dash line of a template as a pattern for the first line of the item it renders. */
function itemPattern(line: string): { re: RegExp; weight: number } {
  const body = line.replace(/^\s*-\s*/, '').trimEnd();
  const parts = body.split(ACTION).map((p) => p.trim());
  // Literal text is what tells items apart: the more of it matches, the surer the match.
  const weight = parts.reduce((n, p) => n + p.length, 0);
  return { re: new RegExp(`^${parts.map(escapeRe).join('.*?')}$`), weight };
}

const BLOCKS = /\{\{-?\s*(if|with|range|define|block|end)\b/g;

/** For each template line index in `at`: inside a conditional block (`if`/`with`/`range`), and inside a `range`. */
function blocksAt(
  lines: readonly string[],
  at: readonly number[],
): { optional: boolean; repeats: boolean }[] {
  const out: { optional: boolean; repeats: boolean }[] = [];
  const stack: string[] = [];
  let next = 0;
  for (let i = 0; i < lines.length && next < at.length; i++) {
    if (i === at[next]) {
      out.push({ optional: stack.length > 0, repeats: stack.includes('range') });
      next++;
    }
    for (const m of lines[i]!.matchAll(BLOCKS)) {
      if (m[1] === 'end') stack.pop();
      else stack.push(m[1]!);
    }
  }
  while (out.length < at.length) out.push({ optional: false, repeats: false });
  return out;
}

/** At most this many rendered items are aligned with a template's dash lines. */
const MAX_ALIGNED_ITEMS = 500;
/** Cost of leaving out a dash line that no `{{ if }}`/`{{ range }}` encloses (it should have rendered). */
const UNCONDITIONAL_SKIP = 1000;

/**
 * The template line of the `n`th rendered item, among the dash lines `items`. The rendered items'
 * first lines are aligned, in order, with dash lines whose literal text they match: a dash line
 * inside `{{ if }}`/`{{ with }}` may have rendered nothing, one inside `{{ range }}` any number of
 * items; among alignments the one matching the most literal text wins. Without the rendered
 * items, or when no alignment exists, the `n`th dash line.
 */
function pickItem(
  lines: readonly string[],
  items: readonly number[],
  n: number,
  rendered: (n: number) => string | undefined,
): number | undefined {
  const counted = items[n];
  const texts: string[] = [];
  for (let r = 0; r < MAX_ALIGNED_ITEMS; r++) {
    const t = rendered(r);
    if (t === undefined) break;
    texts.push(t.trim());
  }
  if (texts.length <= n) return counted;
  const patterns = items.map((i) => itemPattern(lines[i]!));
  const blocks = blocksAt(lines, items);
  const R = texts.length;
  const T = items.length;
  // best[i][j]: the score of aligning rendered items i.. with dash lines j.. (-Infinity: impossible);
  // step[i][j]: 0 skip dash line j, 1 match and move on, 2 match and stay (range).
  const best = Array.from({ length: R + 1 }, () => new Array<number>(T + 1).fill(-Infinity));
  const step = Array.from({ length: R + 1 }, () => new Array<number>(T + 1).fill(0));
  const skipCost = (j: number) => (blocks[j]!.optional ? 0 : UNCONDITIONAL_SKIP);
  best[R]![T] = 0;
  for (let j = T - 1; j >= 0; j--) best[R]![j] = best[R]![j + 1]! - skipCost(j);
  for (let i = R - 1; i >= 0; i--)
    for (let j = T - 1; j >= 0; j--) {
      let score = best[i]![j + 1]! - skipCost(j);
      let how = 0;
      if (patterns[j]!.re.test(texts[i]!)) {
        const w = patterns[j]!.weight;
        if (best[i + 1]![j + 1]! + w > score) {
          score = best[i + 1]![j + 1]! + w;
          how = 1;
        }
        if (blocks[j]!.repeats && best[i + 1]![j]! + w > score) {
          score = best[i + 1]![j]! + w;
          how = 2;
        }
      }
      best[i]![j] = score;
      step[i]![j] = how;
    }
  if (best[0]![0] === -Infinity) return counted;
  let i = 0;
  let j = 0;
  while (i < R && j < T) {
    const how = step[i]![j]!;
    if (how === 0) j++;
    else {
      if (i === n) return items[j];
      i++;
      if (how === 1) j++;
    }
  }
  return counted;
}

/**
 * Locate a JSON pointer in template text by its mapping keys: each key is searched below the
 * previous one, at a deeper indentation, inside that key's block. A sequence index is the item
 * whose dash line matches the rendered item's first line (`renderedItem`, given the item's pointer:
 * items inside a disabled `{{ if }}` rendered nothing, one item inside `{{ range }}` rendered
 * several); without it, or when nothing matches, items are counted by their dashes. Falls back to
 * the deepest key found, then to the first line.
 */
export function locateInTemplate(
  template: string,
  pointer: string,
  renderedItem?: (pointer: string) => string | undefined,
): TemplatePosition {
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
  let prefix = '';
  for (const seg of segs) {
    let hit: { line: number; col: number; len: number; sameLine?: boolean } | undefined;
    if (/^\d+$/.test(seg)) {
      // The Nth item of a block sequence: lines starting with a dash at the first item's indentation.
      const items: number[] = [];
      let dashIndent = -1;
      for (let i = from; i < lines.length; i++) {
        const line = lines[i]!;
        if (i > from && leaves(line, parentIndent) && !line.trim().startsWith('-')) break;
        if (!/^\s*-(\s|$)/.test(line)) continue;
        const indent = indentOf(line);
        if (indent < parentIndent) break;
        if (dashIndent === -1) dashIndent = indent;
        if (indent === dashIndent) items.push(i);
      }
      const k = pickItem(lines, items, Number(seg), (n) => renderedItem?.(`${prefix}/${n}`));
      if (k !== undefined) {
        const line = lines[k]!;
        hit = { line: k, col: dashIndent, len: line.trimEnd().length - dashIndent, sameLine: true };
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
    prefix += `/${seg}`;
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
  const renderedLines = o.text.split('\n');
  let resources: Resource[] | undefined;
  /** The first rendered line of the item at `pointer` of a document's resource. */
  const itemLine = (loc: Location, pointer: string): string | undefined => {
    resources ??= parseSource(o.renderedFile, o.text).resources;
    const at = loc.pointer ?? '';
    const r = resources.find((x) => x.source?.document === loc.document && (x.source.pointer ?? '') === at);
    if (!r?.source || !pointer.startsWith(at)) return undefined;
    const range = r.source.locate(pointer.slice(at.length), 'value');
    if (!range.exact) return undefined;
    return renderedLines[range.start.line - 1]?.slice(range.start.column - 1);
  };
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
      ({ start, end } = locateInTemplate(template, (loc.pointer ?? '') + f.path, (p) => itemLine(loc, p)));
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
