// Regular expressions from input and config run on RE2, as the API server and OPA do: Go syntax
// means what it means there, a pattern RE2 rejects is an error, and nothing backtracks.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/program/main.js';
import { compileRules, RuleConfigError } from '../../src/engine/compile.js';
import { compilePattern, PatternError } from '../../src/engine/regex.js';
import { lint } from '../../src/engine/run.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { bundledSchemas } from '../../src/schema/bundled.js';
import { SchemaRegistry } from '../../src/schema/registry.js';
import { validateSchema } from '../../src/schema/validate.js';
import { parseSource } from '../../src/source/parse.js';
import { widgetCrd } from '../helpers/crd.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/shipshape.js');
/** Exponential for a backtracking engine on a long value that ends in a character it rejects. */
const HOSTNAME_LIKE = '^([a-z0-9]+[.-]?)*[a-z0-9]$';

const crd = (props: Record<string, unknown>) =>
  widgetCrd({ type: 'object', properties: { spec: { type: 'object', properties: props } } });
const widget = (spec: Record<string, unknown>) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w' },
  spec,
});

function checkWidget(props: Record<string, unknown>, spec: Record<string, unknown>): string[] {
  const reg = new SchemaRegistry(bundledSchemas());
  reg.registerCrd(crd(props));
  const hit = reg.lookup('example.com/v1', 'Widget');
  if (hit.status !== 'found') throw new Error(hit.message);
  return hit.check(widget(spec), { strict: true, redact: false }).map((e) => e.message);
}

describe('CRD patterns use RE2', () => {
  it('understand POSIX classes, (?i) and \\z as the API server does', () => {
    const props = {
      alnum: { type: 'string', pattern: '^[[:alnum:]]+$' },
      ci: { type: 'string', pattern: '(?i)^abc$' },
      end: { type: 'string', pattern: '^v[0-9]+\\z' },
    };
    expect(checkWidget(props, { alnum: 'abc123', ci: 'ABC', end: 'v12' })).toEqual([]);
    expect(checkWidget(props, { alnum: 'a-b', ci: 'abd', end: 'v1x' })).toEqual([
      'spec.alnum: must match the pattern ^[[:alnum:]]+$, got "a-b"',
      'spec.ci: must match the pattern (?i)^abc$, got "abd"',
      'spec.end: must match the pattern ^v[0-9]+\\z, got "v1x"',
    ]);
  });

  it('search the value (unanchored), as JSON Schema and Go do', () => {
    const props = { s: { type: 'string', pattern: '[0-9]' } };
    expect(checkWidget(props, { s: 'abc1def' })).toEqual([]);
    expect(checkWidget(props, { s: 'abcdef' })).toEqual([
      'spec.s: must match the pattern [0-9], got "abcdef"',
    ]);
  });

  it('say a pattern RE2 rejects cannot be checked, instead of matching anything', () => {
    // (A CRD with such a pattern is refused as a whole: test/schema/crd.test.ts.)
    const schema = { type: 'object', properties: { s: { type: 'string', pattern: '^(?=a)b' } } };
    const out = validateSchema({ s: 'zzz' }, schema, {
      strict: true,
      redact: false,
      resolve: () => undefined,
    });
    expect(out.map((e) => e.message)).toEqual([
      's: cannot be checked: its schema\'s pattern "^(?=a)b" is not a valid RE2 regular expression: invalid or unsupported Perl syntax: `(?=`',
    ]);
  });

  it('finish in linear time on a pattern that makes backtracking engines hang', () => {
    const value = 'a'.repeat(5000) + '!';
    expect(checkWidget({ host: { type: 'string', pattern: HOSTNAME_LIKE } }, { host: value })).toHaveLength(
      1,
    );
  });

  it('compile each pattern string once', () => {
    expect(compilePattern('^a+$')).toBe(compilePattern('^a+$'));
    expect(() => compilePattern('(a')).toThrow(PatternError);
  });
});

