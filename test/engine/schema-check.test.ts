// `check: { schema }` rules written by users (a RuleDefinition handed to the library's compileRules):
// boolean subschemas mean what JSON Schema says (false: nothing matches, true: anything), and a
// malformed schema is a RuleConfigError naming the rule and the schema path, never a crash.
import { describe, expect, it } from 'vitest';
import { compileRules, RuleConfigError } from '../../src/engine/compile.js';
import type { RuleDefinition } from '../../src/engine/rule.js';
import { lint } from '../../src/engine/run.js';
import { parseSource } from '../../src/source/parse.js';

const rule = (schema: unknown, target: RuleDefinition['target'] = 'podSpec'): RuleDefinition =>
  ({
    id: 'custom-check',
    description: 'Disallow what the schema does not describe.',
    category: 'security',
    severity: 'error',
    presets: [],
    match: { kinds: ['PodLike'] },
    target,
    message: '{{kind}} {{name}} breaks the custom check.',
    why: 'The team forbids it.',
    remediation: 'Remove it.',
    check: { schema },
  }) as unknown as RuleDefinition;

const POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: web',
  'spec:',
  '  containers:',
  '    - name: app',
  '      image: example.com/app:1.0',
  '  volumes:',
  '    - name: cache',
  '      emptyDir: {}',
  '    - name: host',
  '      hostPath:',
  '        path: /etc',
  '',
].join('\n');

async function findings(schema: unknown, text = POD, target?: RuleDefinition['target']): Promise<string[]> {
  const rules = await compileRules([rule(schema, target)], {
    presets: [],
    rules: { 'custom-check': 'error' },
  });
  return lint(parseSource('pod.yaml', text).resources, { rules }).map(
    (f) => `${f.location?.start.line}:${f.location?.start.column} ${f.path}`,
  );
}

describe('boolean subschemas in a check: { schema } rule', () => {
  it('false under properties: a present field is a finding at its line; an absent one is none', async () => {
    const schema = { properties: { volumes: { items: { properties: { hostPath: false } } } } };
    expect(await findings(schema)).toEqual(['13:7 /spec/volumes/1/hostPath']);
    expect(await findings(schema, POD.replace(/ {4}- name: host\n[\s\S]*$/, ''))).toEqual([]);
  });

  it('items: false rejects any item, items: true accepts all', async () => {
    expect(await findings({ properties: { volumes: { items: false } } })).toEqual(['10:7 /spec/volumes/0']);
    expect(await findings({ properties: { volumes: { items: true } } })).toEqual([]);
  });

  it('additionalProperties: false closes the object; true leaves it open', async () => {
    const closed = {
      properties: { volumes: { items: { properties: { name: {} }, additionalProperties: false } } },
    };
    expect(await findings(closed)).toEqual(['11:7 /spec/volumes/0/emptyDir']);
    const open = {
      properties: { volumes: { items: { properties: { name: {} }, additionalProperties: true } } },
    };
    expect(await findings(open)).toEqual([]);
  });

  it('true and false in allOf, anyOf, oneOf and not, and as the whole schema', async () => {
    expect(await findings({ allOf: [true, { properties: { hostNetwork: false } }] })).toEqual([]);
    expect(await findings({ anyOf: [false, true] })).toEqual([]);
    expect(await findings({ anyOf: [false, false] })).toEqual(['5:1 /spec']);
    expect(await findings({ oneOf: [true, true] })).toEqual(['5:1 /spec']);
    expect(await findings({ not: true })).toEqual(['5:1 /spec']);
    expect(await findings({ not: false })).toEqual([]);
    expect(await findings(true)).toEqual([]);
    expect(await findings(false)).toEqual(['5:1 /spec']);
  });
});

describe('a malformed schema in a check: { schema } rule', () => {
  it.each([
    [
      { properties: { volumes: 5 } },
      '/properties/volumes: must be a schema (an object, true or false), got number',
    ],
    [{ properties: [] }, '/properties: must be an object mapping field names to schemas, got array'],
    [{ items: 'x' }, '/items: must be a schema (an object, true or false), got string'],
    [{ allOf: { type: 'object' } }, '/allOf: must be a non-empty list of schemas, got object'],
    [{ anyOf: [] }, '/anyOf: must be a non-empty list of schemas, got an empty list'],
    [{ required: 'name' }, '/required: must be a list of field names, got string'],
    [{ enum: 'a' }, '/enum: must be a list of values, got string'],
    [
      { type: 'strnig' },
      '/type: must be one of string, integer, number, boolean, array, object, got "strnig"',
    ],
    [
      { type: ['string', 'null'] },
      '/type: must be one of string, integer, number, boolean, array, object, got array',
    ],
    [{ properties: { a: { pattern: '(' } } }, '/properties/a/pattern: must be a valid regular expression'],
    [{ properties: { a: { minLength: '3' } } }, '/properties/a/minLength: must be a number, got string'],
    [{ $ref: '#/definitions/x' }, '/$ref: is not supported in a rule schema (write the schema inline)'],
    [5, ': must be a schema (an object, true or false), got number'],
  ])('%j is a RuleConfigError naming the rule and the schema path', async (schema, problem) => {
    const compile = compileRules([rule(schema)], { presets: [], rules: { 'custom-check': 'error' } });
    await expect(compile).rejects.toThrow(RuleConfigError);
    await expect(compile).rejects.toThrow(`rule "custom-check": check.schema${problem}`);
  });
});
