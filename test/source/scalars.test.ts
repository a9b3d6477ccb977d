// YAML 1.1 plain-scalar resolution (Kubernetes / go-yaml v2 rules) on both parse paths.
import { describe, expect, it } from 'vitest';
import { resolvePlain } from '../../src/source/scalars.js';
import { parseDocuments } from '../../src/source/parse.js';
import { parseDocument } from 'yaml';
import { YAML_OPTIONS } from '../../src/source/yaml-fallback.js';

const TABLE: [string, unknown][] = [
  // null
  ['', null],
  ['~', null],
  ['null', null],
  ['Null', null],
  ['NULL', null],
  ['nULL', 'nULL'],
  // booleans, YAML 1.1
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s): [string, unknown] => [
    s,
    true,
  ]),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(
    (s): [string, unknown] => [s, false],
  ),
  ['yES', 'yES'],
  ['tRUE', 'tRUE'],
  ['oN', 'oN'],
  // integers
  ['0', 0],
  ['42', 42],
  ['-17', -17],
  ['+5', 5],
  ['0777', 511],
  ['-010', -8],
  ['09', 9],
  ['0x1F', 31],
  ['0xff', 255],
  ['-0x10', -16],
  ['0b101', 5],
  ['-0b11', -3],
  ['1_000', 1000],
  ['0x_FF', 255],
  ['0o17', 15],
  ['0x', '0x'],
  ['0b', '0b'],
  ['0b2', '0b2'],
  // floats
  ['1.5', 1.5],
  ['-1.5', -1.5],
  ['.5', 0.5],
  ['5.', 5],
  ['1e3', 1000],
  ['1E+3', 1000],
  ['6.8523015e+5', 685230.15],
  ['-1.5e-3', -0.0015],
  ['1_000.5', 1000.5],
  ['.inf', Infinity],
  ['.Inf', Infinity],
  ['+.INF', Infinity],
  ['-.inf', -Infinity],
  ['.nan', NaN],
  ['.NaN', NaN],
  ['.NAN', NaN],
  ['12e', '12e'],
  ['.', '.'],
  ['-', '-'],
  ['1.2.3', '1.2.3'],
  // stays a string
  ['2001-12-14', '2001-12-14'],
  ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'],
  ['1:30', '1:30'],
  ['190:20:30', '190:20:30'],
  ['100m', '100m'],
  ['1Gi', '1Gi'],
  ['=', '='],
  ['<<', '<<'],
];

describe('resolvePlain (YAML 1.1 as Kubernetes reads it)', () => {
  it.each(TABLE)('%j → %j', (src, expected) => {
    expect(resolvePlain(src)).toEqual(expected);
  });

  it('gives identical values on the fast path and in the yaml package fallback', () => {
    // `-` alone is a sequence indicator, not a scalar, in a block mapping value
    const rows = TABLE.filter(([src]) => src !== '-');
    const text = rows.map(([src], i) => `k${i}: ${src}`).join('\n') + '\n';
    const fast = parseDocuments('t.yaml', text);
    const slow = parseDocuments('t.yaml', text, { fastPath: false });
    expect(fast.documents[0]!.parser).toBe('fast');
    expect(slow.documents[0]!.parser).toBe('yaml');
    expect(slow.problems).toEqual([]);
    const expected = Object.fromEntries(rows.map(([, v], i) => [`k${i}`, v]));
    expect(fast.documents[0]!.value).toEqual(expected);
    expect(slow.documents[0]!.value).toEqual(expected);
  });

  it('quoted and block scalars are always strings', () => {
    const text = `a: "yes"\nb: '0777'\nc: |\n  1.5\nd: "~"\ne: ''\n`;
    for (const fastPath of [true, false]) {
      const { documents } = parseDocuments('t.yaml', text, { fastPath });
      expect(documents[0]!.value).toEqual({ a: 'yes', b: '0777', c: '1.5\n', d: '~', e: '' });
    }
  });

  it('resolves keys with the same rules (YAML 1.1 `on`/`y` keys become "true")', () => {
    const text = `on: 1\ny: 2\nn: 3\n~: 4\n0x10: 5\n1.0: 6\n"on": 7\n`;
    for (const fastPath of [true, false]) {
      const { documents, problems } = parseDocuments('t.yaml', text, { fastPath });
      expect(documents[0]!.value).toEqual({ true: 2, false: 3, '': 4, '16': 5, '1': 6, on: 7 });
      expect(problems.map((p) => p.ruleId)).toEqual(['duplicate-key']);
    }
  });

  it('explicit tags and timestamps never produce Date, Set, Map or binary values', () => {
    const text = `a: 2001-12-14t21:59:43.10-05:00\nb: !!timestamp 2001-12-14\nc: !!binary aGVsbG8=\nd: !!set {p, q}\ne: !!omap [a: 1]\nf: !!int "0x10"\ng: !!str 12\n`;
    const { documents, problems } = parseDocuments('t.yaml', text);
    expect(problems).toEqual([]);
    expect(documents[0]!.parser).toBe('yaml');
    expect(documents[0]!.value).toEqual({
      a: '2001-12-14t21:59:43.10-05:00',
      b: '2001-12-14',
      c: 'aGVsbG8=',
      d: { p: null, q: null },
      e: [{ a: 1 }],
      f: 16,
      g: '12',
    });
    expect(JSON.parse(JSON.stringify(documents[0]!.value))).toEqual(documents[0]!.value);
  });

  it('YAML_OPTIONS re-render keeps scalar source text and writes new values that read back the same', () => {
    const doc = parseDocument('a: 0x1F\nb: yes\nc: 1.50\nd: ~\ne: 0777\nf: -.inf\ng: "yes"\n', YAML_OPTIONS);
    doc.setIn(
      ['added'],
      doc.createNode({
        i: 3,
        t: true,
        z: null,
        f: 1.5,
        s: 'yes',
        o: '0777',
        x: '1:30',
        inf: -Infinity,
        nan: NaN,
      }),
    );
    const text = doc.toString();
    expect(text).toBe(
      'a: 0x1F\nb: yes\nc: 1.50\nd: ~\ne: 0777\nf: -.inf\ng: "yes"\nadded:\n  i: 3\n  t: true\n  z: null\n  f: 1.5\n  s: "yes"\n  o: "0777"\n  x: 1:30\n  inf: -.inf\n  nan: .nan\n',
    );
    expect(parseDocument(text, YAML_OPTIONS).toJS()).toEqual(doc.toJS());
  });
});
