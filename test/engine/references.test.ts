// Unit tests for the cross-resource reference rules and deprecated-api: behaviour that the
// fixture runner cannot show (other target versions, fixes, the shared index) and the validity of
// the fixtures themselves.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../src/engine/compile.js';
import { lint } from '../../src/engine/run.js';
import { DEFAULT_KINDS } from '../../src/engine/pod-kinds.js';
import type { Finding } from '../../src/engine/types.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { RULE_FUNCTIONS as functions } from '../../src/rules/registry.generated.js';
import { bundledSchemas } from '../../src/schema/bundled.js';
import { SchemaRegistry } from '../../src/schema/registry.js';
import { applyFixes } from '../../src/source/fix.js';
import { parseSource } from '../../src/source/parse.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const source = bundledSchemas();
/** The cross-resource reference rules and deprecated-api (once src/engine/functions/references.ts). */
const RULE_IDS = [
  'no-unmatched-service-selector',
  'no-unmatched-pdb-selector',
  'no-unmatched-network-policy-selector',
  'no-dangling-ingress-backend',
  'no-dangling-hpa-target',
  'no-dangling-configmap-ref',
  'no-dangling-secret-ref',
  'no-dangling-pvc-ref',
  'no-dangling-service-account-ref',
  'no-dangling-role-ref',
  'deprecated-api',
];

async function run(
  ruleId: string,
  text: string,
  version?: string,
  options?: Record<string, unknown>,
): Promise<Finding[]> {
  const rules = await compileRules(builtinRules(), {
    presets: [],
    rules: { [ruleId]: options ? { severity: 'warn', options } : 'warn' },
  });
  const parsed = parseSource('test.yaml', text);
  return lint(parsed.resources, { rules, schemas: new SchemaRegistry(source, version) }).filter(
    (f) => f.ruleId === ruleId,
  );
}

const flowSchema = (apiVersion: string) => `apiVersion: ${apiVersion}
kind: FlowSchema
metadata:
  name: batch-jobs
spec:
  priorityLevelConfiguration:
    name: workload-low
  matchingPrecedence: 1000
  rules:
    - subjects:
        - kind: ServiceAccount
          serviceAccount:
            name: batch
            namespace: jobs
      resourceRules:
        - verbs: ["*"]
          apiGroups: ["*"]
          resources: ["*"]
          namespaces: ["*"]
`;

describe('deprecated-api', () => {
  it('reports an API from the deprecation table while it is served, with its removal release', async () => {
    const findings = await run('deprecated-api', flowSchema('flowcontrol.apiserver.k8s.io/v1beta3'), '1.31');
    expect(findings.map((f) => f.message)).toEqual([
      'FlowSchema batch-jobs uses the deprecated API flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema (deprecated since 1.29, no longer served from 1.32): move to flowcontrol.apiserver.k8s.io/v1.',
    ]);
    expect(findings[0]!.path).toBe('/apiVersion');
    expect(findings[0]!.fix).toEqual({
      safety: 'unsafe',
      patch: [{ op: 'replace', path: '/apiVersion', value: 'flowcontrol.apiserver.k8s.io/v1' }],
    });
  });

  it('leaves APIs that are no longer served to removed-api', async () => {
    expect(await run('deprecated-api', flowSchema('flowcontrol.apiserver.k8s.io/v1beta3'), '1.32')).toEqual(
      [],
    );
    expect(await run('removed-api', flowSchema('flowcontrol.apiserver.k8s.io/v1beta3'), '1.32')).toHaveLength(
      1,
    );
  });

  it('reports a deprecation only from the release that made it', async () => {
    const endpoints = 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\nsubsets: []\n';
    expect(await run('deprecated-api', endpoints, '1.32')).toEqual([]);
    const [f] = await run('deprecated-api', endpoints, '1.33');
    expect(f?.message).toBe(
      'Endpoints db uses the deprecated API v1 Endpoints (deprecated since 1.33, no removal scheduled): move to discovery.k8s.io/v1 EndpointSlice.',
    );
    expect(f?.fix).toBeUndefined(); // another kind: no mechanical fix
  });

  it('names the release that stopped serving a pre-release version, when the bundles show it', async () => {
    const ip =
      'apiVersion: networking.k8s.io/v1beta1\nkind: IPAddress\nmetadata:\n  name: 10.96.0.20\nspec:\n  parentRef:\n    resource: services\n    name: web\n    namespace: shop\n';
    const [f] = await run('deprecated-api', ip, '1.35');
    expect(f?.message).toBe(
      'IPAddress 10.96.0.20 uses the deprecated API networking.k8s.io/v1beta1 IPAddress (pre-release, while Kubernetes 1.35 serves the stable networking.k8s.io/v1; no longer served from 1.37): move to networking.k8s.io/v1.',
    );
  });

  it('does not report a pre-release version before its stable version exists', async () => {
    const vac =
      'apiVersion: storage.k8s.io/v1beta1\nkind: VolumeAttributesClass\nmetadata:\n  name: fast\ndriverName: csi.example.com\n';
    expect(await run('deprecated-api', vac, '1.33')).toEqual([]);
    expect(await run('deprecated-api', vac, '1.34')).toHaveLength(1);
  });

  it('has an unsafe fix that moves the manifest to the stable version', async () => {
    const text = readFileSync(join(ROOT, 'test/rules/deprecated-api/invalid.yaml'), 'utf8');
    const findings = await run('deprecated-api', text);
    const fixed = applyFixes(text, findings, { unsafe: true });
    expect(fixed).toContain(
      'apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata:\n  name: fire-beta-device-class',
    );
    expect(fixed).toContain(
      'apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingAdmissionPolicyBinding',
    );
    // Only Endpoints (no same-kind replacement) is left.
    expect((await run('deprecated-api', fixed)).map((f) => f.resource.name)).toEqual(['fire-endpoints']);
    expect(applyFixes(text, findings, { unsafe: false })).toBe(text);
  });
});

