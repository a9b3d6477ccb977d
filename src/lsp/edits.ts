/** Text edits behind the language server's code actions: rule fixes, inline and annotation suppressions. Pure. */
import { IGNORE_ANNOTATION } from '../engine/suppress.js';
import type { Finding, KubeObject } from '../engine/types.js';
import { applyFixes } from '../source/fix.js';
import { applyPatch } from '../engine/patch.js';
import { escapeSegment } from '../engine/k8s/pointer.js';
import { splitDocuments } from '../source/documents.js';

/** A replacement of `[start, end)` (string offsets) by `text`. */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/** Placeholder written where the user should say why a finding is suppressed. */
export const REASON_PLACEHOLDER = 'TODO explain why';

/**
 * The smallest single edit that turns `before` into `after`: the common prefix and suffix are
 * kept, the middle is replaced. Undefined when the texts are equal.
 */
export function minimalEdit(before: string, after: string): OffsetEdit | undefined {
  if (before === after) return undefined;
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s))
    s++;
  // Do not split a surrogate pair or a CRLF between the kept and the replaced part.
  while (p > 0 && isLowHalfOrLf(before, p)) p--;
  while (s > 0 && isLowHalfOrLf(before, before.length - s)) s--;
  return { start: p, end: before.length - s, text: after.slice(p, after.length - s) };
}

function isLowHalfOrLf(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  const prev = text.charCodeAt(i - 1);
  return (c >= 0xdc00 && c <= 0xdfff && prev >= 0xd800 && prev <= 0xdbff) || (c === 10 && prev === 13);
}

