// Fuzzing and hostile input for parser, locator, engine and fixer: nothing crashes or hangs, memory
// stays bounded, every failure is a finding with a position, and `--fix` reaches a fixed point that
// leaves no finding of the rules it fixed. Bounded to run in the normal suite (the 100 MB file and
// the differential run live in the proof suite, vitest.proof.config.mjs).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRules } from '../../src/engine/compile.js';
import type { CompiledRule } from '../../src/engine/rule.js';
import { lint } from '../../src/engine/run.js';
import type { Finding, Pos, SourceProblem } from '../../src/engine/types.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { bundledSchemas } from '../../src/schema/bundled.js';
import { SchemaRegistry } from '../../src/schema/registry.js';
import { applyFixes } from '../../src/source/fix.js';
import { decodeSource } from '../../src/source/decode.js';
import { parseSource } from '../../src/source/parse.js';
import { bytesArb, checkBytesCase, checkLocateCase, locateCaseArb } from '../source/gen/parser-check.js';
import { COMMON_KINDS, ObjectGenerator, SchemaSet, caseArb } from './gen/k8s-objects.js';
import { manifestArb } from './gen/workloads.js';
import { stringify } from 'yaml';

let rules: CompiledRule[];
beforeAll(async () => {
  // Every rule but the Rego ones (they need the policy runtime, exercised by test/policy).
  const defs = builtinRules();
  const off = Object.fromEntries(defs.filter((d) => 'rego' in d.check).map((d) => [d.id, 'off' as const]));
  rules = await compileRules(defs, { presets: ['all'], rules: off });
});

const bundle = bundledSchemas(); // read once; a registry per run (CRDs register per run)

function lintAll(
  file: string,
  text: string,
): { findings: Finding[]; problems: SourceProblem[]; resources: number } {
  const { resources, problems } = parseSource(file, text);
  const schemas = new SchemaRegistry(bundle, '1.30');
  for (const r of resources) if (r.object.kind === 'CustomResourceDefinition') schemas.registerCrd(r.object);
  const findings = lint(resources, { rules, schemas, problems });
  return { findings, problems, resources: resources.length };
}

/**
 * 1-based line/column inside `text` (column may be one past the line's end). Lines end at LF, as
 * in shipshape's positions (a lone CR is not a line break there; see docs/differential.md § fuzzing).
 */
function inside(text: string, p: Pos): boolean {
  const lines = text.split('\n');
  const line = lines[p.line - 1];
  return p.line >= 1 && line !== undefined && p.column >= 1 && p.column <= line.length + 1;
}

function expectPositioned(text: string, items: Array<{ start: Pos; end: Pos } | undefined>): void {
  for (const it of items) {
    expect(it, 'a finding without a location').toBeDefined();
    const { start, end } = it!;
    expect(inside(text, start), `start ${JSON.stringify(start)} outside the text`).toBe(true);
    expect(inside(text, end), `end ${JSON.stringify(end)} outside the text`).toBe(true);
    expect(end.line > start.line || (end.line === start.line && end.column >= start.column)).toBe(true);
  }
}

const timed = <T>(fn: () => T): { value: T; ms: number } => {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
};

// ---- seeds for mutation ----------------------------------------------------------------------
const SEED = `# a realistic manifest
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: &labels
    app: web
  annotations:
    note: "quoted: value"
spec:
  replicas: 2
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.2.3
          args: [--port=8080, "--mode=fast"]
          ports:
            - containerPort: 8080
          env:
            - name: BLOCK
              value: |
                line one
                line two
          resources:
            limits: { cpu: "1", memory: 256Mi }
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data:
  key: 'single'
  other: >-
    folded
    text
`;
const HOSTILE = [
  ':',
  '-',
  '- ',
  '{',
  '}',
  '[',
  ']',
  '&a',
  '*a',
  '!!str',
  '!',
  '\t',
  '\r',
  '\r\n',
  '\0',
  '\uFEFF',
  '"',
  "'",
  '|',
  '>',
  '#',
  '%YAML 1.1\n',
  '---\n',
  '...\n',
  '? ',
  '<<: *a',
  '\\',
  '\u2028',
  '\uD800',
  '\n',
  '  ',
  '0x',
  '~',
  '@',
  '`',
];

