// End to end: policies written here, built with the real opa, linted through the CLI (run()).
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { buildBundle, tempDir, writeFiles } from './helpers.js';

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 5
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: registry.example.com/web:latest
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: { app: web }
  ports:
    - port: 80
`;

// conftest style: the resource is `input`; deny and warn sets of strings or {msg, path}.
const CONFTEST = `package main

deny contains msg if {
	input.kind == "Deployment"
	not input.spec.template.spec.securityContext.runAsNonRoot
	msg := sprintf("%s %s must set runAsNonRoot in its pod security context", [input.kind, input.metadata.name])
}

warn contains {"msg": msg, "path": sprintf("spec.template.spec.containers[%d].image", [i])} if {
	some i, c in input.spec.template.spec.containers
	endswith(c.image, ":latest")
	msg := sprintf("container %q uses the mutable tag latest", [c.name])
}
`;

// Gatekeeper style: input.review.object and input.parameters; violation entries {msg, details}.
const GATEKEEPER = `package shipshape.replicas

violation contains {"msg": msg, "details": {"max": input.parameters.max}, "path": "/spec/replicas"} if {
	obj := input.review.object
	obj.spec.replicas > input.parameters.max
	msg := sprintf("%v asks for %v replicas; at most %v are allowed", [obj.metadata.name, obj.spec.replicas, input.parameters.max])
}

