/**
 * Apply findings' JSON-Patch fixes to YAML text as minimal text edits: only the bytes a patch
 * touches change, so comments, quoting, indentation and flow style elsewhere survive. Node offsets
 * come from the `yaml` package's AST. Shapes the splicer does not handle (flow collections, emptying
 * a block) fall back to re-rendering that one document with the `yaml` Document API.
 * `add` creates missing parent objects (rules patch targets that may lack, say, `securityContext`).
 */
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  parseDocument,
  stringify,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { Finding, JsonPatchOp } from '../engine/types.js';
import type { DecodedSource } from './decode.js';
import { pointerTokens } from './positions.js';
import { YAML_OPTIONS } from './yaml-fallback.js';

export interface FixOptions {
  /** Also apply fixes marked unsafe (they may change behaviour). */
  unsafe?: boolean;
}

/** Raised when a patch needs a shape the splicer does not edit in place. */
class NeedsRender extends Error {}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
const lineEnd = (text: string, offset: number) => {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i + 1;
};

/** Walk a pointer through the AST; returns the node (if any) and its parent collection. */
function walk(doc: Document, segs: string[]): { node?: Node; parent?: Node; pair?: Pair; depth: number } {
  let cur: Node | undefined = doc.contents ?? undefined;
  let parent: Node | undefined;
  let pair: Pair | undefined;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    parent = cur;
    if (isMap(cur)) {
      pair = cur.items.find((p): p is Pair => isScalar(p.key) && String(p.key.value) === s);
      if (!pair) return { parent: cur, depth: i };
      cur = (pair.value ?? undefined) as Node | undefined;
    } else if (isSeq(cur) && /^\d+$/.test(s)) {
      pair = undefined;
      cur = cur.items[Number(s)] as Node | undefined;
      if (!cur) return { parent, depth: i };
    } else return { parent: cur, depth: i };
  }
  return { node: cur, parent, pair, depth: segs.length };
}