const mutatedYaml = fc
  .array(fc.tuple(fc.nat(), fc.nat(HOSTILE.length - 1), fc.nat(3)), { minLength: 1, maxLength: 8 })
  .map((edits) => {
    let t = SEED;
    for (const [at, which, op] of edits) {
      const i = at % (t.length + 1);
      const piece = HOSTILE[which]!;
      if (op === 0)
        t = t.slice(0, i) + piece + t.slice(i); // insert
      else if (op === 1)
        t = t.slice(0, i) + piece + t.slice(i + piece.length); // overwrite
      else if (op === 2)
        t = t.slice(0, i) + t.slice(i + 1 + (at % 7)); // delete a few
      else t = t.slice(0, i) + t.slice(i, i + 20) + t.slice(i); // duplicate a slice
    }
    return t;
  });

describe('parser and locator under random and mutated YAML', () => {
  it('random text: never throws, every problem has a position inside the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const { problems } = parseSource('x.yaml', text);
        expectPositioned(text, problems);
      }),
      { numRuns: 200, seed: 1 },
    );
  });

  it('random bytes in random encodings: decoding and parsing never throw, and every problem is inside the text', () => {
    fc.assert(fc.property(bytesArb, checkBytesCase), {
      numRuns: 300,
      seed: 5,
      interruptAfterTimeLimit: 30_000,
    });
  });

  it("random YAML documents: `locate` stays inside the pointer's document, for any pointer", () => {
    fc.assert(fc.property(locateCaseArb, checkLocateCase), {
      numRuns: 150,
      seed: 6,
      interruptAfterTimeLimit: 30_000,
    });
  });

  it('random nesting, up to thousands of levels and 64 KB: no crash, every problem positioned', () => {
    const piece = fc.constantFrom(
      '[',
      '{a: ',
      '- ',
      '\n  ',
      'k:\n',
      ']',
      '}',
      ', ',
      'x',
      '"',
      '&a ',
      '*a',
      '!!int ',
      '? ',
      '|\n',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6000 }), fc.nat(4), (pieces, repeat) => {
        const text = pieces
          .join('')
          .repeat(repeat + 1)
          .slice(0, 65_536);
        for (const fastPath of [true, false])
          expectPositioned(text, parseSource('deep.yaml', text, { fastPath }).problems);
      }),
      { numRuns: 60, seed: 7, interruptAfterTimeLimit: 30_000 },
    );
  });

  it('mutated manifests: lint never throws, every finding is located inside the text', () => {
    fc.assert(
      fc.property(mutatedYaml, (text) => {
        const { findings } = lintAll('x.yaml', text);
        expectPositioned(
          text,
          findings.map((f) => f.location),
        );
      }),
      { numRuns: 100, seed: 2 },
    );
  });

  it('generated (schema-valid and broken) objects: lint never throws, findings are located', () => {
    const gen = new ObjectGenerator(new SchemaSet('1.30'));
    fc.assert(
      fc.property(caseArb(gen, COMMON_KINDS), fc.boolean(), ({ case: c }, json) => {
        const text = json ? JSON.stringify(c.object, null, 1) : stringify(c.object);
        const { findings } = lintAll(json ? 'x.json' : 'x.yaml', text);
        expectPositioned(
          text,
          findings.map((f) => f.location),
        );
        // This generator's "valid" objects satisfy the OpenAPI schema only, not the API server's Go
        // checks (os.name "web", no image, …): that verdict is the realistic generator's, judged by
        // the real API server (test/proof/differential.proof.ts, test/proof/generator.test.ts).
      }),
      { numRuns: 80, seed: 3 },
    );
  });
});