describe('reference rules', () => {
  it('build one index per run and share it', () => {
    const memo = new Map<string, unknown>();
    const resources = parseSource(
      'x.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector:\n    app: a\n  ports:\n    - port: 80\n',
    ).resources;
    const env = { strict: true, ignoreMissingSchemas: false, resources, memo, kinds: DEFAULT_KINDS };
    const ctx = {
      object: resources[0]!.object,
      resource: resources[0]!,
      target: resources[0]!.object,
      targetPath: '',
      options: {},
      env,
    };
    expect(functions['no-unmatched-service-selector']!(ctx)).toHaveLength(1);
    const index = memo.get('references:set-index');
    expect(index).toBeDefined();
    functions['no-unmatched-service-selector']!(ctx);
    expect(memo.get('references:set-index')).toBe(index);
  });

  it('compare label values as strings (YAML numbers and booleans included)', async () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    version: "2"
spec:
  containers:
    - name: c
      image: registry.example.com/c:1.0.0
---
apiVersion: v1
kind: Service
metadata:
  name: s
spec:
  selector:
    version: "2"
  ports:
    - port: 80
`;
    expect(await run('no-unmatched-service-selector', text)).toEqual([]);
  });

  it('escape label keys with a slash in finding paths', async () => {
    const text = `apiVersion: v1
kind: Service
metadata:
  name: s
spec:
  selector:
    app.kubernetes.io/name: web
  ports:
    - port: 80
`;
    const [f] = await run('no-unmatched-service-selector', text);
    expect(f?.path).toBe('/spec/selector/app.kubernetes.io~1name');
  });

  it('take the ignore option as exact names and * patterns', async () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  imagePullSecrets:
    - name: pull-secret
    - name: team-a-tls
    - name: other
  containers:
    - name: c
      image: registry.example.com/c:1.0.0
`;
    const names = async (ignore: string[]) =>
      (await run('no-dangling-secret-ref', text, undefined, { ignore })).map((f) => f.path.split('/')[3]);
    expect(await names([])).toEqual(['0', '1', '2']);
    expect(await names(['pull-secret', '*-tls'])).toEqual(['2']);
  });
});

describe('fixtures of the reference rules', () => {
  // Every fixture and example must be a realistic manifest: valid against the bundled schemas.
  const files: Array<[string, string]> = [];
  for (const id of RULE_IDS) {
    const dir = join(ROOT, 'test/rules', id);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml') && n !== 'options.yaml')) {
      files.push([`${id}/${f}`, readFileSync(join(dir, f), 'utf8')]);
    }
    const def = builtinRules().find((d) => d.id === id)!;
    files.push(
      [`${id} invalid example`, def.examples!.invalid],
      [`${id} valid example`, def.examples!.valid],
    );
  }

  it.each(files)('%s is valid Kubernetes 1.37', async (_name, text) => {
    const findings = await run('k8s-schema', text);
    expect(findings.map((f) => `${f.resource.kind}/${f.resource.name} ${f.path}: ${f.message}`)).toEqual([]);
  });
});
