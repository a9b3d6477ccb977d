/**
 * Apply findings' JSON-Patch fixes to YAML text through the `yaml` Document API, so comments,
 * key order and formatting elsewhere survive. `add` creates missing parent objects (the patches in
 * rules are relative to a target that may lack, say, `securityContext`).
 */
import { isMap, isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import type { Finding, JsonPatchOp } from '../engine/types.js';
import { YAML_OPTIONS } from './yaml-fallback.js';

export interface FixOptions {
  /** Also apply fixes marked unsafe (they may change behaviour). */
  unsafe?: boolean;
}

function segments(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Path for the yaml API: numeric segments address sequence items. */
function yamlPath(doc: Document, segs: string[]): Array<string | number> {
  const out: Array<string | number> = [];
  for (const s of segs) {
    const parent = doc.getIn(out, true);
    out.push(isSeq(parent) && /^\d+$/.test(s) ? Number(s) : s);
  }
  return out;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Apply one patch; returns false (and changes nothing visible) when a `test` op fails. */
function applyPatch(doc: Document, patch: readonly JsonPatchOp[]): boolean {
  for (const op of patch) {
    if (op.op === 'test') {
      const cur: unknown = doc.getIn(yamlPath(doc, segments(op.path)));
      const plain =
        cur !== null && typeof cur === 'object' && 'toJSON' in cur
          ? (cur as { toJSON(): unknown }).toJSON()
          : cur;
      if (!deepEqual(plain, op.value)) return false;
    }
  }
  for (const op of patch) {
    const segs = segments(op.path);
    const path = yamlPath(doc, segs);
    switch (op.op) {
      case 'add': {
        const parent = doc.getIn(path.slice(0, -1), true);
        const last = segs[segs.length - 1];
        if (isSeq(parent) && last === '-') parent.add(doc.createNode(op.value));
        else if (isSeq(parent) && /^\d+$/.test(last ?? ''))
          parent.items.splice(Number(last), 0, doc.createNode(op.value));
        else doc.setIn(path, doc.createNode(op.value));
        break;
      }
      case 'replace':
        doc.setIn(path, doc.createNode(op.value));
        break;
      case 'remove':
        doc.deleteIn(path);
        break;
      case 'copy':
      case 'move': {
        const from = yamlPath(doc, segments(op.from));
        const value: unknown = doc.getIn(from);
        if (op.op === 'move') doc.deleteIn(from);
        doc.setIn(
          path,
          doc.createNode(isScalar(value) || isMap(value) || isSeq(value) ? value.toJSON() : value),
        );
        break;
      }
      case 'test':
        break;
    }
  }
  return true;
}

/**
 * Apply the fixes carried by `findings` (those with a location in this text) and return the new
 * text. Documents without fixes are kept byte for byte.
 */
export function applyFixes(text: string, findings: readonly Finding[], options: FixOptions = {}): string {
  const byDoc = new Map<number, Finding[]>();
  for (const f of findings) {
    if (!f.fix || !f.location || f.suppressed) continue;
    if (f.fix.safety === 'unsafe' && !options.unsafe) continue;
    byDoc.set(f.location.document, [...(byDoc.get(f.location.document) ?? []), f]);
  }
  if (byDoc.size === 0) return text;
  const docs = parseAllDocuments(text, { ...YAML_OPTIONS, keepSourceTokens: false });
  if (!Array.isArray(docs)) return text;
  let out = '';
  let cursor = 0;
  docs.forEach((doc, i) => {
    const fixes = byDoc.get(i + 1);
    const end = doc.range[2];
    if (!fixes || doc.errors.length > 0) return;
    for (const f of fixes) {
      const prefix = f.location!.pointer ?? '';
      applyPatch(
        doc,
        f.fix!.patch.map((op) => ({
          ...op,
          path: prefix + op.path,
          ...('from' in op ? { from: prefix + op.from } : {}),
        })),
      );
    }
    // The document owns the text from the previous document's end (its `---`, comments) to its own end.
    const start = i === 0 ? 0 : docs[i - 1]!.range[2];
    const original = text.slice(start, end);
    let rendered = doc.toString({ lineWidth: 0 });
    if (!original.endsWith('\n')) rendered = rendered.replace(/\n$/, '');
    out += text.slice(cursor, start) + rendered;
    cursor = end;
  });
  return out + text.slice(cursor);
}
