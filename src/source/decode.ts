// A file's bytes → text as Kubernetes tools read YAML: UTF-8, or UTF-16 announced by a byte-order mark.
/*
 * go-yaml (kubectl's decoder, also Helm's, kustomize's and the API server's) reads UTF-8 and, when
 * the stream starts with a byte-order mark, UTF-16 LE or BE (what Windows PowerShell writes); any
 * byte sequence that is not valid in that encoding is an error ("invalid leading UTF-8 octet",
 * "incomplete UTF-8 octet sequence", …). A UTF-16 file without a BOM is read as UTF-8 and fails on
 * its NUL bytes ("control characters are not allowed"), so it is left to the parser's character
 * check. (`kubectl apply -f` first passes files through golang.org/x/text's UTF-8 decoder, which
 * silently replaces invalid bytes with U+FFFD: the object it sends is then not what the file says,
 * which is worse, so invalid bytes are a finding either way.)
 */
import { Buffer, isUtf8 } from 'node:buffer';

/** The encoding a file was read in. */
export type SourceEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Bytes that are not valid in the file's encoding, as an offset into the decoded text. */
export interface DecodeError {
  /** Offset in {@link DecodedSource.text} of the U+FFFD that stands for the bad bytes. */
  offset: number;
  message: string;
}

/** A file's bytes decoded. Pass it to `parseSource`/`parseDocuments` and `applyFixes` instead of the bare text. */
export interface DecodedSource {
  readonly file: string;
  /**
   * The decoded text. A byte-order mark stays as U+FEFF at offset 0 (the parser ignores it and
   * {@link encodeSource} writes it back); each invalid byte sequence reads as one U+FFFD.
   */
  readonly text: string;
  readonly encoding: SourceEncoding;
  /**
   * Invalid byte sequences, in text order; at most one per line (enough to report the first one of
   * each document). Non-empty means the text is not the file's content: it must never be written back.
   */
  readonly errors: readonly DecodeError[];
}

/**
 * Decode a file's bytes as go-yaml reads them: UTF-16 LE/BE when they start with its byte-order
 * mark, else UTF-8 (a UTF-8 BOM is kept as U+FEFF). Never throws. Cost: one native validation pass
 * over the bytes plus the decode; a JS scan over the bytes only when they are not valid UTF-8.
 */
export function decodeSource(file: string, bytes: Uint8Array): DecodedSource {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff))
    return decodeUtf16(file, bytes, b0 === 0xff);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buf)) return { file, text: buf.toString('utf8'), encoding: 'utf-8', errors: [] };
  return decodeInvalidUtf8(file, buf);
}

/**
 * The bytes to write for `text` in the encoding `source` was read in (a BOM at the start of `text`
 * is written as the encoding's BOM). Throws when `source` had invalid bytes: its text is not the
 * file's content.
 */
export function encodeSource(
  source: Pick<DecodedSource, 'encoding' | 'file'> & { errors?: DecodedSource['errors'] },
  text: string,
): Buffer {
  if (source.errors !== undefined && source.errors.length > 0)
    throw new Error(`${source.file}: not rewritten, the file is not valid ${source.encoding.toUpperCase()}`);
  if (source.encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const out = Buffer.from(text, 'utf16le');
  return source.encoding === 'utf-16le' ? out : out.swap16();
}

function decodeUtf16(file: string, bytes: Uint8Array, little: boolean): DecodedSource {
  const even = bytes.byteLength & ~1;
  const units = Buffer.from(bytes.subarray(0, even)); // a copy: swap16 works in place
  if (!little) units.swap16();
  // lone surrogates stay in the text: the parser's character check reports them
  let text = units.toString('utf16le');
  const errors: DecodeError[] = [];
  if (even !== bytes.byteLength) {
    errors.push({
      offset: text.length,
      message: `Invalid UTF-16: the file ends in the middle of a character (an odd number of bytes); go-yaml rejects it`,
    });
    text += '\uFFFD';
  }
  return { file, text, encoding: little ? 'utf-16le' : 'utf-16be', errors };
}

/** Length of the valid UTF-8 sequence at `i` of `b` (1 to 4), or 0 when the bytes there are not one. */
export function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c0 = b[i]!;
  if (c0 < 0x80) return 1;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c0 >= 0xc2 && c0 <= 0xdf) need = 1;
  else if (c0 >= 0xe0 && c0 <= 0xef) {
    need = 2;
    if (c0 === 0xe0) lo = 0xa0;
    else if (c0 === 0xed) hi = 0x9f;
  } else if (c0 >= 0xf0 && c0 <= 0xf4) {
    need = 3;
    if (c0 === 0xf0) lo = 0x90;
    else if (c0 === 0xf4) hi = 0x8f;
  } else return 0;
  for (let k = 1; k <= need; k++) {
    const c = b[i + k];
    if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return 0;
  }
  return need + 1;
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Decode bytes that are not valid UTF-8, one U+FFFD per maximal invalid subpart (as the WHATWG
 * decoder and golang.org/x/text do), recording where the first bad sequence of each line is. One
 * pass over the bytes; valid runs are decoded natively.
 */
function decodeInvalidUtf8(file: string, buf: Buffer): DecodedSource {
  const n = buf.length;
  const pieces: string[] = [];
  const errors: DecodeError[] = [];
  let textLen = 0; // UTF-16 length of the pieces so far
  let runStart = 0; // start of the current valid run
  let lineHasError = false;
  let i = 0;
  while (i < n) {
    const b = buf[i]!;
    if (b < 0x80) {
      if (b === 10) lineHasError = false;
      i++;
      continue;
    }
    // the second byte's range depends on the first (no overlong forms, surrogates or > U+10FFFF)
    let need = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    }
    let k = 1; // bytes of the sequence that are valid so far
    let detail = '';
    if (need === 0) {
      detail =
        b === 0xc0 || b === 0xc1
          ? `byte ${hex(b)} starts an overlong encoding`
          : `byte ${hex(b)} cannot start a character`;
    } else {
      for (; k <= need; k++) {
        const c = buf[i + k];
        if (c === undefined) {
          detail = 'the file ends inside a character';
          break;
        }
        const min = k === 1 ? lo : 0x80;
        const max = k === 1 ? hi : 0xbf;
        if (c < min || c > max) {
          detail =
            k === 1 && c >= 0x80 && c <= 0xbf
              ? `bytes ${hex(b)} ${hex(c)} start ${b === 0xed || b === 0xf4 ? 'a surrogate or a code point above U+10FFFF' : 'an overlong encoding'}`
              : `byte ${hex(b)} is not followed by a continuation byte (it is followed by ${hex(c)})`;
          break;
        }
      }
      if (k > need) {
        i += need + 1; // a valid character
        continue;
      }
    }
    // bytes i .. i+k are one invalid sequence: one U+FFFD
    if (runStart < i) {
      const piece = buf.toString('utf8', runStart, i);
      pieces.push(piece);
      textLen += piece.length;
    }
    if (!lineHasError) {
      errors.push({
        offset: textLen,
        message: `Invalid UTF-8 (${detail}, at byte ${i} of the file): go-yaml rejects it; save the file as UTF-8`,
      });
      lineHasError = true;
    }
    pieces.push('\uFFFD');
    textLen += 1;
    i += k;
    runStart = i;
  }
  if (runStart < n) pieces.push(buf.toString('utf8', runStart, n));
  return { file, text: pieces.join(''), encoding: 'utf-8', errors };
}
