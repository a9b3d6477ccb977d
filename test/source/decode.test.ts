// File bytes as go-yaml reads them: UTF-8 (invalid bytes are a finding), UTF-16 after its BOM.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/program/main.js';
import { decodeSource, encodeSource } from '../../src/source/decode.js';
import { parseSource } from '../../src/source/parse.js';

const CM = (name: string, extra = '') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v${extra}\n`;
const bytes = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
const utf16 = (text: string, little: boolean): Buffer => {
  const b = Buffer.from('\uFEFF' + text, 'utf16le');
  return little ? b : b.swap16();
};

describe('invalid UTF-8', () => {
  it('is a yaml-syntax problem at the first invalid byte; its document has no value, the others do', () => {
    const b = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: x';
    const file = bytes(CM('a'), '---\n', b, [0xff, 0x41], '\n---\n', CM('c'));
    for (const fastPath of [true, false]) {
      const { resources, problems } = parseSource('bad.yaml', decodeSource('bad.yaml', file), { fastPath });
      expect(resources.map((r) => (r.object.metadata as { name: string }).name)).toEqual(['a', 'c']);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({
        ruleId: 'yaml-syntax',
        file: 'bad.yaml',
        document: 2,
        start: { line: 13, column: 7 },
        end: { line: 13, column: 8 },
      });
      expect(problems[0]!.message).toMatch(/^Invalid UTF-8 \(byte 0xFF cannot start a character/);
    }
  });

  it('finds every kind of invalid sequence, decoding the rest as the WHATWG decoder does', () => {
    const cases: Array<[number[], string]> = [
      [[0x80], 'byte 0x80 cannot start a character'], // a lone continuation byte
      [[0xc3, 0x28], 'byte 0xC3 is not followed by a continuation byte'],
      [[0xc0, 0xaf], 'byte 0xC0 starts an overlong encoding'],
      [[0xe0, 0x80, 0xaf], 'bytes 0xE0 0x80 start an overlong encoding'],
      [[0xed, 0xa0, 0x80], 'bytes 0xED 0xA0 start a surrogate'], // CESU-8 surrogate
      [[0xf4, 0x90, 0x80, 0x80], 'bytes 0xF4 0x90 start a surrogate or a code point above U+10FFFF'],
      [[0xf5], 'byte 0xF5 cannot start a character'],
      [[0xe2, 0x82], 'byte 0xE2 is not followed by a continuation byte'],
    ];
    for (const [bad, detail] of cases) {
      const file = bytes('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: é', bad, 'z\n');
      const decoded = decodeSource('x.yaml', file);
      expect(decoded.text).toBe(new TextDecoder().decode(file));
      const { resources, problems } = parseSource('x.yaml', decoded);
      expect(resources).toEqual([]);
      expect(problems.map((p) => [p.ruleId, p.start])).toEqual([['yaml-syntax', { line: 4, column: 10 }]]);
      expect(problems[0]!.message).toContain(detail);
    }
    // cut off at the end of the file
    const cut = decodeSource('x.yaml', bytes('a: b', [0xe2, 0x82]));
    expect(cut.errors.map((e) => [e.offset, e.message])).toEqual([
      [4, expect.stringContaining('(the file ends inside a character, at byte 4 of the file)')],
    ]);
  });

  it('in a JSON file: a problem and no value', () => {
    const head = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x';
    const file = bytes(head, [0xfe], '"}}\n');
    for (const name of ['x.json', 'x.yaml']) {
      const { resources, problems } = parseSource(name, decodeSource(name, file));
      expect(resources).toEqual([]);
      expect(problems.map((p) => [p.ruleId, p.start])).toEqual([
        ['yaml-syntax', { line: 1, column: head.length + 1 }],
      ]);
    }
  });

  it('valid UTF-8, with or without a BOM, reads as before', () => {
    for (const file of [bytes(CM('é')), bytes([0xef, 0xbb, 0xbf], CM('é'))]) {
      const decoded = decodeSource('x.yaml', file);
      expect(decoded.errors).toEqual([]);
      expect(decoded.text).toBe(file.toString('utf8'));
      const { resources, problems } = parseSource('x.yaml', decoded);
      expect(problems).toEqual([]);
      expect(resources[0]?.object.metadata).toEqual({ name: 'é' });
      expect(encodeSource(decoded, decoded.text)).toEqual(file);
    }
  });
});

describe('UTF-16 with a byte-order mark (what Windows PowerShell writes)', () => {
  const text = CM('web', ' # é ✓ 𝄞') + '---\n' + CM('other');

  it('LE and BE are decoded and linted like the UTF-8 text, with the same positions', () => {
    const want = parseSource('u8.yaml', text);
    for (const little of [true, false]) {
      const decoded = decodeSource('u16.yaml', utf16(text, little));
      expect(decoded.encoding).toBe(little ? 'utf-16le' : 'utf-16be');
      expect(decoded.errors).toEqual([]);
      const got = parseSource('u16.yaml', decoded);
      expect(got.problems).toEqual([]);
      expect(got.resources.map((r) => r.object)).toEqual(want.resources.map((r) => r.object));
      expect(got.resources[1]!.source!.locate('/metadata/name').start).toEqual({ line: 11, column: 9 });
      // written back in its own encoding, BOM included
      expect(encodeSource(decoded, decoded.text)).toEqual(utf16(text, little));
    }
  });

  it('an odd byte count or an unpaired surrogate is a finding, not a crash', () => {
    const odd = Buffer.concat([utf16(CM('a'), true), Buffer.from([0x41])]);
    const p1 = parseSource('odd.yaml', decodeSource('odd.yaml', odd));
    expect(p1.problems.map((p) => [p.ruleId, p.start.line])).toEqual([['yaml-syntax', 7]]);
    expect(p1.problems[0]!.message).toContain('odd number of bytes');
    const lone = utf16(CM('a\uD800b'), false);
    const p2 = parseSource('lone.yaml', decodeSource('lone.yaml', lone));
    expect(p2.resources).toEqual([]);
    expect(p2.problems.map((p) => [p.ruleId, p.start])).toEqual([['yaml-syntax', { line: 4, column: 10 }]]);
  });

  it('UTF-16 without a BOM stays a NUL-character finding (go-yaml reads it as UTF-8)', () => {
    const { problems } = parseSource('x.yaml', decodeSource('x.yaml', Buffer.from(CM('a'), 'utf16le')));
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('U+0000')]);
  });
});

describe('the CLI reads bytes', () => {
  async function cli(args: string[], cwd: string) {
    let stdout = '';
    const code = await run(args, {
      cwd,
      stdout: { write: (s: string) => (stdout += s), isTTY: false },
      stderr: { write: () => true },
      readStdin: () => Promise.resolve(''),
      env: {},
    });
    return { code, stdout };
  }
  const POD = (name: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  hostPID: true\n  containers:\n    - name: app\n      image: registry.example.com/app:1.0\n`;
  const ARGS = ['-f', 'json', '--no-config', '--preset', 'schema', '--rule', 'no-host-pid=error'];
  interface Out {
    findings: Array<{ ruleId: string; location?: { file: string; start: { line: number; column: number } } }>;
  }

  it('lint: invalid UTF-8 is a yaml-syntax finding at its line and column; UTF-16 files are linted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-enc-'));
    writeFileSync(join(dir, 'bad.yaml'), bytes(POD('a'), '# caf', [0xe9], '\n'));
    writeFileSync(join(dir, 'wide.yaml'), utf16(POD('w'), true));
    const { stdout } = await cli(['lint', '.', ...ARGS], dir);
    const got = (JSON.parse(stdout) as Out).findings.map((f) => [
      f.ruleId,
      f.location?.file,
      f.location?.start,
    ]);
    expect(got).toContainEqual(['yaml-syntax', 'bad.yaml', { line: 10, column: 6 }]);
    expect(got).toContainEqual(['no-host-pid', 'wide.yaml', { line: 6, column: 12 }]);
    expect(got.filter((g) => g[1] === 'wide.yaml').map((g) => g[0])).not.toContain('yaml-syntax');
  });

  it('fix: a file with invalid UTF-8 keeps its bytes exactly; a UTF-16 file is fixed in UTF-16', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-encfix-'));
    // the invalid byte is in a comment of the second document; the first has a fix
    const bad = bytes(POD('a'), '---\n# caf', [0xe9], '\n', POD('b'));
    writeFileSync(join(dir, 'bad.yaml'), bad);
    writeFileSync(join(dir, 'wide.yaml'), utf16(POD('w'), false));
    await cli(['lint', '.', '--fix-unsafe', ...ARGS], dir);
    expect(readFileSync(join(dir, 'bad.yaml'))).toEqual(bad);
    const wide = readFileSync(join(dir, 'wide.yaml'));
    const decoded = decodeSource('wide.yaml', wide);
    expect(decoded.encoding).toBe('utf-16be');
    expect(decoded.text).toBe('\uFEFF' + POD('w').replace('  hostPID: true\n', ''));
  });
});
