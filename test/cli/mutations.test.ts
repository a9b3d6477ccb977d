// Declarative mutations (`mutations:` in .shipshape.yaml) through `shipshape fix` and `lint --fix-dry-run`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-mut-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The README's seed (shown there verbatim, test/docs/readme.test.ts): require env=prod, add it when missing. */
const SEED = readFileSync(new URL('../fixtures/readme/seed.shipshape.yaml', import.meta.url), 'utf8');

const POD = `# the web pod
apiVersion: v1
kind: Pod
metadata:
  name: web # keep this comment
  labels:
    app: web
spec:
  containers:
    - name: app
      image: "registry.example/app:1.0"
`;

const DEV_POD = POD.replace('    app: web\n', '    app: web\n    env: dev\n');

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: app
          image: registry.example/api:1.0
`;

describe('mutations with shipshape fix', () => {
  it('adds a missing label in place, keeping comments and quoting, and the result lints clean', async () => {
    const dir = workspace({ '.shipshape.yaml': SEED, 'pod.yaml': POD });
    const before = await runCli(['lint', 'pod.yaml'], { cwd: dir });
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('require-labels');
    const r = await runCli(['fix', 'pod.yaml'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'pod.yaml'), 'utf8')).toBe(
      POD.replace('    app: web\n', '    app: web\n    env: prod\n'),
    );
    expect(r.stdout).not.toContain('require-labels');
    // idempotent: a second run changes nothing
    const again = await runCli(['fix', '--dry-run', 'pod.yaml'], { cwd: dir });
    expect(again.stdout).toBe('');
    expect(again.code).toBe(0);
  });

  it('never overwrites a present label without overwrite: true; validation then denies env=dev', async () => {
    const dir = workspace({ '.shipshape.yaml': SEED, 'pod.yaml': DEV_POD });
    const r = await runCli(['fix', 'pod.yaml'], { cwd: dir });
    expect(readFileSync(join(dir, 'pod.yaml'), 'utf8')).toBe(DEV_POD);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('require-labels');

    const over = workspace({
      '.shipshape.yaml': SEED + '    overwrite: true\n',
      'pod.yaml': DEV_POD,
    });
    const o = await runCli(['fix', 'pod.yaml'], { cwd: over });
    expect(o.code).toBe(0);
    expect(readFileSync(join(over, 'pod.yaml'), 'utf8')).toBe(DEV_POD.replace('env: dev', 'env: prod'));
  });

  it('labels a Deployment and its pod template, shown by lint --fix-dry-run as a diff', async () => {
    const dir = workspace({ '.shipshape.yaml': SEED, 'deploy.yaml': DEPLOYMENT });
    const r = await runCli(['lint', '--fix-dry-run', 'deploy.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        '===================================================================',
        '--- a/deploy.yaml',
        '+++ b/deploy.yaml',
        '@@ -2,12 +2,14 @@',
        ' kind: Deployment',
        ' metadata:',
        '   name: api',
        '+  labels:',
        '+    env: prod',
        ' spec:',
        '   selector:',
        '     matchLabels: { app: api }',
        '   template:',
        '     metadata:',
        '-      labels: { app: api }',
        '+      labels: { app: api, env: prod }',
        '     spec:',
        '       containers:',
        '         - name: app',
        '',
      ].join('\n'),
    );
    // a dry run writes nothing
    expect(readFileSync(join(dir, 'deploy.yaml'), 'utf8')).toBe(DEPLOYMENT);
  });

  it('sets a field when absent in every container, and removes a field, matched by name glob and selector', async () => {
    const config = [
      'mutations:',
      '  - name: pull-policy',
      '    match: { names: ["web*"], selector: { matchLabels: { app: web } } }',
      '    set: { path: imagePullPolicy, value: IfNotPresent, in: container }',
      '  - name: non-root',
      '    set: { path: securityContext.runAsNonRoot, value: true, in: podSpec }',
      '  - name: no-host-network',
      '    remove: { path: /spec/hostNetwork }',
      '',
    ].join('\n');
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: web-1
  labels: { app: web }
spec:
  hostNetwork: true
  initContainers:
    - name: init
      image: registry.example/init:1.0
  containers:
    - name: app
      image: registry.example/app:1.0
      imagePullPolicy: Always
---
apiVersion: v1
kind: Pod
metadata:
  name: other
  labels: { app: web }
spec:
  containers:
    - name: app
      image: registry.example/app:1.0
`;
    const dir = workspace({ '.shipshape.yaml': config, 'pods.yaml': text });
    const r = await runCli(['fix', '--rule', 'no-host-network=off', 'pods.yaml'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(readFileSync(join(dir, 'pods.yaml'), 'utf8')).toBe(`apiVersion: v1
kind: Pod
metadata:
  name: web-1
  labels: { app: web }
spec:
  initContainers:
    - name: init
      image: registry.example/init:1.0
      imagePullPolicy: IfNotPresent
  containers:
    - name: app
      image: registry.example/app:1.0
      imagePullPolicy: Always
  securityContext:
    runAsNonRoot: true
---
apiVersion: v1
kind: Pod
metadata:
  name: other
  labels: { app: web }
spec:
  containers:
    - name: app
      image: registry.example/app:1.0
  securityContext:
    runAsNonRoot: true
`);
  });

  it('a mutation that cannot be applied to the text is a note naming file, line and mutation', async () => {
    const config = 'mutations:\n  - name: env\n    addLabels: { env: prod }\n    podTemplates: false\n';
    // the labels are shared with the selector through an anchor: adding one would change both
    const text = DEPLOYMENT.replace('  name: api\n', '  name: api\n  labels: &l\n    app: api\n').replace(
      'matchLabels: { app: api }',
      'matchLabels: *l',
    );
    const dir = workspace({ '.shipshape.yaml': config, 'b.yaml': text });
    const r = await runCli(['fix', '--dry-run', 'b.yaml'], { cwd: dir });
    expect(r.stderr).toBe(
      'shipshape: b.yaml:5:3: mutation:env: fix not applied: /metadata/labels/env is shared through the anchor &l (used at /metadata/labels, /spec/selector/matchLabels), and not every place that uses it has this fix: edit it by hand\n',
    );
    expect(r.stdout).toBe('');
  });
});