describe('hostile YAML documents', () => {
  const laughs = (levels: number) => {
    const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= levels; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(',')}]`,
      );
    return `${lines.join('\n')}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n`;
  };

  it('alias bombs ("billion laughs") are refused fast, with a finding, in bounded memory', () => {
    for (const text of [
      laughs(9),
      // block-style anchors referenced many times, and merge keys that double at each level
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: &l\n    a: b\ndata:\n' +
        Array.from({ length: 500 }, (_, i) => `  k${i}: *l`).join('\n') +
        '\n',
      'a: &a {x: 1}\n' +
        Array.from(
          { length: 40 },
          (_, i) => `b${i}: &b${i}\n  <<: [${i === 0 ? '*a' : `*b${i - 1}, *b${i - 1}`}]\n`,
        ).join(''),
    ]) {
      const heap0 = process.memoryUsage().heapUsed;
      const { value, ms } = timed(() => lintAll('bomb.yaml', text));
      expect(ms).toBeLessThan(5000);
      expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(200 * 2 ** 20);
      expect(value.resources).toBe(0);
      expect(value.findings.map((f) => f.ruleId)).toContain('yaml-syntax');
      expectPositioned(
        text,
        value.findings.map((f) => f.location),
      );
    }
  });

  it('a few aliases stay legal (anchors in real manifests)', () => {
    const { findings, resources } = lintAll('x.yaml', SEED);
    expect(resources).toBe(2);
    expect(findings.filter((f) => f.ruleId === 'yaml-syntax')).toEqual([]);
  });

  it('deep nesting is a positioned finding (or parses), never a crash', () => {
    for (const depth of [50, 400, 3000]) {
      for (const text of [
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nspec:\n${Array.from({ length: depth }, (_, i) => ' '.repeat(i + 1) + 'k:').join('\n')} 1\n`,
      ]) {
        const { value, ms } = timed(() => lintAll('deep.yaml', text));
        expect(ms).toBeLessThan(8000);
        expectPositioned(
          text,
          value.findings.map((f) => f.location),
        );
        // parsed: the schema finds `data` of the wrong shape; refused: a yaml-syntax finding
        expect(value.findings.length).toBeGreaterThan(0);
      }
    }
  });

  it('a 16 MB scalar and a 4 MB line parse in bounded time', () => {
    const huge = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: "${'x'.repeat(16 * 2 ** 20)}"\n  b: ${'y'.repeat(4 * 2 ** 20)}\n`;
    const { value, ms } = timed(() => lintAll('huge.yaml', huge));
    expect(ms).toBeLessThan(10_000);
    expect(value.resources).toBe(1);
  });

  it('tabs as indentation: a yaml-syntax finding at the tab', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n';
    const { findings } = lintAll('tabs.yaml', text);
    const f = findings.find((x) => x.ruleId === 'yaml-syntax');
    expect(f?.location?.start.line).toBe(4);
  });

  const parseLevel = (fs: Finding[]) =>
    fs.filter((f) => ['yaml-syntax', 'invalid-resource', 'k8s-schema', 'duplicate-key'].includes(f.ruleId));

  it('a BOM at the start of the file is ignored', () => {
    const { findings, resources } = lintAll(
      'bom.yaml',
      '\uFEFFapiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    );
    expect(resources).toBe(1);
    expect(parseLevel(findings)).toEqual([]);
  });

  // A BOM at the start of a later document (YAML allows one per document) is not part of the first key.
  it('a BOM at the start of a later document is ignored', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\uFEFFapiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n';
    const { findings, resources } = lintAll('bom.yaml', text);
    expect(resources).toBe(2);
    expect(parseLevel(findings)).toEqual([]);
  });

  it('CRLF line endings: findings point at the right line and column', () => {
    const text =
      'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: x\r\nspec:\r\n  type: Bogus\r\n  ports: [{port: 80}]\r\n';
    const { findings } = lintAll('crlf.yaml', text);
    const f = findings.find((x) => x.ruleId === 'k8s-schema');
    expect(f?.location?.start).toEqual({ line: 6, column: 9 });
  });

  it('lone CR line endings are findings, not crashes', () => {
    const text = 'apiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: x\r';
    const { findings } = lintAll('x.yaml', text);
    expectPositioned(
      text,
      findings.map((f) => f.location),
    );
  });

  // go-yaml rejects invalid UTF-8: read from bytes, it is a finding at the first bad byte, no resource
  it('invalid UTF-8 is a yaml-syntax finding at the first bad byte', () => {
    const bytes = Buffer.from([
      ...Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: '),
      0xff,
      0xfe,
      0xc3,
      0x0a,
      0x80,
    ]);
    const { resources, problems } = parseSource('x.yaml', decodeSource('x.yaml', bytes));
    expect(resources).toEqual([]);
    expect(problems.map((p) => [p.ruleId, p.start])).toEqual([['yaml-syntax', { line: 4, column: 9 }]]);
  });

  // YAML forbids C0 control characters such as NUL outside escapes (go-yaml, and so kubectl, rejects
  // them): a finding at the character, and no resource with the bad value.
  it('NUL bytes are a yaml-syntax finding with a position', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\u0000b\n';
    const { findings, resources } = lintAll('nul.yaml', text);
    const f = findings.find((x) => x.ruleId === 'yaml-syntax');
    expect(f?.location?.start.line).toBe(4);
    expect(f?.location?.start).toEqual({ line: 4, column: 10 });
    expect(f?.message).toContain('U+0000');
    expect(resources).toBe(0);
  });

  // Reported to the lead: kubectl's YAML decoder (go-yaml v2, Go's ParseInt with base 0) reads the
  // plain scalar `0o17` as the integer 15; shipshape reads a string (found by the differential
  // test). Flip to `it` when the parser agrees.
  it('`0o17` is an integer, as kubectl reads it', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: x\nimmutable: 0o17\n';
    const { resources } = parseSource('o.yaml', text);
    expect(resources[0]?.object.immutable).toBe(15);
  });

  it('NUL bytes never crash the parser', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\u0000b\ndata:\n  \u0000: x\n';
    const { findings } = lintAll('nul.yaml', text);
    expectPositioned(
      text,
      findings.map((f) => f.location),
    );
  });

  it('thousands of documents: 20 000 empty and 5 000 small documents', () => {
    const empty = '---\n'.repeat(20_000);
    expect(timed(() => lintAll('e.yaml', empty)).ms).toBeLessThan(8000);
    const small = Array.from(
      { length: 5000 },
      (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: ns}\n`,
    ).join('---\n');
    const { value, ms } = timed(() => lintAll('s.yaml', small));
    expect(ms).toBeLessThan(8000);
    expect(value.resources).toBe(5000);
  });
});

