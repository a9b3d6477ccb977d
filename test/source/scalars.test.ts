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
      c: 'hello',
      d: { p: null, q: null },
      e: [{ a: 1 }],
      f: 16,
      g: '12',
    });
    expect(JSON.parse(JSON.stringify(documents[0]!.value))).toEqual(documents[0]!.value);
  });

  // Observed with go-yaml v2.4.4 (sigs.k8s.io/yaml v1.6.0's YAMLToJSON, what kubectl uses): each row
  // is `k: <row>`, and either the JSON value go-yaml gives or the tag go-yaml says the value reads as.
  const TAGGED: Array<[string, { value: unknown } | { reads: string }]> = [
    ['!!int SOMETEXT', { reads: 'str' }],
    ['!!int "12"', { value: 12 }],
    ['!!int "  12"', { reads: 'str' }],
    ['!!int 1.5', { reads: 'float' }],
    ['!!int 1e3', { reads: 'float' }],
    ['!!int 0999', { reads: 'float' }],
    ['!!int 0x1F', { value: 31 }],
    ['!!int 0X1F', { value: 31 }],
    ['!!int 0o17', { value: 15 }],
    ['!!int 0b_1', { value: 1 }],
    ['!!int 1_000', { value: 1000 }],
    ['!!int +12', { value: 12 }],
    ['!!int 18446744073709551615', { value: 2 ** 64 }], // a float64, as JSON.parse reads it
    ['!!int +9223372036854775808', { reads: 'float' }],
    ['!!int -9223372036854775809', { reads: 'float' }],
    ['!!int 99999999999999999999', { reads: 'float' }],
    ['!!int 0o', { reads: 'str' }],
    ['!!int ~', { reads: 'null' }],
    ['!!int', { reads: 'null' }],
    ['!<tag:yaml.org,2002:int> x', { reads: 'str' }],
    ['!!float abc', { reads: 'str' }],
    ['!!float 1', { value: 1 }],
    ['!!float 1e3', { value: 1000 }],
    ['!!float "1_0"', { value: 10 }],
    ['!!float 0999', { value: 999 }],
    ['!!bool maybe', { reads: 'str' }],
    ['!!bool yes', { value: true }],
    ['!!bool "on"', { value: true }],
    ['!!bool "TRUE"', { value: true }],
    ['!!bool y', { value: true }],
    ['!!bool 1', { reads: 'int' }],
    ['!!null x', { reads: 'str' }],
    ['!!null ""', { value: null }],
    ['!!null', { value: null }],
    ['!!null NULL', { value: null }],
    ['!!timestamp foo', { reads: 'str' }],
    ['!!timestamp 2001-12-14', { value: '2001-12-14' }],
    ['!!timestamp "2001-2-3"', { value: '2001-2-3' }],
    ['!!timestamp 2001-12-14t21:59:43.10-05:00', { value: '2001-12-14t21:59:43.10-05:00' }],
    ['!!timestamp 2001-12-14 21:59:43.10', { value: '2001-12-14 21:59:43.10' }],
    ['!!timestamp 2001-12-14T21:59:43.123456789123Z', { value: '2001-12-14T21:59:43.123456789123Z' }],
    ['!!timestamp 2001-13-01', { reads: 'str' }],
    ['!!timestamp 2001-02-30', { reads: 'str' }],
    ['!!timestamp 2001-12-14T21:59:43', { reads: 'str' }],
    ['!!timestamp 2001-12-14T21:59:60Z', { reads: 'str' }],
    ['!!timestamp 2001-12-14T24:00:00Z', { reads: 'str' }],
    ['!!timestamp 12001-12-14', { reads: 'str' }],
    ['!!binary aGVsbG8=', { value: 'hello' }],
    ['!!binary |\n    aGVs\n    bG8=', { value: 'hello' }],
    ['!!binary "aGVsbG8=\\n"', { value: 'hello' }],
    ['!!binary /w==', { value: '\uFFFD' }],
    ['!!binary ""', { value: '' }],
    ['!!binary "a b"', { reads: 'base64' }],
    ['!!binary aGVsbG8', { reads: 'base64' }],
    ['!!binary >\n    aGVs\n    bG8=', { reads: 'base64' }],
    ['!!binary YQ=', { reads: 'base64' }],
    ['!!binary YQ==YQ==', { reads: 'base64' }],
    ['!!str 12', { value: '12' }],
    ['!foo bar', { value: 'bar' }],
    ['!!map x', { value: 'x' }],
    ['!!int [1]', { value: [1] }],
    ['!!seq {a: 1}', { value: { a: 1 } }],
  ];

  it.each(TAGGED)('an explicit tag is checked as go-yaml does: k: %s', (src, want) => {
    const text = `a: 1\nk: ${src}\n`;
    for (const fastPath of [true, false]) {
      const { documents, problems } = parseDocuments('t.yaml', text, { fastPath });
      if ('value' in want) {
        expect(problems).toEqual([]);
        expect(documents[0]!.value).toEqual({ a: 1, k: want.value });
        continue;
      }
      // a yaml-syntax problem at the tag, and no value
      expect(documents).toEqual([]);
      expect(problems.map((p) => [p.ruleId, p.start])).toEqual([['yaml-syntax', { line: 2, column: 4 }]]);
      expect(problems[0]!.message).toBe(
        want.reads === 'base64'
          ? 'The !!binary value is not valid base64, and go-yaml (kubectl) cannot decode it'
          : `The value does not fit its ${src.startsWith('!<') ? '!!int' : src.split(' ')[0]!} tag: it reads as a !!${want.reads}, and go-yaml (kubectl) cannot decode it as a ${src.startsWith('!<') ? '!!int' : src.split(' ')[0]!}`,
      );
    }
  });

  it('the message of a tag that does not fit never repeats the value (it may be a secret)', () => {
    const { problems } = parseDocuments('s.yaml', 'data:\n  password: !!int hunter2\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).not.toContain('hunter2');
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
