// Offset → 1-based line/column conversion, built lazily once per file from a line-start table.
import type { Pos } from '../engine/types.js';

/**
 * Maps string offsets to 1-based {@link Pos} values. The line-start table is built on first use
 * only, so files whose positions are never asked for pay nothing. Lines end at `\n`; a `\r`
 * before it belongs to the line it ends. Columns count UTF-16 code units.
 */
export class LineIndex {
  private starts: Uint32Array | undefined;

  constructor(readonly text: string) {}

  /** Position of `offset` (clamped to `[0, text.length]`). */
  pos(offset: number): Pos {
    const starts = (this.starts ??= buildLineStarts(this.text));
    const off = offset < 0 ? 0 : offset > this.text.length ? this.text.length : offset;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= off) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: off - starts[lo]! + 1 };
  }
}

function buildLineStarts(text: string): Uint32Array {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  const starts = new Uint32Array(count);
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[n++] = i + 1;
  return starts;
}