describe('rule options with format: regex use RE2', () => {
  const labelsRule = builtinRules().filter((d) => d.id === 'require-labels');
  const deployment = (tier: string) =>
    parseSource(
      'd.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    tier: "${tier}"\n`,
    ).resources;

  it('accept RE2 syntax and match the whole value with it', async () => {
    const rules = await compileRules(labelsRule, {
      presets: [],
      rules: { 'require-labels': { options: { labels: [{ key: 'tier', pattern: '[[:digit:]]+' }] } } },
    });
    expect(lint(deployment('12'), { rules })).toEqual([]);
    expect(lint(deployment('1a'), { rules }).map((f) => f.ruleId)).toEqual(['require-labels']);
  });

  it('reject what RE2 rejects (lookahead) as a configuration error', async () => {
    await expect(
      compileRules(labelsRule, {
        presets: [],
        rules: { 'require-labels': { options: { labels: [{ key: 'tier', pattern: '(?=x)x' }] } } },
      }),
    ).rejects.toThrow(RuleConfigError);
  });
});

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await run([...args, '--no-config', '--preset', 'schema'], {
    cwd,
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: () => Promise.resolve(''),
    env: {},
  });
  return { code, stdout, stderr };
}

describe('--schema-location schemas use RE2', () => {
  it('validate with a Go-syntax pattern ajv alone would refuse to compile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-re2-'));
    mkdirSync(join(dir, 'schemas'));
    const schema = {
      type: 'object',
      properties: {
        spec: { type: 'object', properties: { name: { type: 'string', pattern: '^[[:lower:]]+$' } } },
      },
    };
    writeFileSync(join(dir, 'schemas/widget.json'), JSON.stringify(schema));
    writeFileSync(
      join(dir, 'w.yaml'),
      'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  name: Abc\n',
    );
    const r = await cli(['lint', 'w.yaml', '--schema-location', 'schemas/{{ .ResourceKind }}.json'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('spec.name: must match pattern "^[[:lower:]]+$"');
    expect(r.code).toBe(1);
  });
});

describe('the CLI on a hostile pattern (dist/, built by npm run build)', () => {
  it('reports the mismatch instead of hanging', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-redos-'));
    const text = [
      JSON.stringify(crd({ host: { type: 'string', pattern: HOSTNAME_LIKE } })),
      JSON.stringify(widget({ host: 'a'.repeat(40) + '!' })),
    ].join('\n---\n');
    writeFileSync(join(dir, 'in.yaml'), text + '\n');
    const r = spawnSync(process.execPath, [BIN, 'lint', 'in.yaml', '--no-config', '--preset', 'schema'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toContain('spec.host: must match the pattern');
    expect(r.status).toBe(1);
  });
});

describe('--schema-location schema with a pattern RE2 rejects', () => {
  it('is a one-line usage error naming the schema (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-re2-'));
    mkdirSync(join(dir, 'schemas'));
    const schema = { type: 'object', properties: { spec: { type: 'string', pattern: '(?<!x)y' } } };
    writeFileSync(join(dir, 'schemas/widget.json'), JSON.stringify(schema));
    writeFileSync(join(dir, 'w.yaml'), 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n');
    const r = await cli(['lint', 'w.yaml', '--schema-location', 'schemas/{{ .ResourceKind }}.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^shipshape: schema at schemas\/widget\.json does not compile: "\(\?<!x\)y" is not a valid RE2 regular expression: .*\n$/,
    );
  });
});

describe('rule options with * globs (the no-dangling-*-ref ignore lists, dist/)', () => {
  it('match in linear time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-ignore-'));
    const name = 'a'.repeat(60);
    writeFileSync(
      join(dir, '.shipshape.yaml'),
      `presets: []\nrules:\n  no-dangling-configmap-ref:\n    options:\n      ignore: ["*a*a*a*a*a*a*a*a*a*a*a*b"]\n`,
    );
    writeFileSync(
      join(dir, 'pod.yaml'),
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: registry.example.com/app:1.0\n      envFrom:\n        - configMapRef:\n            name: ${name}\n`,
    );
    const r = spawnSync(process.execPath, [BIN, 'lint', 'pod.yaml', '-f', 'json'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.error).toBeUndefined();
    const out = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string }> };
    expect(out.findings.map((f) => f.ruleId)).toEqual(['no-dangling-configmap-ref']);
  });
});
