// Host built-ins (sprintf, units.*, semver.*) agree with the real opa, directly and inside a policy.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  goSprintf,
  HOST_BUILTINS,
  unitsParse,
  unitsParseBytes,
} from '../../src/engine/checks/rego-builtins.js';
import { loadPolicyPath } from '../../src/policy/load.js';
import { buildBundle, lintWith, OPA, tempDir, writeFiles } from './helpers.js';

const CASES: [string, unknown[]][] = [
  ['%v', [1]],
  ['%v', [1.5]],
  ['%v', ['s']],
  ['%v', [true]],
  ['%v', [null]],
  ['%v', [[1, 'a']]],
  ['%v', [{ b: 1, a: [true] }]],
  ['%s', ['x']],
  ['%d', [42]],
  ['%5d|%-5d|%05d', [1, 2, 3]],
  ['%.2f', [3.14159]],
  ['%x', [255]],
  ['%X', ['hi']],
  ['%q', ['a"b']],
  ['%t', [false]],
  ['100%%', []],
  ['%d', ['x']],
  ['%s', [1]],
  ['%v %v', [1]],
  ['%v', [1, 2]],
  ['%e', [1234.5678]],
  ['%g', [0.000012345]],
  ['%.3g', [1234.5678]],
  ['%.3g', [1]],
  ['%8.3f', [3.14159]],
  ['%+d', [5]],
  ['%d', [3.5]],
  ['%s/%s', ['a', 'b']],
  ['%v', [-0.5]],
  ['%10s|%-10s|', ['ab', 'cd']],
  ['%.3s', ['abcdef']],
  ['%v', [100000000]],
  ['%v', [1e-7]],
  ['%v', [123456789.125]],
  ['%v', [0.1]],
  ['%v', [1234567.5]],
  ['%v and %v', [['a', 'b'], { k: 'v' }]],
];
const UNITS = [
  '1k',
  '1K',
  '1Ki',
  '1ki',
  '1m',
  '1M',
  '1Mi',
  '1.5G',
  '2Gi',
  '0.5',
  '1e3',
  '10',
  '3 G',
  '1KB',
  '1KiB',
  '1kb',
  '12 parsecs',
  '1.5',
  '-1k',
  '5mi',
  '1E',
  ' 2G ',
];
const VERSIONS = ['1.0.0', 'v1.0.0', '1.0', '1.0.0-rc.1+build', '01.0.0', 'x'];
const PAIRS = [
  ['1.0.0', '2.0.0'],
  ['1.0.0-rc.1', '1.0.0'],
  ['1.0.0-alpha', '1.0.0-alpha.1'],
  ['1.0.0-alpha.beta', '1.0.0-beta'],
  ['1.10.0', '1.9.0'],
  ['1.0.0+a', '1.0.0+b'],
];

const PARITY = `package parity

formatted := [sprintf(c[0], c[1]) | some c in data.cases]

quantities := {x: units.parse(x) | some x in data.units}

bytes := {x: units.parse_bytes(x) | some x in data.units}

valid := {x: semver.is_valid(x) | some x in data.versions}

compared := [semver.compare(p[0], p[1]) | some p in data.pairs]
`;

const DATA = JSON.stringify({ cases: CASES, units: UNITS, versions: VERSIONS, pairs: PAIRS });

/** The same module as a policy: its results carry what the host built-ins computed in WebAssembly. */
const AS_POLICY = `package parity_policy

import data.parity

deny contains json.marshal({"formatted": parity.formatted, "quantities": parity.quantities, "bytes": parity.bytes, "valid": parity.valid, "compared": parity.compared})
`;

interface Expected {
  formatted: string[];
  quantities: Record<string, number>;
  bytes: Record<string, number>;
  valid: Record<string, boolean>;
  compared: number[];
}

const attempt = <T>(f: () => T): T | undefined => {
  try {
    return f();
  } catch {
    return undefined;
  }
};

describe('host built-ins match opa', () => {
  let expected: Expected;
  beforeAll(() => {
    const dir = tempDir();
    writeFiles(dir, { 'parity.rego': PARITY, 'data.json': DATA });
    const out = JSON.parse(
      execFileSync(
        OPA,
        [
          'eval',
          '-d',
          join(dir, 'parity.rego'),
          '-d',
          join(dir, 'data.json'),
          '--format',
          'json',
          'data.parity',
        ],
        { encoding: 'utf8' },
      ),
    ) as {
      result: [{ expressions: [{ value: Expected }] }];
    };
    expected = out.result[0].expressions[0].value;
  }, 60_000);

  it('sprintf formats like Go, with OPA’s rendering of Rego values', () => {
    expect(CASES.map(([f, args]) => goSprintf(f, args))).toEqual(expected.formatted);
  });

  it('units.parse and units.parse_bytes accept and refuse the same amounts', () => {
    const q: Record<string, number> = {};
    const b: Record<string, number> = {};
    for (const u of UNITS) {
      const x = attempt(() => unitsParse(u));
      if (x !== undefined) q[u] = x;
      const y = attempt(() => unitsParseBytes(u));
      if (y !== undefined) b[u] = y;
    }
    expect(q).toEqual(expected.quantities);
    expect(b).toEqual(expected.bytes);
  });

  it('semver.is_valid and semver.compare agree', () => {
    expect(Object.fromEntries(VERSIONS.map((v) => [v, HOST_BUILTINS['semver.is_valid']!(v)]))).toEqual(
      expected.valid,
    );
    expect(PAIRS.map(([a, b]) => HOST_BUILTINS['semver.compare']!(a, b))).toEqual(expected.compared);
  });

  it('gives the same answers inside a policy compiled to WebAssembly', async () => {
    const bundle = buildBundle({ 'parity.rego': PARITY, 'policy.rego': AS_POLICY, 'data.json': DATA }, [
      'parity_policy/deny',
    ]);
    const [src] = loadPolicyPath(bundle);
    const { findings } = await lintWith(
      { module: src!.module },
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n',
    );
    expect(findings).toHaveLength(1);
    expect(JSON.parse(findings[0]!.message)).toEqual(expected);
  });
});

describe('host built-ins without opa', () => {
  it('make a failing call undefined rather than an error', () => {
    expect(() => unitsParse('12 parsecs')).toThrow();
    expect(HOST_BUILTINS['regex.split']!('[,;]', 'a,b;c')).toEqual(['a', 'b', 'c']);
    expect(HOST_BUILTINS['strings.any_prefix_match']!(['abc'], ['x', 'ab'])).toBe(true);
    expect(HOST_BUILTINS['json.is_valid']!('{')).toBe(false);
    expect(HOST_BUILTINS['yaml.unmarshal']!('a: [1]')).toEqual({ a: [1] });
  });
});
