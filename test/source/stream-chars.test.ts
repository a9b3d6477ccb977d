// The YAML character set: a byte-order mark at the start of any document, and the characters
// go-yaml (so kubectl) refuses with "control characters are not allowed" — on both parser paths.
import { describe, expect, it } from 'vitest';
import { parseDocuments, parseSource, type ParsedFile } from '../../src/source/parse.js';

const BOTH = [true, false] as const;

const values = (p: ParsedFile): [number, unknown][] => p.documents.map((d) => [d.document, d.value]);

/** Parses `text` on both paths, asserts they agree, and returns the fast path's result. */
function both(text: string, file = 't.yaml'): ParsedFile {
  const fast = parseDocuments(file, text);
  const slow = parseDocuments(file, text, { fastPath: false });
  expect(values(fast)).toEqual(values(slow));
  expect(fast.problems).toEqual(slow.problems);
  return fast;
}

describe('a byte-order mark at the start of a document', () => {
  const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

  it('is ignored after `---`, on both paths, with positions in the original text', () => {
    const text = `${CM('a')}---\n\uFEFF${CM('b')}`;
    for (const fastPath of BOTH) {
      const { resources, problems } = parseSource('bom.yaml', text, { fastPath });
      expect(problems).toEqual([]);
      expect(resources.map((r) => r.object)).toEqual([
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } },
      ]);
      const b = resources[1]!.source!;
      // the BOM is one UTF-16 code unit of line 6
      expect(b.locate('/apiVersion', 'key').start).toEqual({ line: 6, column: 2 });
      expect(b.locate('/metadata/name').start).toEqual({ line: 9, column: 9 });
    }
    expect(parseDocuments('bom.yaml', text).documents.map((d) => d.parser)).toEqual(['fast', 'fast']);
  });

  it('is ignored before blank lines, comments, indented content, sequences and flow collections', () => {
    for (const [body, value] of [
      ['\uFEFF\nb: 2\n', { b: 2 }],
      ['\uFEFF# note\nb: 2\n', { b: 2 }],
      ['\uFEFF  b: 2\n  c: 3\n', { b: 2, c: 3 }],
      ['\uFEFF- x\n', ['x']],
      ['\uFEFFb: {c: 2}\n', { b: { c: 2 } }],
      ['\uFEFF{b: 2}\n', { b: 2 }],
      ['\uFEFFb: &x 1\nc: *x\n', { b: 1, c: 1 }],
    ] as const) {
      for (const sep of ['---\n', '--- # comment\r\n', '...\n']) {
        const p = both(`a: 1\n${sep}${body}`);
        expect(p.problems).toEqual([]);
        expect(values(p)).toEqual([
          [1, { a: 1 }],
          [2, value],
        ]);
      }
    }
  });

  it('a document holding only a BOM is empty', () => {
    for (const text of ['a: 1\n---\n\uFEFF', 'a: 1\n---\n\uFEFF\n# c\n---\nb: 2\n']) {
      const p = both(text);
      expect(p.problems).toEqual([]);
      expect(values(p).slice(0, 2)).toEqual([
        [1, { a: 1 }],
        [2, null],
      ]);
    }
  });

  it('a `---` right after a BOM still marks the document start', () => {
    const p = both('a: 1\n---\n\uFEFF---\nb: 2\n');
    expect(values(p)).toEqual([
      [1, { a: 1 }],
      [2, { b: 2 }],
    ]);
  });

  it('a doubled BOM is ignored too (as at the start of the file); one inside a document stays text', () => {
    expect(values(both('a: 1\n---\n\uFEFF\uFEFFb: 2\n'))[1]).toEqual([2, { b: 2 }]);
    expect(values(both('\uFEFF\uFEFFb: 2\n'))).toEqual([[1, { b: 2 }]]);
    expect(values(both('a: x\uFEFFy\n'))).toEqual([[1, { a: 'x\uFEFFy' }]]);
  });
});