violation contains {"msg": msg} if {
	input.review.kind.kind == "Service"
	not input.review.object.metadata.labels[data.required_label]
	msg := sprintf("Service %v has no %v label", [input.review.name, data.required_label])
}
`;

// Two packages in one bundle, for --policy-namespace.
const TWO_PACKAGES = {
  'a.rego': `package main\n\ndeny contains "from main" if input.kind == "Service"\n`,
  'b.rego': `package team.rules\n\ndeny contains "from team.rules" if input.kind == "Service"\n`,
};

const cli = (args: string[], cwd: string) => runCli(args, { cwd });

describe('user policies through the CLI (opa build -t wasm)', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    writeFileSync(join(dir, 'app.yaml'), MANIFEST);
    copyFileSync(
      buildBundle({ 'main.rego': CONFTEST }, ['main/deny', 'main/warn']),
      join(dir, 'conftest.tar.gz'),
    );
    copyFileSync(
      buildBundle({ 'replicas.rego': GATEKEEPER, 'data.json': '{"required_label": "team"}' }, [
        'shipshape/replicas/violation',
      ]),
      join(dir, 'replicas.tar.gz'),
    );
    copyFileSync(buildBundle(TWO_PACKAGES, ['main/deny', 'team/rules/deny']), join(dir, 'two.tar.gz'));
  }, 120_000);

  it('reports a conftest-style bundle with line:col, deny as error and warn as warning', async () => {
    const r = await cli(
      ['lint', 'app.yaml', '--no-config', '--preset', 'schema', '--policy', 'conftest.tar.gz'],
      dir,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'app.yaml:1:1    error    Deployment web must set runAsNonRoot in its pod security context  conftest',
    );
    expect(r.stdout).toContain(
      'app.yaml:16:18  warning  container "web" uses the mutable tag latest  conftest',
    );
    expect(r.stdout).toContain('2 problems (1 error, 1 warning, 0 info)');
  });

  it('loads the policy.wasm of an extracted bundle folder and a bare .wasm file alike', async () => {
    const { readTar } = await import('../../src/policy/tar.js');
    const { readFileSync } = await import('node:fs');
    const files = readTar(readFileSync(join(dir, 'conftest.tar.gz')));
    writeFiles(join(dir, 'extracted'), { 'policy.wasm': '' });
    writeFileSync(join(dir, 'extracted', 'policy.wasm'), files.get('policy.wasm')!);
    writeFileSync(join(dir, 'bare.wasm'), files.get('policy.wasm')!);
    for (const p of ['extracted', 'bare.wasm']) {
      const r = await cli(
        ['lint', 'app.yaml', '--no-config', '--preset', 'schema', '--policy', p, '-f', 'json'],
        dir,
      );
      const out = JSON.parse(r.stdout) as { findings: { ruleId: string; severity: string }[] };
      expect(out.findings.map((f) => `${f.ruleId} ${f.severity}`).sort()).toEqual([
        `${p.replace('.wasm', '')} error`,
        `${p.replace('.wasm', '')} warn`,
      ]);
    }
  });

  it('takes a Gatekeeper-style policy with parameters and data from .shipshape.yaml', async () => {
    writeFileSync(
      join(dir, '.shipshape.yaml'),
      [
        'policies:',
        '  - path: replicas.tar.gz',
        '    name: replica-cap',
        '    parameters: { max: 3 }',
        '    input: gatekeeper',
        '',
      ].join('\n'),
    );
    const r = await cli(['lint', 'app.yaml', '--preset', 'schema', '-f', 'json'], dir);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as {
      findings: {
        ruleId: string;
        severity: string;
        message: string;
        location: { start: { line: number; column: number } };
      }[];
    };
    expect(out.findings.map((f) => [f.ruleId, f.severity, f.message, f.location.start])).toEqual([
      ['replica-cap', 'error', 'web asks for 5 replicas; at most 3 are allowed', { line: 7, column: 13 }],
      ['replica-cap', 'error', 'Service web has no team label', { line: 18, column: 1 }],
    ]);
    expect(r.code).toBe(1);
  });

  it('lets config data override the bundle data and config rules set the severity', async () => {
    writeFileSync(
      join(dir, '.shipshape.yaml'),
      [
        'policies:',
        '  - path: replicas.tar.gz',
        '    name: replica-cap',
        '    parameters: { max: 10 }',
        '    data: { required_label: owner }',
        'rules:',
        '  replica-cap: warn',
        '',
      ].join('\n'),
    );
    const r = await cli(['lint', 'app.yaml', '--preset', 'schema'], dir);
    expect(r.stdout).toContain('app.yaml:18:1  warning  Service web has no owner label  replica-cap');
    expect(r.code).toBe(0);
  });

  it('selects packages with --policy-namespace', async () => {
    const all = await cli(
      ['lint', 'app.yaml', '--no-config', '--preset', 'schema', '--policy', 'two.tar.gz'],
      dir,
    );
    expect(all.stdout).toContain('from main');
    expect(all.stdout).toContain('from team.rules');
    const team = await cli(
      [
        'lint',
        'app.yaml',
        '--no-config',
        '--preset',
        'schema',
        '--policy',
        'two.tar.gz',
        '--policy-namespace',
        'team.rules',
      ],
      dir,
    );
    expect(team.stdout).not.toContain('from main');
    expect(team.stdout).toContain('app.yaml:18:1  error  from team.rules  two');
  });

  it('fails with exit 2 naming the file and the reason when a policy does not load', async () => {
    writeFileSync(join(dir, 'garbage.wasm'), '\0asm not really');
    writeFiles(join(dir, 'sources'), { 'main.rego': CONFTEST });
    const cases: [string[], RegExp][] = [
      [['--policy', 'missing.tar.gz'], /cannot load policy missing\.tar\.gz: no such file or folder/],
      [['--policy', 'garbage.wasm'], /cannot load policy garbage\.wasm: not a valid WebAssembly module/],
      [
        ['--policy', 'app.yaml'],
        /cannot load policy app\.yaml: not a WebAssembly module, an `opa build` bundle/,
      ],
      [
        ['--policy', 'sources'],
        /cannot load policy sources: the folder holds Rego sources but no compiled policy/,
      ],
      [
        ['--policy', 'two.tar.gz', '--policy-namespace', 'nope'],
        /cannot load policy two\.tar\.gz: no entrypoint in the selected namespaces \(nope\)/,
      ],
      [['--policy-namespace', 'main'], /--policy-namespace selects packages of policies/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['lint', 'app.yaml', '--no-config', '--preset', 'schema', ...args], dir);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    }
  });

  it('rejects a policy that needs a built-in the WebAssembly runtime does not provide', async () => {
    const p = buildBundle(
      { 'clock.rego': 'package main\n\ndeny contains "late" if time.now_ns() > 0\n' },
      ['main/deny'],
      'clock.tar.gz',
    );
    const r = await cli(['lint', 'app.yaml', '--no-config', '--preset', 'schema', '--policy', p], dir);
    expect(r.stderr).toMatch(
      /cannot load policy .*clock\.tar\.gz: it calls built-in functions that the WebAssembly runtime does not provide: time\.now_ns/,
    );
    expect(r.code).toBe(2);
  });

  it('validates parameters of shipped rules and names the rule', async () => {
    writeFileSync(
      join(dir, '.shipshape.yaml'),
      [
        'rules:',
        '  allowed-registries-by-namespace:',
        '    options: { registries: registry.example.com }',
        '',
      ].join('\n'),
    );
    const r = await cli(['lint', 'app.yaml', '--preset', 'schema'], dir);
    expect(r.stderr).toBe(
      'shipshape: rule "allowed-registries-by-namespace": invalid parameters at /registries: must be array\n',
    );
    expect(r.code).toBe(2);
  });

  it('runs the shipped policies from their committed wasm', async () => {
    writeFileSync(
      join(dir, '.shipshape.yaml'),
      [
        'rules:',
        '  allowed-registries-by-namespace:',
        '    options: { registries: [quay.io] }',
        '  require-image-digest-by-namespace:',
        '    options: { namespaces: [shop] }',
        '',
      ].join('\n'),
    );
    const r = await cli(['lint', 'app.yaml', '--preset', 'schema'], dir);
    expect(r.stdout).toContain(
      'app.yaml:16:18  error  Deployment web: container "web" uses image "registry.example.com/web:latest", which is not from a registry allowed in namespace "shop" (allowed: quay.io).  allowed-registries-by-namespace',
    );
    expect(r.stdout).toContain('require-image-digest-by-namespace');
    expect(r.code).toBe(1);
  });
});
