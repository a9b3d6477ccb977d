// The input/output contract of Rego checks (docs/policies.md), with policies built by the real opa.
import { beforeAll, describe, expect, it } from 'vitest';
import { PolicyRuntime, toPointer, type RegoBindingSpec } from '../../src/engine/checks/rego.js';
import { compileRules } from '../../src/engine/compile.js';
import { lint } from '../../src/engine/run.js';
import type { Finding } from '../../src/engine/types.js';
import { loadPolicyPath } from '../../src/policy/load.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { parseSource } from '../../src/source/parse.js';
import { buildBundle, lintWith, ruleDef } from './helpers.js';

const VIEWS = `package views

violation contains json.marshal({
	"top_kind": object.get(input, "kind", null),
	"top_keys": sort(object.keys(input)),
	"review_kind": object.get(input, ["review", "kind"], null),
	"review_name": object.get(input, ["review", "name"], null),
	"review_namespace": object.get(input, ["review", "namespace"], null),
	"review_operation": object.get(input, ["review", "operation"], null),
	"review_object_kind": object.get(input, ["review", "object", "kind"], null),
	"review_object_parameters": object.get(input, ["review", "object", "parameters"], null),
	"parameters": object.get(input, "parameters", null),
	"data": extra,
})

extra := data.extra if {
	data.extra
} else := null
`;

const RESULTS = `package results

deny contains "a plain string" if input.kind == "Pod"

deny contains {"msg": "json pointer", "path": "/spec/containers/0/image"} if input.kind == "Pod"

deny contains {"msg": "dotted path", "path": "spec.containers[0].name"} if input.kind == "Pod"

deny contains {"msg": "bracketed key", "path": "metadata.labels[\\"app.kubernetes.io/name\\"]"} if input.kind == "Pod"

deny contains {"msg": "segments", "path": ["metadata", "labels", "team"]} if input.kind == "Pod"

deny contains {"msg": "gatekeeper prefix", "path": "review.object.metadata.name"} if input.kind == "Pod"

deny contains {"msg": "missing field walks up", "path": "spec.containers[0].securityContext.runAsNonRoot"} if input.kind == "Pod"

deny contains {"message": "message key"} if input.kind == "Pod"

deny contains {"no": "msg"} if input.kind == "Pod"

warn contains "a warning" if input.kind == "Pod"

warn contains {"msg": "a warning raised to error", "severity": "error"} if input.kind == "Pod"

violation contains {"msg": "gatekeeper entry", "details": {"x": 1}} if input.kind == "Pod"

violation contains {"msg": "sub-check at info", "severity": "info", "rule": "sub-check"} if input.kind == "Pod"
`;