describe('characters outside the YAML printable set', () => {
  const at = (text: string, file = 'c.yaml') => {
    const p = both(text, file);
    return p.problems.map((x) => [x.ruleId, x.document, x.start, x.end, x.message]);
  };
  const msg = (hex: string) =>
    `Control character U+${hex} is not allowed in YAML (write it as the escape "\\u${hex}" in a double-quoted string)`;

  it('a NUL in a plain scalar is a yaml-syntax problem at the character, and the document has no value', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\u0000b\n';
    for (const fastPath of BOTH) {
      const { resources, problems } = parseSource('nul.yaml', text, { fastPath });
      expect(resources).toEqual([]);
      expect(problems).toEqual([
        {
          ruleId: 'yaml-syntax',
          message: msg('0000'),
          file: 'nul.yaml',
          document: 1,
          start: { line: 4, column: 10 },
          end: { line: 4, column: 11 },
        },
      ]);
    }
  });

  it('refuses exactly the characters go-yaml refuses, wherever they are', () => {
    const refused = [
      ...Array.from({ length: 32 }, (_, c) => c).filter((c) => c !== 9 && c !== 10 && c !== 13),
      ...Array.from({ length: 33 }, (_, i) => 0x7f + i).filter((c) => c !== 0x85),
      0xfffe,
      0xffff,
    ];
    for (const c of refused) {
      const ch = String.fromCharCode(c);
      const hex = c.toString(16).toUpperCase().padStart(4, '0');
      const kind = c >= 0xfffe ? 'Non-character' : 'Control character';
      const m = `${kind} U+${hex} is not allowed in YAML (write it as the escape "\\u${hex}" in a double-quoted string)`;
      for (const [text, line, column] of [
        [`a: x${ch}y\n`, 1, 5],
        [`a: 1\nb: "q${ch}"\n`, 2, 6],
        [`a: 1\nb: |\n  x\n  ${ch}\n`, 4, 3],
        [`a: 1 # c${ch}\n`, 1, 9],
        [`${ch}: 1\n`, 1, 1],
        [`a: [1, '${ch}']\n`, 1, 9],
      ] as const) {
        expect(at(text), JSON.stringify(text)).toEqual([
          ['yaml-syntax', 1, { line, column }, { line, column: column + 1 }, m],
        ]);
      }
    }
  });

  it('refuses unpaired surrogates, and accepts pairs', () => {
    expect(at('a: x\uD800y\n')).toEqual([
      [
        'yaml-syntax',
        1,
        { line: 1, column: 5 },
        { line: 1, column: 6 },
        'Unpaired surrogate U+D800 is not allowed in YAML',
      ],
    ]);
    expect(at('a: x\uDC00\n')).toEqual([
      [
        'yaml-syntax',
        1,
        { line: 1, column: 5 },
        { line: 1, column: 6 },
        'Unpaired surrogate U+DC00 is not allowed in YAML',
      ],
    ]);
    expect(at('a: \uD83D\uDE00\uDE00\n')[0]?.[2]).toEqual({ line: 1, column: 6 });
    expect(at('a: \uD800\uD83D\uDE00\n')[0]?.[2]).toEqual({ line: 1, column: 4 });
    expect(at('a: \uDBFF')[0]?.[2]).toEqual({ line: 1, column: 4 });
  });

  it('accepts tab, line breaks, NEL and every other printable character', () => {
    const text =
      'a: "x\ty"\r\nb: x\u0085y\nc: \u00A0\u00FF\u2028\u2029\uD7FF\uE000\uFFFD\uFEFF\nd: \uD83D\uDE00 \uDBFF\uDFFF\n';
    const p = both(text);
    expect(p.problems).toEqual([]);
    expect(p.documents).toHaveLength(1);
  });

  it('reports the first one of each document; other documents are unaffected', () => {
    const text = 'a: 1\n---\nb: \u0001\u0002\nc: \u0003\n---\nd: 4\n---\ne: \u007F\n';
    expect(at(text).map(([, d, s, , m]) => [d, s, m])).toEqual([
      [2, { line: 3, column: 4 }, msg('0001')],
      [4, { line: 8, column: 4 }, msg('007F')],
    ]);
    expect(values(both(text))).toEqual([
      [1, { a: 1 }],
      [3, { d: 4 }],
    ]);
  });

  it('counts comments around documents: before belongs to the next, trailing to the last', () => {
    expect(at('# \u0000\n')).toEqual([
      ['yaml-syntax', 1, { line: 1, column: 3 }, { line: 1, column: 4 }, msg('0000')],
    ]);
    expect(at('a: 1\n# x\u0008\n---\nb: 2\n').map((x) => x[1])).toEqual([1]);
    expect(at('a: 1\n...\n# x\u0008\n---\nb: 2\n').map((x) => x[1])).toEqual([2]);
    expect(at('a: 1\n---\nb: 2\n...\n# x\u0008\n').map((x) => x[1])).toEqual([2]);
  });

  it('checks documents with a lone CR, directives, and JSON-looking YAML', () => {
    expect(at('a: 1\rb: \u0000\n')[0]?.[2]).toEqual({ line: 1, column: 9 });
    expect(at('%YAML 1.1\n---\na: \u0000\n')[0]?.[2]).toEqual({ line: 3, column: 4 });
    expect(at('{"a": "\u0000"}')[0]?.[2]).toEqual({ line: 1, column: 8 });
  });

  it('leaves JSON to JSON rules (no raw C0 control in strings, DEL and C1 allowed)', () => {
    const ok = parseSource(
      'x.json',
      '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a\u007F"}}',
    );
    expect(ok.problems).toEqual([]);
    expect(ok.resources).toHaveLength(1);
    const bad = parseSource('x.json', '{"a": "\u0000"}');
    expect(bad.problems.map((p) => [p.ruleId, p.start])).toEqual([['yaml-syntax', { line: 1, column: 8 }]]);
  });
});
