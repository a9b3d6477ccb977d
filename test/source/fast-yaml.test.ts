// The fast path: each supported construct, and the constructs it must leave to the yaml package.
import { describe, expect, it } from 'vitest';
import { parseYamlFast } from '../../src/source/fast-yaml.js';
import { parseDocuments } from '../../src/source/parse.js';
import { splitDocuments } from '../../src/source/documents.js';

/** Value from the fast path, asserting that the yaml package agrees. */
function fast(text: string): unknown {
  const r = parseYamlFast(text);
  expect(r, 'fast path gave up').not.toBeNull();
  const slow = parseDocuments('t.yaml', text, { fastPath: false });
  expect(slow.problems).toEqual([]);
  expect(r!.value).toEqual(slow.documents[0]?.value ?? null);
  return r!.value;
}

describe('fast path constructs', () => {
  it('block mappings and sequences, nested', () => {
    expect(fast('a: 1\nb:\n  c: x\n  d:\n    - 1\n    - two\ne: end\n')).toEqual({
      a: 1,
      b: { c: 'x', d: [1, 'two'] },
      e: 'end',
    });
  });

  it('compact mappings in sequences and sequences at their key’s indentation', () => {
    const text =
      'containers:\n- name: app\n  image: nginx:1.25\n  ports:\n  - containerPort: 80\n    protocol: TCP\n- name: side\nafter: 1\n';
    expect(fast(text)).toEqual({
      containers: [
        { name: 'app', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] },
        { name: 'side' },
      ],
      after: 1,
    });
  });

  it('compact nested sequences and items on their own line', () => {
    expect(fast('- - a\n  - b\n- -   c\n-\n  - d\n-\n- e\n')).toEqual([['a', 'b'], ['c'], ['d'], null, 'e']);
  });

  it('empty values are null', () => {
    expect(fast('a:\nb:   # c\nc: ~\nd: null\n')).toEqual({ a: null, b: null, c: null, d: null });
  });

  it('plain scalars with inner indicators, comments and spaces', () => {
    expect(
      fast(
        'a: http://x.y/z?q=1#f\nb: a:b\nc: x #comment\nd: say "hi" it\'s\ne: a[0]{1},2\nf:    spaced   \ng: -1\nh: ?q\n',
      ),
    ).toEqual({
      a: 'http://x.y/z?q=1#f',
      b: 'a:b',
      c: 'x',
      d: 'say "hi" it\'s',
      e: 'a[0]{1},2',
      f: 'spaced',
      g: -1,
      h: '?q',
    });
  });

  it('single- and double-quoted scalars with escapes, as values and keys', () => {
    const text = `'k 1': 'it''s # not a comment'\n"k\\t2": "tab\\t nl\\n q\\" bs\\\\ \\x41\\u00e9\\U0001F600 \\/ \\_ \\N \\L \\P \\e \\0"\nk3: ''\n`;
    expect(fast(text)).toEqual({
      'k 1': "it's # not a comment",
      'k\t2': 'tab\t nl\n q" bs\\ Aé😀 / \u00a0 \u0085 \u2028 \u2029 \x1b \0',
      k3: '',
    });
  });

  it('literal and folded block scalars with chomping and indentation indicators', () => {
    const text = [
      'lit: |',
      '  line 1',
      '    indented',
      '',
      '  line 3',
      'strip: |-',
      '  x',
      '',
      'keep: |+',
      '  x',
      '',
      '',
      'fold: >',
      '  a',
      '  b',
      '',
      '  c',
      '    more',
      '  d',
      'explicit: |2',
      '    leading spaces',
      '  back',
      'list:',
      '- |',
      '  in a sequence',
      '- >-',
      '  folded',
      '  item',
      '# trailing comment',
      'end: 1',
      '',
    ].join('\n');
    expect(fast(text)).toEqual({
      lit: 'line 1\n  indented\n\nline 3\n',
      strip: 'x',
      keep: 'x\n\n\n',
      fold: 'a b\nc\n  more\nd\n',
      explicit: '  leading spaces\nback\n',
      list: ['in a sequence\n', 'folded item'],
      end: 1,
    });
  });

  it('single-line flow collections, nested', () => {
    expect(
      fast('r: { cpu: 100m, memory: 1Gi }\na: [a, "b", 1, [], {}, {x: [w, {z: ~}]}]\nj: {"k":1}\n'),
    ).toEqual({
      r: { cpu: '100m', memory: '1Gi' },
      a: ['a', 'b', 1, [], {}, { x: ['w', { z: null }] }],
      j: { k: 1 },
    });
  });

  it('comments anywhere, blank lines, CRLF', () => {
    const text =
      '# head\r\n\r\na: 1 # c\r\n   # indented comment\r\nb:\r\n  # between\r\n  - x\r\n\r\n  - |\r\n    y\r\n';
    expect(fast(text)).toEqual({ a: 1, b: ['x', 'y\n'] });
  });

  it('__proto__ keys become own properties and pollute nothing', () => {
    const v = fast('__proto__:\n  polluted: yes\nconstructor: 1\ntoString: x\n') as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(v, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(v.constructor).toBe(1);
  });

  it('duplicate keys: the last value wins and each repeat is recorded', () => {
    const r = parseYamlFast('a: 1\nb: 2\na: 3\n"a": 4\n')!;
    expect(r.value).toEqual({ a: 4, b: 2 });
    expect(r.duplicates).toEqual([10, 11, 15, 18]);
  });

  it('empty documents', () => {
    expect(parseYamlFast('')!.value).toBeNull();
    expect(parseYamlFast('# only a comment\n\n')!.value).toBeNull();
  });
});

