// A malformed or v1beta1 CustomResourceDefinition is a finding (at the CRD, naming the field, and at
// its custom resources), never a crash; the other documents are still checked.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/program/main.js';
import { widgetCrd } from '../helpers/crd.js';
import { lintText } from '../../src/index.js';

const crd = widgetCrd;
const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { a: 1 } };
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 1 } };
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const yaml = (...docs: unknown[]) => docs.map((d) => JSON.stringify(d)).join('\n---\n') + '\n';

async function findings(text: string) {
  const { findings } = await lintText('in.yaml', text, { presets: ['schema'] });
  return findings.map((f) => `${f.resource.kind} ${f.ruleId} ${f.path} ${f.message}`);
}

describe('malformed CRD schemas', () => {
  it('are findings at the CRD field and at its resources; the run goes on', async () => {
    const schema = {
      type: 'object',
      properties: {
        spec: null,
        other: { allOf: { a: { type: 'string' } } },
        list: { type: 'array', items: 'string' },
      },
    };
    const P = '/spec/versions/0/schema/openAPIV3Schema/properties';
    const D = 'spec.versions[0].schema.openAPIV3Schema.properties';
    expect(await findings(yaml(crd(schema), widget, configMap))).toEqual([
      `CustomResourceDefinition k8s-schema ${P}/spec ${D}.spec: must be a schema (a mapping), got null`,
      `CustomResourceDefinition k8s-schema ${P}/other/type ${D}.other.type: Required value: must not be empty for specified object fields`,
      `CustomResourceDefinition k8s-schema ${P}/other/allOf ${D}.other.allOf: expected array, got object`,
      `CustomResourceDefinition k8s-schema ${P}/list/items ${D}.list.items: must be a schema (a mapping), got a string`,
      `Widget k8s-schema /apiVersion example.com/v1 Widget cannot be validated: its CustomResourceDefinition widgets.example.com is not usable: ${D}.spec: must be a schema (a mapping), got null (and 2 more)`,
      'ConfigMap k8s-schema /data/k data.k: expected string, got integer 1',
    ]);
  });

  const cases: Array<[string, unknown, string, string]> = [
    [
      'properties as a list',
      { properties: [] },
      '/properties',
      'must be a mapping of names to schemas, got a list',
    ],
    ['a null schema in anyOf', { anyOf: [null] }, '/anyOf/0', 'must be a schema (a mapping), got null'],
    ['not as a number', { not: 5 }, '/not', 'must be a schema (a mapping), got a number'],
    [
      'items as a list',
      { type: 'array', items: [{}] },
      '/items',
      'must be one schema (a mapping); a list of schemas is not allowed in a CRD',
    ],
    ['required as a string', { required: 'a' }, '/required', 'must be a list of strings, got a string'],
    ['enum as a mapping', { enum: { a: 1 } }, '/enum', 'must be a list, got a mapping'],
    [
      'an unknown type',
      { type: 'strnig' },
      '/type',
      // The API server's words (src/schema/api/apiextensions.ts reports it first).
      'Unsupported value: "strnig": supported values: "array", "boolean", "integer", "number", "object", "string"',
    ],
    [
      'additionalProperties as a string',
      { additionalProperties: 'x' },
      '/additionalProperties',
      'must be a schema (a mapping), got a string',
    ],
    [
      'list-map keys as a string',
      { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': 'k' },
      '/x-kubernetes-list-map-keys',
      'must be a list of strings, got a string',
    ],
    ['a negative minLength', { minLength: -1 }, '/minLength', 'must be a whole number ≥ 0, got a number'],
    ['a $ref', { $ref: 'io.k8s.api.core.v1.PodSpec' }, '/$ref', 'Forbidden: $ref is not supported'],
    [
      'a pattern RE2 rejects',
      { type: 'string', pattern: '(?=x)' },
      '/pattern',
      'is not a valid regular expression (RE2 syntax, as the API server uses): invalid or unsupported Perl syntax: `(?=`',
    ],
  ];
  for (const [what, spec, path, message] of cases)
    it(`report ${what}`, async () => {
      const out = await findings(yaml(crd({ type: 'object', properties: { spec } }), widget));
      const at = `/spec/versions/0/schema/openAPIV3Schema/properties/spec${path}`;
      // The bundled CRD schema may word a type error first; either way it is at the field.
      const atField = out.filter((f) => f.startsWith(`CustomResourceDefinition k8s-schema ${at} `));
      expect(atField).toHaveLength(1);
      if (!/expected \w+, got/.test(atField[0]!))
        expect(atField[0]).toMatch(new RegExp(`: ${escape(message)}$`));
      expect(
        out.some((f) =>
          f.startsWith('Widget k8s-schema /apiVersion example.com/v1 Widget cannot be validated'),
        ),
      ).toBe(true);
    });
});

describe('malformed CRDs given with --crd', () => {
  it('are a finding at the CRD file, and its resources say why they are not validated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-crd-'));
    writeFileSync(join(dir, 'crd.yaml'), yaml(crd({ type: 'object', properties: { spec: null } })));
    writeFileSync(join(dir, 'w.yaml'), yaml(widget));
    let stdout = '';
    const code = await run(['lint', 'w.yaml', '--crd', 'crd.yaml', '--no-config', '--preset', 'schema'], {
      cwd: dir,
      stdout: { write: (s: string) => (stdout += s), isTTY: false },
      stderr: { write: () => undefined },
      readStdin: () => Promise.resolve(''),
      env: {},
    });
    expect(code).toBe(1);
    expect(stdout.split('\n').slice(0, 2)).toEqual([
      'crd.yaml:1:333  error  CustomResourceDefinition widgets.example.com (--crd) is not used: spec.versions[0].schema.openAPIV3Schema.properties.spec: must be a schema (a mapping), got null  invalid-resource',
      'w.yaml:1:15     error  example.com/v1 Widget cannot be validated: its CustomResourceDefinition widgets.example.com is not usable: spec.versions[0].schema.openAPIV3Schema.properties.spec: must be a schema (a mapping), got null  k8s-schema',
    ]);
  });
});