/** Render `value` as the YAML text of a block under a key, indented by `indent` spaces. */
function block(value: unknown, indent: number, eol: string): string {
  const body = stringify(value, { lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '');
  return body
    .split('\n')
    .map((l) => ' '.repeat(indent) + l)
    .join(eol);
}

function scalarText(value: unknown, original?: Node): string {
  if (
    isScalar(original) &&
    typeof value === 'string' &&
    (original.type === 'QUOTE_DOUBLE' || original.type === 'QUOTE_SINGLE')
  )
    return original.type === 'QUOTE_DOUBLE' ? JSON.stringify(value) : `'${value.replace(/'/g, "''")}'`;
  return stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
}

const isBlock = (n: Node | undefined): n is YAMLMap | YAMLSeq =>
  (isMap(n) || isSeq(n)) && !n.flow && n.items.length > 0;

/** One patch operation as a text edit; returns the new text. */
function spliceOp(text: string, doc: Document, op: JsonPatchOp): string {
  // Inserted lines use the file's own line ending.
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const segs = pointerTokens(op.path);
  const found = walk(doc, segs);
  if (op.op === 'test') return text;
  if (op.op === 'move' || op.op === 'copy') throw new NeedsRender();

  if (op.op === 'remove') {
    if (!found.node && !found.pair) return text; // already absent
    const parent = found.parent;
    if (!isBlock(parent) || parent.items.length < 2) throw new NeedsRender();
    if (isMap(parent)) {
      const keyNode = found.pair!.key as Node;
      const valueEnd = (found.pair!.value as Node | null)?.range?.[1] ?? keyNode.range![1];
      return (
        text.slice(0, lineStart(text, keyNode.range![0])) +
        text.slice(lineEnd(text, Math.max(valueEnd - 1, keyNode.range![1])))
      );
    }
    const item = found.node!;
    const dash = text.lastIndexOf('-', item.range![0]);
    return text.slice(0, lineStart(text, dash)) + text.slice(lineEnd(text, item.range![1] - 1));
  }

  // add / replace
  const value: unknown = op.op === 'add' || op.op === 'replace' ? op.value : undefined;
  if (found.node && (op.op === 'replace' || segs.length === found.depth)) {
    const node = found.node;
    if (isScalar(node) && (value === null || typeof value !== 'object')) {
      return text.slice(0, node.range![0]) + scalarText(value, node) + text.slice(node.range![1]);
    }
    throw new NeedsRender();
  }
  if (found.node) throw new NeedsRender();
  // Missing: build the missing chain under the closest existing ancestor.
  const missing = segs.slice(found.depth);
  const anc = found.depth === 0 ? (doc.contents ?? undefined) : walk(doc, segs.slice(0, found.depth)).node;
  if (isSeq(anc) && missing.length === 1 && missing[0] === '-') {
    if (!isBlock(anc)) throw new NeedsRender();
    const last = anc.items[anc.items.length - 1] as Node;
    const firstItem = anc.items[0] as Node;
    const dashCol = text.lastIndexOf('-', firstItem.range![0]) - lineStart(text, firstItem.range![0]);
    const at = lineEnd(text, last.range![1] - 1);
    const rendered = block([value], dashCol, eol);
    return (
      text.slice(0, at) + (text[at - 1] === '\n' || at === 0 ? '' : eol) + rendered + eol + text.slice(at)
    );
  }
  if (!isBlock(anc) || !isMap(anc) || missing.some((s) => s === '-')) throw new NeedsRender();
  let nested: unknown = value;
  for (let i = missing.length - 1; i >= 1; i--) nested = { [missing[i]!]: nested };
  const firstKey = (anc.items[0] as Pair).key as Node;
  const indent = firstKey.range![0] - lineStart(text, firstKey.range![0]);
  const lastPair = anc.items[anc.items.length - 1] as Pair;
  const lastEnd = (lastPair.value as Node | null)?.range?.[1] ?? (lastPair.key as Node).range![1];
  const at = lineEnd(text, Math.max(lastEnd - 1, (lastPair.key as Node).range![1]));
  const rendered = block({ [missing[0]!]: nested }, indent, eol);
  return text.slice(0, at) + (text[at - 1] === '\n' || at === 0 ? '' : eol) + rendered + eol + text.slice(at);
}

/** Fallback: apply a patch through the Document API and re-render the document. */
function renderPatch(doc: Document, patch: readonly JsonPatchOp[]): void {
  for (const op of patch) {
    const segs = pointerTokens(op.path);
    const path: Array<string | number> = [];
    for (const s of segs) path.push(isSeq(doc.getIn(path, true)) && /^\d+$/.test(s) ? Number(s) : s);
    if (op.op === 'remove') doc.deleteIn(path);
    else if (op.op === 'add' && segs[segs.length - 1] === '-')
      doc.addIn(path.slice(0, -1), doc.createNode(op.value));
    else if (op.op === 'add' || op.op === 'replace') doc.setIn(path, doc.createNode(op.value));
    else if (op.op === 'move' || op.op === 'copy') {
      const from = pointerTokens(op.from);
      const v: unknown = doc.getIn(from);
      if (op.op === 'move') doc.deleteIn(from);
      doc.setIn(
        path,
        isPair(v)
          ? v
          : doc.createNode(
              v && typeof v === 'object' && 'toJSON' in v ? (v as { toJSON(): unknown }).toJSON() : v,
            ),
      );
    }
  }
}

function testsPass(doc: Document, patch: readonly JsonPatchOp[]): boolean {
  return patch.every((op) => {
    if (op.op !== 'test') return true;
    const { node } = walk(doc, pointerTokens(op.path));
    const plain = node && 'toJSON' in node ? (node as { toJSON(): unknown }).toJSON() : undefined;
    return JSON.stringify(plain) === JSON.stringify(op.value);
  });
}

/** Apply patches to one document's text (offsets relative to it). */
function fixDocument(docText: string, patches: JsonPatchOp[][]): string {
  let text = docText;
  try {
    for (const patch of patches) {
      if (!testsPass(parseDocument(text, YAML_OPTIONS), patch)) continue;
      for (const op of patch) text = spliceOp(text, parseDocument(text, YAML_OPTIONS), op);
    }
    return text;
  } catch (err) {
    if (!(err instanceof NeedsRender)) throw err;
    const doc = parseDocument(docText, YAML_OPTIONS);
    for (const patch of patches) if (testsPass(doc, patch)) renderPatch(doc, patch);
    let rendered = doc.toString({ lineWidth: 0 });
    if (!docText.endsWith('\n')) rendered = rendered.replace(/\n$/, '');
    return docText.includes('\r\n') ? rendered.replace(/\r?\n/g, '\r\n') : rendered;
  }
}

/**
 * Apply the fixes carried by `findings` (those with a location in this text) and return the new
 * text. Documents without fixes are kept byte for byte. Given a file read with `decodeSource`
 * that has invalid bytes, nothing is fixed: its text is not the file's content.
 */
export function applyFixes(
  input: string | DecodedSource,
  findings: readonly Finding[],
  options: FixOptions = {},
): string {
  if (typeof input !== 'string' && input.errors.length > 0) return input.text;
  const text = typeof input === 'string' ? input : input.text;
  const byDoc = new Map<number, JsonPatchOp[][]>();
  for (const f of findings) {
    if (!f.fix || !f.location || f.suppressed) continue;
    if (f.fix.safety === 'unsafe' && !options.unsafe) continue;
    const prefix = f.location.pointer ?? '';
    const patch = f.fix.patch.map((op) => ({
      ...op,
      path: prefix + op.path,
      ...('from' in op ? { from: prefix + op.from } : {}),
    }));
    byDoc.set(f.location.document, [...(byDoc.get(f.location.document) ?? []), patch]);
  }
  if (byDoc.size === 0) return text;
  const docs = parseAllDocuments(text, YAML_OPTIONS);
  if (!Array.isArray(docs)) return text;
  let out = '';
  let cursor = 0;
  docs.forEach((doc, i) => {
    const patches = byDoc.get(i + 1);
    if (!patches || doc.errors.length > 0) return;
    // The document's own text: after the previous document up to its end (its `---` and comments).
    const start = i === 0 ? 0 : docs[i - 1]!.range[2];
    const end = doc.range[2];
    out += text.slice(cursor, start) + fixDocument(text.slice(start, end), patches);
    cursor = end;
  });
  return out + text.slice(cursor);
}
