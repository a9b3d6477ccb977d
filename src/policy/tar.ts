/** Read the files of a (gzipped) tar archive, as `opa build` writes bundles: ustar, GNU and PAX names. */
import { gunzipSync } from 'node:zlib';

/** Files by normalised path (no leading slash or `./`). */
export type TarFiles = Map<string, Uint8Array>;

const text = (b: Uint8Array, from: number, len: number): string => {
  const s = b.subarray(from, from + len);
  const end = s.indexOf(0);
  return Buffer.from(end < 0 ? s : s.subarray(0, end)).toString('utf8');
};

const octal = (b: Uint8Array, from: number, len: number): number => {
  const s = text(b, from, len).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new Error(`bad size field "${s}"`);
  return parseInt(s, 8);
};

const normalise = (p: string): string => p.replace(/^(\.\/|\/)+/, '');

/** Parse PAX extended header records (`<len> key=value\n`). */
function pax(body: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const s = Buffer.from(body).toString('utf8');
  let at = 0;
  while (at < s.length) {
    const sp = s.indexOf(' ', at);
    if (sp < 0) break;
    const len = Number(s.slice(at, sp));
    if (!Number.isInteger(len) || len <= 0) break;
    const rec = s.slice(sp + 1, at + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    at += len;
  }
  return out;
}

/** Regular files of a tar archive, gunzipped first when it starts with the gzip magic. Throws on corrupt input. */
export function readTar(data: Uint8Array): TarFiles {
  const tar = data[0] === 0x1f && data[1] === 0x8b ? new Uint8Array(gunzipSync(data)) : data;
  const files: TarFiles = new Map();
  let at = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((x) => x === 0)) break;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    if (sum !== octal(header, 148, 8)) throw new Error('bad tar header checksum');
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    const body = tar.subarray(at + 512, at + 512 + size);
    if (body.length < size) throw new Error('truncated tar archive');
    const magic = text(header, 257, 6);
    const prefix = magic.startsWith('ustar') ? text(header, 345, 155) : '';
    const name = prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100);
    if (type === 'L') longName = text(body, 0, body.length);
    else if (type === 'x') paxPath = pax(body).path ?? paxPath;
    else {
      if (type === '0' || type === '\0' || type === '7')
        files.set(normalise(paxPath ?? longName ?? name), body);
      longName = undefined;
      paxPath = undefined;
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