/**
 * Shapes the round-trip property generates. `false` marks a fixer gap reported to the lead (see
 * docs/differential.md): the `it.fails` reproductions below turn red once it is fixed; then flip the
 * test to `it` and the shape here to `true`.
 */
const FIXER_SHAPES = { lists: true, crlf: true };

describe('--fix round trip', () => {
  /** The CLI's loop (src/cli/lint.ts): apply, re-lint, until nothing changes (10 passes at most). */
  function fixToFixedPoint(text: string): { text: string; passes: number } {
    let cur = text;
    for (let pass = 1; pass <= 10; pass++) {
      const { findings } = lintAll('m.yaml', cur);
      const next = applyFixes(cur, findings, { unsafe: true });
      if (next === cur) return { text: cur, passes: pass };
      cur = next;
    }
    return { text: cur, passes: 11 };
  }
  const CRON =
    'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: web\nspec:\n  schedule: "*/5 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: c0\n            image: registry.example.com/app:1.0\n';

  // A fix on an item of a `kind: List` patches that item (Finding.location.pointer).
  it('fixes on List items patch the item', () => {
    const list = 'apiVersion: v1\nkind: List\nitems:\n- ' + CRON.trimEnd().replace(/\n/g, '\n  ') + '\n';
    const { text } = fixToFixedPoint(list);
    expect(text).toContain('\n    concurrencyPolicy: Forbid\n');
    expect(text).not.toMatch(/^spec:/m);
  });

  // Text inserted into a CRLF file uses CRLF line endings.
  it('fixes keep CRLF line endings', () => {
    const { text } = fixToFixedPoint(CRON.replace(/\n/g, '\r\n'));
    expect(text).toContain('concurrencyPolicy: Forbid\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  const key = (f: Finding) =>
    `${f.ruleId} ${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name ?? ''} ${f.path}`;

  it('fixing then linting again leaves no finding of the fixed rules, and fixing again changes nothing', () => {
    fc.assert(
      fc.property(manifestArb(FIXER_SHAPES), ({ text, comments }) => {
        const before = lintAll('m.yaml', text);
        const fixable = before.findings.filter((f) => f.fix && !f.suppressed);
        const { text: fixed, passes } = fixToFixedPoint(text);
        expect(passes, 'the fix loop did not converge in 10 passes').toBeLessThanOrEqual(10);

        const after = lintAll('m.yaml', fixed);
        expect(after.problems.filter((p) => p.ruleId === 'yaml-syntax')).toEqual([]);
        expect(after.resources).toBe(before.resources);
        const remaining = new Set(after.findings.map(key));
        for (const f of fixable)
          expect(remaining.has(key(f)), `still there after its fix: ${key(f)}`).toBe(false);
        expect(after.findings.filter((f) => f.fix)).toEqual([]);
        // idempotent: a second run is a no-op
        expect(applyFixes(fixed, after.findings, { unsafe: true })).toBe(fixed);
        // comments and line endings survive
        for (const c of comments) expect(fixed).toContain(c);
        if (text.includes('\r\n')) expect(fixed.replace(/\r\n/g, '')).not.toContain('\n');
      }),
      { numRuns: 40, seed: 4 },
    );
  });
});