describe('mutations in the config file', () => {
  const problems = async (config: string) => {
    const dir = workspace({
      '.shipshape.yaml': config,
      'c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    });
    const r = await runCli(['lint', 'c.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    return r.stderr.replaceAll(join(dir, '.shipshape.yaml'), 'CFG');
  };

  it('names file, line and problem for each bad mutation', async () => {
    const text = [
      'mutations:',
      '  - match: { kinds: [Pod] }', // 2: no action
      '  - addLabels: { env: prod }', // 3: two actions
      '    remove: { path: /spec/x }',
      '  - addLabels: { "bad key!": x }', // 5
      '  - set: { path: "spec..x", value: 1 }', // 6
      '  - set: { path: /spec/containers/-, value: {} }', // 7
      '  - remove: { path: metadata.name }', // 8
      '  - addAnnotations: { a: b }', // 9
      '    match: { names: ["+(a|b)"] }',
      '',
    ].join('\n');
    expect(await problems(text)).toBe(
      [
        'shipshape: invalid configuration:',
        '  CFG:2:5: mutations[0]: has no action: give one of addLabels, addAnnotations, set or remove',
        '  CFG:3:5: mutations[1]: has 2 actions (addLabels, remove): give exactly one, or split it into 2 mutations',
        '  CFG:5:18: mutations[2].addLabels["bad key!"]: not a valid key: the name part must consist of alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric',
        '  CFG:6:18: mutations[3].set.path: spec..x has an empty field name (write `a.b.c`, or a JSON pointer `/a/b/c` for names with dots)',
        '  CFG:7:18: mutations[4].set.path: /spec/containers/- must not append to a list (`-`): a mutation adds only what is absent, and an append never is',
        '  CFG:8:21: mutations[5].remove.path: metadata.name identifies the object: a mutation cannot change it',
        '  CFG:10:22: mutations[6].match.names[0]: uses the extended glob +(…), which is not supported; use {a,b} alternatives',
        '',
      ].join('\n'),
    );
  });

  it('the schema rejects unknown fields and wrong types at their line', async () => {
    const text =
      'mutations:\n  - addLabels: { env: 1 }\n  - set: { path: a, value: 1, in: pods }\n  - adLabels: {}\n';
    expect(await problems(text)).toBe(
      [
        'shipshape: invalid configuration:',
        '  CFG:2:23: mutations[0].addLabels.env: expected string, got integer 1',
        '  CFG:3:35: mutations[1].set.in: must be one of object, podTemplate, podSpec, container, got string "pods"',
        '  CFG:4:5: mutations[2].adLabels: unknown field (did you mean "addLabels"?)',
        '',
      ].join('\n'),
    );
  });
});

describe('mutations on a kind whose CRD in the input embeds a PodSpec', () => {
  it('set a field in its containers, at the path the CRD schema declares', async () => {
    const config = [
      'presets: []',
      'mutations:',
      '  - match: { kinds: [Widget] }',
      '    set: { path: imagePullPolicy, value: IfNotPresent, in: container }',
      '',
    ].join('\n');
    const text = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                runner:
                  type: object
                  properties:
                    containers:
                      type: array
                      items:
                        type: object
                        properties:
                          name: { type: string }
                          image: { type: string }
                          imagePullPolicy: { type: string }
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  runner:
    containers:
      - name: a
        image: registry.example/a:1.0
`;
    const dir = workspace({ '.shipshape.yaml': config, 'w.yaml': text });
    const r = await runCli(['fix', 'w.yaml'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'w.yaml'), 'utf8')).toBe(
      text.replace(
        '        image: registry.example/a:1.0\n',
        '        image: registry.example/a:1.0\n        imagePullPolicy: IfNotPresent\n',
      ),
    );
  });
});

describe('mutations on custom pod-bearing kinds, through the built CLI (dist/)', () => {
  const BIN = fileURLToPath(new URL('../../bin/shipshape.js', import.meta.url));
  const shipshape = (args: string[], cwd: string) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: {} });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const CONFIG = [
    'presets: []',
    'podSpecs:',
    '  - apiVersion: ci.example.com/v1',
    '    kind: Runner',
    '    paths: ["spec.jobs[].template.spec"]',
    'mutations:',
    '  - name: env',
    '    match: { kinds: [Rollout, Runner] }',
    '    addLabels: { env: prod }',
    '  - name: non-root',
    '    match: { kinds: [Rollout, Runner] }',
    '    set: { path: securityContext.runAsNonRoot, value: true, in: container }',
    '',
  ].join('\n');
  const WORK = `# a canary rollout
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: canary
spec:
  selector:
    matchLabels: { app: canary }
  template:
    metadata:
      labels:
        app: canary # pods of the canary
    spec:
      containers:
        - name: app
          image: registry.example/app:1.0
  strategy:
    canary:
      steps:
        - setWeight: 20
---
apiVersion: ci.example.com/v1
kind: Runner
metadata:
  name: ci
  labels: { env: prod }
spec:
  jobs:
    - template:
        metadata:
          labels: { app: build }
        spec:
          containers:
            - name: build
              image: registry.example/build:1.0
              securityContext:
                readOnlyRootFilesystem: true
`;

  it('fix labels the pod templates and sets the containers of a Rollout and a podSpecs: kind, once', () => {
    const dir = workspace({ '.shipshape.yaml': CONFIG, 'work.yaml': WORK });
    const dry = shipshape(['lint', '--fix-dry-run', 'work.yaml'], dir);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(1);
    expect(dry.stdout).toBe(
      [
        '===================================================================',
        '--- a/work.yaml',
        '+++ b/work.yaml',
        '@@ -3,6 +3,8 @@',
        ' kind: Rollout',
        ' metadata:',
        '   name: canary',
        '+  labels:',
        '+    env: prod',
        ' spec:',
        '   selector:',
        '     matchLabels: { app: canary }',
        '@@ -10,10 +12,13 @@',
        '     metadata:',
        '       labels:',
        '         app: canary # pods of the canary',
        '+        env: prod',
        '     spec:',
        '       containers:',
        '         - name: app',
        '           image: registry.example/app:1.0',
        '+          securityContext:',
        '+            runAsNonRoot: true',
        '   strategy:',
        '     canary:',
        '       steps:',
        '@@ -28,10 +33,11 @@',
        '   jobs:',
        '     - template:',
        '         metadata:',
        '-          labels: { app: build }',
        '+          labels: { app: build, env: prod }',
        '         spec:',
        '           containers:',
        '             - name: build',
        '               image: registry.example/build:1.0',
        '               securityContext:',
        '                 readOnlyRootFilesystem: true',
        '+                runAsNonRoot: true',
        '',
      ].join('\n'),
    );
    expect(readFileSync(join(dir, 'work.yaml'), 'utf8')).toBe(WORK);

    const r = shipshape(['fix', 'work.yaml'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'work.yaml'), 'utf8')).toBe(`# a canary rollout
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: canary
  labels:
    env: prod
spec:
  selector:
    matchLabels: { app: canary }
  template:
    metadata:
      labels:
        app: canary # pods of the canary
        env: prod
    spec:
      containers:
        - name: app
          image: registry.example/app:1.0
          securityContext:
            runAsNonRoot: true
  strategy:
    canary:
      steps:
        - setWeight: 20
---
apiVersion: ci.example.com/v1
kind: Runner
metadata:
  name: ci
  labels: { env: prod }
spec:
  jobs:
    - template:
        metadata:
          labels: { app: build, env: prod }
        spec:
          containers:
            - name: build
              image: registry.example/build:1.0
              securityContext:
                readOnlyRootFilesystem: true
                runAsNonRoot: true
`);
    // idempotent: a second run changes nothing
    const again = shipshape(['fix', '--dry-run', 'work.yaml'], dir);
    expect(again.stdout).toBe('');
    expect(again.code).toBe(0);
  });
});