describe('fast path gives up (the yaml package decides)', () => {
  it.each([
    ['anchor', 'a: &x 1\n'],
    ['alias', 'a: 1\nb: *x\n'],
    ['tag', 'a: !!str 1\n'],
    ['local tag', 'a: !Ref x\n'],
    ['complex key', '? a\n: b\n'],
    ['merge key', 'a:\n  <<: {b: 1}\n'],
    ['multi-line plain scalar', 'a: one\n  two\n'],
    ['multi-line double-quoted scalar', 'a: "one\n  two"\n'],
    ['multi-line single-quoted scalar', "a: 'one\n  two'\n"],
    ['multi-line flow collection', 'a: [1,\n  2]\n'],
    ['tab indentation', 'a:\n\tb: 1\n'],
    ['nested mapping on one line', 'a: b: c\n'],
    ['sequence as a compact value', 'a: - b\n'],
    ['less indented continuation', 'a:\n    b: 1\n  c: 2\n'],
    ['trailing comma in flow', 'a: [1, 2,]\n'],
    ['bad escape', 'a: "\\q"\n'],
    ['root block scalar', '--- |\n  x\n'.slice(4)],
    ['reserved indicator', 'a: @x\n'],
    ['block scalar with blank leading line indented deeper than its content', 'a: |\n     \n  x\n'],
  ])('%s', (_, text) => {
    expect(parseYamlFast(text)).toBeNull();
  });

  it('a document with an anchor and alias falls back and still yields correct values and positions', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: &n cm\n  labels:\n    app: *n\ndata:\n  base: &b {x: 1}\n  merged:\n    <<: *b\n    w: 2\n';
    const { documents, problems } = parseDocuments('t.yaml', text);
    expect(problems).toEqual([]);
    expect(documents[0]!.parser).toBe('yaml');
    expect(documents[0]!.value).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', labels: { app: 'cm' } },
      data: { base: { x: 1 }, merged: { x: 1, w: 2 } },
    });
    const src = documents[0]!.source;
    expect(src.locate('/metadata/name')).toEqual({
      start: { line: 4, column: 12 },
      end: { line: 4, column: 14 },
      exact: true,
    });
    expect(src.locate('/metadata/labels/app')).toEqual({
      start: { line: 6, column: 10 },
      end: { line: 6, column: 12 },
      exact: true,
    });
    // a merged key has no text of its own: its mapping's key is the closest existing ancestor
    expect(src.locate('/data/merged/x')).toEqual({
      start: { line: 9, column: 3 },
      end: { line: 9, column: 9 },
      exact: false,
    });
  });

  it('a tagged document falls back, other documents of the file stay on the fast path', () => {
    const text = 'a: 1\n---\nb: !!int "7"\n---\nc: 3\n';
    const { documents } = parseDocuments('t.yaml', text);
    expect(documents.map((d) => [d.document, d.parser, d.value])).toEqual([
      [1, 'fast', { a: 1 }],
      [2, 'yaml', { b: 7 }],
      [3, 'fast', { c: 3 }],
    ]);
  });
});

describe('splitDocuments', () => {
  const spans = (text: string) =>
    splitDocuments(text).map((s) => [text.slice(s.start, s.end), s.bodyStart >= 0]);

  it('splits on --- and ... at column 0 only', () => {
    expect(spans('a: 1\n---\nb: |\n  ---\n---x: 1\n...\n# after\n')).toEqual([
      ['a: 1\n', true],
      ['---\nb: |\n  ---\n---x: 1\n', true],
    ]);
  });

  it('counts documents as the yaml package does', () => {
    expect(spans('# c\n---\na: 1\n')).toEqual([['# c\n---\na: 1\n', true]]);
    expect(spans('---\n---\n')).toEqual([
      ['---\n', true],
      ['---\n', true],
    ]);
    expect(spans('a: 1\n...\n...\nb: 1\n')).toEqual([
      ['a: 1\n', true],
      ['', true],
      ['b: 1\n', true],
    ]);
    expect(spans('# only\n')).toEqual([]);
  });

  it('sends directives and content on the marker line to the yaml package', () => {
    expect(spans('%YAML 1.1\n---\na: 1\n')).toEqual([['%YAML 1.1\n---\na: 1\n', false]]);
    expect(spans('--- {a: 1}\n')).toEqual([['--- {a: 1}\n', false]]);
    expect(spans('--- # fine\na: 1\n')).toEqual([['--- # fine\na: 1\n', true]]);
  });
});