describe('apiextensions.k8s.io/v1beta1 CRDs', () => {
  const v1beta1 = {
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      version: 'v1',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      validation: { openAPIV3Schema: { type: 'object' } },
    },
  };
  const REASON =
    'apiVersion: apiextensions.k8s.io/v1beta1 CustomResourceDefinitions were removed in Kubernetes 1.22 and are not read; convert the CRD to apiextensions.k8s.io/v1';

  it('in the input: removed-api at the CRD, and its resources say why they are not validated', async () => {
    expect(await findings(yaml(v1beta1, widget))).toEqual([
      'CustomResourceDefinition removed-api /apiVersion apiextensions.k8s.io/v1beta1 CustomResourceDefinition was removed in Kubernetes 1.22; use apiextensions.k8s.io/v1',
      `Widget k8s-schema /apiVersion example.com/v1 Widget cannot be validated: its CustomResourceDefinition widgets.example.com is not usable: ${REASON}`,
    ]);
  });

  it('given with --crd: a finding at the CRD file, not silence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-crd-'));
    writeFileSync(join(dir, 'crd.yaml'), yaml(v1beta1));
    writeFileSync(join(dir, 'w.yaml'), yaml(widget));
    let stdout = '';
    const code = await run(['lint', 'w.yaml', '--crd', 'crd.yaml', '--no-config', '--preset', 'schema'], {
      cwd: dir,
      stdout: { write: (s: string) => (stdout += s), isTTY: false },
      stderr: { write: () => undefined },
      readStdin: () => Promise.resolve(''),
      env: {},
    });
    expect(code).toBe(1);
    expect(stdout).toContain(
      `crd.yaml:1:15  error  CustomResourceDefinition widgets.example.com (--crd) is not used: ${REASON}  invalid-resource`,
    );
    expect(stdout).toContain('w.yaml:1:15    error  example.com/v1 Widget cannot be validated');
  });
});