const DOC = `package doc

deny contains "document deny" if input.kind == "Pod"

warn contains "document warn" if input.kind == "Pod"

helper := 42
`;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels:
    app.kubernetes.io/name: web
    team: payments
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
`;

const POLICY_ERROR = builtinRules().find((d) => d.id === 'policy-error')!;
const at = (f: Finding) => `${f.location!.start.line}:${f.location!.start.column}`;

describe('toPointer', () => {
  it.each([
    ['/spec/containers/0/image', '/spec/containers/0/image'],
    ['', ''],
    ['spec.template.spec.containers[0].image', '/spec/template/spec/containers/0/image'],
    ['metadata.labels["app.kubernetes.io/name"]', '/metadata/labels/app.kubernetes.io~1name'],
    ["metadata.annotations['a~b']", '/metadata/annotations/a~0b'],
    ['input.spec.replicas', '/spec/replicas'],
    ['review.object.spec.replicas', '/spec/replicas'],
    ['input.review.object.spec.replicas', '/spec/replicas'],
    ['/review/object/spec/replicas', '/spec/replicas'],
    ['/review/object', ''],
  ])('%j → %j', (path, pointer) => expect(toPointer(path)).toBe(pointer));

  it('takes arrays of segments and rejects what it cannot read', () => {
    expect(toPointer(['spec', 'containers', 0, 'image'])).toBe('/spec/containers/0/image');
    expect(toPointer(42)).toBeUndefined();
    expect(toPointer('spec.[')).toBeUndefined();
  });
});

describe('the input/output contract', () => {
  let views: RegoBindingSpec['module'];
  let results: RegoBindingSpec['module'];
  beforeAll(() => {
    views = loadPolicyPath(
      buildBundle({ 'views.rego': VIEWS, 'data.json': '{"extra": "bundle"}' }, ['views/violation']),
    )[0]!.module;
    results = loadPolicyPath(
      buildBundle({ 'results.rego': RESULTS, 'doc.rego': DOC }, [
        'results/deny',
        'results/warn',
        'results/violation',
        'doc',
      ]),
    )[0]!.module;
  }, 120_000);

  const viewOf = async (spec: Omit<RegoBindingSpec, 'module'>, text = POD) => {
    const { findings } = await lintWith({ module: views, ...spec }, text);
    expect(findings).toHaveLength(1);
    return JSON.parse(findings[0]!.message) as Record<string, unknown>;
  };

  it('gives the resource as input and as input.review.object, with input.parameters (both views, the default)', async () => {
    expect(await viewOf({ parameters: { max: 3 } })).toEqual({
      top_kind: 'Pod',
      top_keys: ['apiVersion', 'kind', 'metadata', 'parameters', 'review', 'spec'],
      review_kind: { group: '', version: 'v1', kind: 'Pod' },
      review_name: 'web',
      review_namespace: 'shop',
      review_operation: 'CREATE',
      review_object_kind: 'Pod',
      review_object_parameters: null,
      parameters: { max: 3 },
      data: 'bundle',
    });
  });

  it('gives only the conftest view or only the Gatekeeper view when asked', async () => {
    const conftest = await viewOf({ input: 'conftest' });
    expect(conftest.top_keys).toEqual(['apiVersion', 'kind', 'metadata', 'parameters', 'spec']);
    expect(conftest.review_object_kind).toBeNull();
    expect(conftest.parameters).toEqual({});
    const gatekeeper = await viewOf({ input: 'gatekeeper', parameters: { a: 1 } });
    expect(gatekeeper.top_keys).toEqual(['parameters', 'review']);
    expect(gatekeeper.review_object_kind).toBe('Pod');
    expect(gatekeeper.review_kind).toEqual({ group: '', version: 'v1', kind: 'Pod' });
  });

  it('keeps a resource’s own top-level parameters under input.review.object (StorageClass)', async () => {
    const sc =
      'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: fast }\nprovisioner: x\nparameters: { type: ssd }\n';
    const v = await viewOf({ parameters: { mine: true } }, sc);
    expect(v.parameters).toEqual({ mine: true });
    expect(v.review_object_parameters).toEqual({ type: 'ssd' });
    expect(v.review_kind).toEqual({ group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' });
  });

  it('merges config data over the bundle’s data.json', async () => {
    expect((await viewOf({ data: { extra: 'config' } })).data).toBe('config');
  });

  it('maps deny, warn and violation entries to findings with exact positions', async () => {
    const { findings } = await lintWith({ module: results, entrypoints: ['results'] }, POD);
    const rows = findings.map((f) => `${at(f)} ${f.severity} ${f.message} ${f.path}`).sort();
    expect(rows).toEqual(
      [
        '1:1 error a plain string ',
        '1:1 error message key ',
        '1:1 error {"no": "msg"} ',
        '1:1 warn a warning ',
        '1:1 error a warning raised to error ',
        '1:1 error gatekeeper entry ',
        '1:1 info [sub-check] sub-check at info ',
        '12:14 error json pointer /spec/containers/0/image',
        '11:13 error dotted path /spec/containers/0/name',
        '7:29 error bracketed key /metadata/labels/app.kubernetes.io~1name',
        '8:11 error segments /metadata/labels/team',
        '4:9 error gatekeeper prefix /metadata/name',
        '11:7 error missing field walks up /spec/containers/0/securityContext/runAsNonRoot',
      ].sort(),
    );
  });

  it('reads a package entrypoint as a document holding deny/warn/violation', async () => {
    const { findings } = await lintWith({ module: results, entrypoints: ['doc'] }, POD);
    expect(findings.map((f) => `${f.severity} ${f.message}`).sort()).toEqual([
      'error document deny',
      'warn document warn',
    ]);
  });

  it('evaluates every entrypoint by default, but not those inside a package entrypoint', async () => {
    const { findings, runtime } = await lintWith({ module: results }, POD);
    expect(findings.filter((f) => f.message.startsWith('document'))).toHaveLength(2);
    expect(findings).toHaveLength(15);
    expect(runtime.stats()[0]!.evaluations).toBe(1);
  });

  it('names unknown entrypoints with the ones the module has', async () => {
    await expect(lintWith({ module: results, entrypoints: ['nope/deny'] }, POD)).rejects.toThrow(
      /no entrypoint "nope\/deny" \(entrypoints: doc, results\/deny, results\/violation, results\/warn/,
    );
  });

  it('restricts evaluation to the binding’s kinds', async () => {
    const { findings, runtime } = await lintWith(
      { module: results, entrypoints: ['results/warn'], kinds: ['Deployment'] },
      POD,
    );
    expect(findings).toEqual([]);
    expect(runtime.stats()[0]!.evaluations).toBe(0);
  });

  it('lets config severities win over per-result severities', async () => {
    const runtime = new PolicyRuntime();
    const rules = await compileRules(
      [ruleDef()],
      { presets: [], rules: { p: 'info' } },
      { rego: runtime.compileDeps(() => ({ module: results, entrypoints: ['results/warn'] })) },
    );
    const findings = lint(parseSource('t.yaml', POD).resources, { rules });
    expect(findings.map((f) => f.severity)).toEqual(['info', 'info']);
  });

  it('drops policy-error findings when that rule is off', async () => {
    const runtime = new PolicyRuntime({ maxInputKiB: 1 });
    const rules = await compileRules(
      [ruleDef(), POLICY_ERROR],
      { presets: [], rules: { p: {} } },
      { rego: runtime.compileDeps(() => ({ module: results })) },
    );
    const big = POD + `  hostname: ${'x'.repeat(2000)}\n`;
    expect(lint(parseSource('t.yaml', big).resources, { rules })).toEqual([]);
  });
});
