// Sensitive values are never printed, by one rule (src/engine/redact.ts): schema messages in every
// format, --fix-dry-run diffs, and syntax-error messages that echo the line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/program/main.js';
import { isSensitive } from '../../src/engine/redact.js';
import { formatNames, formatters } from '../../src/formatters/index.js';
import { lintText } from '../../src/index.js';
import { redactManifestText } from '../../src/source/redact-text.js';

const SECRETS = ['27182818', '31415926', 'hunter2-literal', 's3cr3t-token-value', 'ghp_'];

const manifests = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  password: 27182818
  replicas: 3
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "2"
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.0
          imagePullPolicy: ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
          env:
            - name: DB_PASSWORD
              value: 31415926
`;

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    cwd,
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: () => Promise.resolve(''),
    env: {},
  });
  return { code, stdout, stderr };
}

describe('schema messages', () => {
  it('hide values under credential-named keys and credential-looking values, in every format', async () => {
    const { findings } = await lintText('m.yaml', manifests, { presets: ['schema'] });
    expect(findings.map((f) => f.message)).toEqual([
      'data.password: expected string, got integer',
      'data.replicas: expected string, got integer 3',
      'spec.replicas: expected integer, got string "2"',
      'spec.template.spec.containers[0].imagePullPolicy: must be one of Always, Never, IfNotPresent, got string',
      'spec.template.spec.containers[0].env[0].value: expected string, got integer',
    ]);
    for (const name of formatNames) {
      const out = formatters[name](findings, {
        cwd: '/',
        color: false,
        rules: new Map(),
        toolVersion: '0',
        filesLinted: 1,
        resourcesLinted: 2,
      });
      for (const s of SECRETS) expect(out, `${name} prints ${s}`).not.toContain(s);
    }
  });

  it('hide numbers out of range under a credential-named key too', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'vaults.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Vault', plural: 'vaults' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      pin: { type: 'integer', maximum: 9 },
                      apiToken: { type: 'integer', maximum: 9 },
                      size: { type: 'integer', maximum: 9 },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };
    const vault = {
      apiVersion: 'example.com/v1',
      kind: 'Vault',
      metadata: { name: 'v' },
      spec: { pin: 12, apiToken: 27182818, size: 10 },
    };
    const { findings } = await lintText(
      'v.yaml',
      [crd, vault].map((d) => JSON.stringify(d)).join('\n---\n'),
      { presets: ['schema'] },
    );
    expect(findings.map((f) => f.message)).toEqual([
      'spec.pin: must be at most 9, got 12',
      'spec.apiToken: must be at most 9',
      'spec.size: must be at most 9, got 10',
    ]);
  });
});

describe('the redaction rule', () => {
  it('covers Secrets but their identity, credential-named keys, name/value entries and credential formats', () => {
    const secret = { kind: 'Secret', metadata: { name: 's', annotations: { a: 'x' } }, data: { k: 'v' } };
    expect(isSensitive(secret, ['data', 'k'])).toBe(true);
    expect(isSensitive(secret, ['metadata', 'annotations', 'a'])).toBe(true);
    expect(isSensitive(secret, ['metadata', 'name'])).toBe(false);
    expect(isSensitive({ data: { dbPassword: 1 } }, ['data', 'dbPassword'])).toBe(true);
    expect(isSensitive({ data: { passwordFile: '/x' } }, ['data', 'passwordFile'])).toBe(false);
    expect(isSensitive({ env: [{ name: 'API_KEY', value: 5 }] }, ['env', 0, 'value'])).toBe(true);
    expect(isSensitive({ env: [{ name: 'API_KEY', value: 5 }] }, ['env', 0, 'name'])).toBe(false);
    expect(isSensitive({ x: 'postgres://u:pw1234@db/x' }, ['x'])).toBe(true);
    expect(isSensitive({ x: 'postgres://db/x' }, ['x'])).toBe(false);
  });
});

describe('--fix-dry-run diffs', () => {
  it('redact Secret data and literal credentials in context lines, and keep the change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-redact-'));
    writeFileSync(
      join(dir, 'app.yaml'),
      `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      env:
        - name: DB_PASSWORD
          value: hunter2-literal
---
stringData:
  token: s3cr3t-token-value
kind: Secret
apiVersion: v1
metadata:
  name: s
`,
    );
    const r = await cli(
      ['lint', 'app.yaml', '--no-config', '--fix-dry-run', '--preset', 'pss-restricted'],
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('+      type: RuntimeDefault\n');
    expect(r.stdout).toContain('           value: <redacted>\n');
    expect(r.stdout).toContain('   token: <redacted>\n');
    expect(r.stdout).toContain('         - name: DB_PASSWORD\n');
    for (const s of SECRETS) expect(r.stdout).not.toContain(s);
  });

  it('keep the line structure of block scalars and leave other values alone', () => {
    const text =
      'kind: Secret\napiVersion: v1\nmetadata:\n  name: s\nstringData:\n  key.pem: |\n    -----BEGIN PRIVATE KEY-----\n    abc\n';
    expect(redactManifestText(text)).toBe(
      'kind: Secret\napiVersion: v1\nmetadata:\n  name: s\nstringData:\n  key.pem: <redacted>\n    <redacted>\n    <redacted>\n',
    );
    const plain = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  mode: fast\n';
    expect(redactManifestText(plain)).toBe(plain);
  });

  it('redact documents that do not parse, line by line', () => {
    expect(redactManifestText('kind: ConfigMap\ndata:\n  password: "hunter2-literal\n  mode: [\n')).toBe(
      'kind: ConfigMap\ndata:\n  password: <redacted>\n  mode: [\n',
    );
  });
});

describe('syntax-error messages', () => {
  it('do not echo a credential-named line', async () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  password: |2hunter2x\n    abc\n';
    const { findings } = await lintText('s.yaml', text, { presets: ['schema'] });
    expect(findings.map((f) => `${f.ruleId} ${f.message}`)).toEqual([
      'yaml-syntax Block scalar header includes extra characters: <redacted>',
    ]);
  });

  it('still echo fragments of ordinary lines', async () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  mode: |2fastest\n    abc\n';
    const { findings } = await lintText('s.yaml', text, { presets: ['schema'] });
    expect(findings.map((f) => f.message)).toEqual([
      'Block scalar header includes extra characters: |2fastest',
    ]);
  });
});