const isJsonText = (file: string, text: string): boolean => /\.json$/i.test(file) || /^\s*[[{]/.test(text);

/** Whether comments can be written into this document (YAML, not JSON). */
export function acceptsComments(file: string, text: string): boolean {
  if (!isJsonText(file, text)) return true;
  try {
    JSON.parse(text);
    return false;
  } catch {
    return !/\.json$/i.test(file); // a YAML flow mapping that only looks like JSON
  }
}

/** Indentation unit of a JSON text (spaces or a tab), 2 spaces when it cannot be told. */
function jsonIndent(text: string): string | number {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return 2;
  return m[1]!.startsWith('\t') ? '\t' : m[1]!.length;
}

/**
 * Apply the fixes of `findings` to a document's text. YAML goes through the CLI's splicer
 * (src/source/fix.ts), so comments and formatting survive; a JSON file is patched as data and
 * re-serialised with its own indentation (JSON has no comments to keep).
 */
export function fixText(file: string, text: string, findings: readonly Finding[], unsafe: boolean): string {
  if (acceptsComments(file, text)) return fixYamlByDocument(text, findings, unsafe);
  const value: unknown = JSON.parse(text);
  for (const f of findings) {
    if (!f.fix || f.suppressed || (f.fix.safety === 'unsafe' && !unsafe)) continue;
    const prefix = f.location?.pointer ?? '';
    applyPatch(
      value,
      f.fix.patch.map((op) =>
        'from' in op
          ? { ...op, from: prefix + op.from, path: prefix + op.path }
          : { ...op, path: prefix + op.path },
      ),
    );
  }
  const out = JSON.stringify(value, null, jsonIndent(text));
  return text.endsWith('\n') ? `${out}\n` : out;
}

/**
 * The splicer run on each YAML document that has fixes, not on the whole text: editors ask for
 * code actions on every cursor move, and parsing a 5 MB buffer for one quick fix took ~3 s.
 * Documents are numbered as the parser numbers them (src/source/documents.ts); when the numbers
 * do not fit the text, the whole text is fixed at once instead.
 */
function fixYamlByDocument(text: string, findings: readonly Finding[], unsafe: boolean): string {
  const byDoc = new Map<number, Finding[]>();
  for (const f of findings) {
    if (!f.fix || !f.location || f.suppressed) continue;
    const list = byDoc.get(f.location.document);
    if (list) list.push(f);
    else byDoc.set(f.location.document, [f]);
  }
  if (byDoc.size === 0) return text;
  const spans = splitDocuments(text);
  const documents = [...byDoc.keys()].sort((a, b) => a - b);
  if (documents.some((d) => !spans[d - 1])) return applyFixes(text, findings, { unsafe });
  let out = '';
  let cursor = 0;
  for (const d of documents) {
    const span = spans[d - 1]!;
    const mine = byDoc.get(d)!.map((f) => ({ ...f, location: { ...f.location!, document: 1 } }));
    out +=
      text.slice(cursor, span.start) + applyFixes(text.slice(span.start, span.fullEnd), mine, { unsafe });
    cursor = span.fullEnd;
  }
  return out + text.slice(cursor);
}

const NEXT_LINE = /^(\s*)#\s*shipshape-disable-next-line\b(.*)$/;

/**
 * Edit that suppresses `ruleId` on 1-based `line` with a `# shipshape-disable-next-line` comment
 * above it, indented like the line. When the line above already is such a directive, the rule is
 * added to it instead.
 */
export function suppressLineEdit(text: string, line: number, ruleId: string): OffsetEdit {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineStart = starts[Math.min(line, starts.length) - 1] ?? 0;
  const lineText = text.slice(
    lineStart,
    text.indexOf('\n', lineStart) === -1 ? text.length : text.indexOf('\n', lineStart),
  );
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (line >= 2) {
    const prevStart = starts[line - 2]!;
    const prevText = text.slice(prevStart, lineStart).replace(/\r?\n$/, '');
    const m = NEXT_LINE.exec(prevText);
    if (m) {
      const [body = '', reason] = m[2]!.split(/\s--\s?/, 2);
      const rules = body.split(/[\s,]+/).filter(Boolean);
      if (rules.length > 0 && !rules.includes(ruleId)) {
        const rebuilt = `${m[1]}# shipshape-disable-next-line ${[...rules, ruleId].join(', ')} -- ${reason?.trim() || REASON_PLACEHOLDER}`;
        return { start: prevStart, end: prevStart + prevText.length, text: rebuilt };
      }
    }
  }
  // Indent like the line itself; a sequence item's dash counts as indentation for the comment.
  const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
  return {
    start: lineStart,
    end: lineStart,
    text: `${indent}# shipshape-disable-next-line ${ruleId} -- ${REASON_PLACEHOLDER}${eol}`,
  };
}

/** The value of the `shipshape.dev/ignore` annotation once `ruleId` is added to `existing`. */
export function ignoreAnnotationValue(existing: unknown, ruleId: string): string {
  if (typeof existing !== 'string' || existing.trim() === '') return `${ruleId} -- ${REASON_PLACEHOLDER}`;
  const [body = '', reason] = existing.split(/\s--\s?/, 2);
  const rules = body.split(/[\s,]+/).filter(Boolean);
  if (!rules.includes(ruleId)) rules.push(ruleId);
  return `${rules.join(', ')} -- ${reason?.trim() || REASON_PLACEHOLDER}`;
}

/**
 * The document text once the object that `finding` belongs to carries a `shipshape.dev/ignore`
 * annotation for the finding's rule (added to the existing annotation when there is one).
 */
export function suppressObjectText(file: string, text: string, finding: Finding, object: KubeObject): string {
  const annotations = (object.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
  const value = ignoreAnnotationValue(annotations?.[IGNORE_ANNOTATION], finding.ruleId);
  const synthetic: Finding = {
    ...finding,
    suppressed: undefined,
    fix: {
      safety: 'safe',
      patch: [
        {
          op: 'add',
          path: `/metadata/annotations/${escapeSegment(IGNORE_ANNOTATION)}`,
          value,
        },
      ],
    },
  };
  return fixText(file, text, [synthetic], false);
}
