/**
 * Parser and locator properties on one random case (test/proof/hostile.test.ts runs a bounded number,
 * test/proof/source-properties.proof.ts many more): file bytes in any encoding decode and parse
 * without throwing, with every problem inside the text; `locate` stays inside its document.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Pos } from '../../../src/engine/types.js';
import { decodeSource } from '../../../src/source/decode.js';
import { splitDocuments } from '../../../src/source/documents.js';
import { parseDocuments, parseSource } from '../../../src/source/parse.js';
import { locateOffsets } from '../../../src/source/positions.js';
import { pathsOf, ptr, styledArb } from './yaml-docs.js';

/** 1-based line/column inside `text` (the column may be one past the line's end; lines end at LF). */
function inside(text: string, p: Pos): boolean {
  const line = text.split('\n')[p.line - 1];
  return p.line >= 1 && line !== undefined && p.column >= 1 && p.column <= line.length + 1;
}

/** Bytes as files hold them: random, or text in UTF-8 / UTF-16 with a BOM, then damaged and cut. */
export const bytesArb = fc
  .record({
    enc: fc.constantFrom('raw', 'utf8', 'utf8bom', 'utf16le', 'utf16be'),
    text: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      styledArb.map((d) => d.text),
    ),
    raw: fc.uint8Array({ maxLength: 400 }),
    damage: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    cut: fc.nat(3),
    json: fc.boolean(),
  })
  .map(({ enc, text, raw, damage, cut, json }) => {
    let b: Buffer;
    if (enc === 'raw') b = Buffer.from(raw);
    else if (enc === 'utf8') b = Buffer.from(text, 'utf8');
    else if (enc === 'utf8bom') b = Buffer.from('\uFEFF' + text, 'utf8');
    else {
      b = Buffer.from('\uFEFF' + text, 'utf16le');
      if (enc === 'utf16be') b.swap16();
    }
    b = Buffer.from(b); // an own copy to damage
    for (const [at, v] of damage) if (b.length > 2) b[2 + (at % (b.length - 2))] = v;
    return { bytes: b.subarray(0, Math.max(0, b.length - cut)), file: json ? 'x.json' : 'x.yaml' };
  });

export type BytesCase = typeof bytesArb extends fc.Arbitrary<infer T> ? T : never;

export function checkBytesCase({ bytes, file }: BytesCase): void {
  const decoded = decodeSource(file, bytes);
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!utf16) {
    // UTF-8 is decoded exactly as the WHATWG decoder does, and has errors exactly when it is invalid
    expect(decoded.text).toBe(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes));
    let valid = true;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      valid = false;
    }
    expect(decoded.errors.length === 0).toBe(valid);
  }
  let last = -1;
  for (const e of decoded.errors) {
    expect(e.offset).toBeGreaterThan(last);
    expect(decoded.text[e.offset]).toBe('\uFFFD');
    last = e.offset;
  }
  // positions are in the text the parser reads: without a leading BOM
  const parsed = decoded.text.startsWith('\uFEFF') ? decoded.text.slice(1) : decoded.text;
  for (const fastPath of [true, false]) {
    const { problems } = parseSource(file, decoded, { fastPath });
    for (const p of problems)
      expect(
        inside(parsed, p.start) && inside(parsed, p.end),
        `${JSON.stringify(p)} is outside the text`,
      ).toBe(true);
    if (decoded.errors.length > 0) expect(problems.map((p) => p.ruleId)).toContain('yaml-syntax');
  }
}

export const locateCaseArb = fc.tuple(styledArb, fc.array(fc.nat(), { minLength: 1, maxLength: 6 }));

export type LocateCase = typeof locateCaseArb extends fc.Arbitrary<infer T> ? T : never;

export function checkLocateCase([{ text }, picks]: LocateCase): void {
  const spans = splitDocuments(text);
  for (const doc of parseDocuments('x.yaml', text).documents) {
    const span = spans[doc.document - 1]!;
    const paths = pathsOf(doc.value);
    const pointers = [
      ...picks.map((p) => ptr(paths[p % paths.length]!)),
      ...picks.map((p) => ptr([...paths[p % paths.length]!, 'missing', '0'])),
      '/0/0/0',
      '/~1/~0',
      'not-a-pointer',
    ];
    for (const pointer of pointers)
      for (const target of ['key', 'value'] as const) {
        const r = locateOffsets(text, doc.source.tables, pointer, target);
        expect(r.start, `${pointer} starts before its document`).toBeGreaterThanOrEqual(span.start);
        expect(r.end, `${pointer} ends after its document`).toBeLessThanOrEqual(span.fullEnd);
        expect(r.end).toBeGreaterThanOrEqual(r.start);
      }
  }
}
