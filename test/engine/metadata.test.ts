// Unit tests for the metadata-area check functions: the syntax and secret heuristics, behaviour
// behind options the fixtures do not cover, and the guarantee that no secret value reaches a message.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../src/engine/compile.js';
import { keyProblem, labelValueProblem } from '../../src/engine/k8s/labels.js';
import { selectorMatches } from '../../src/engine/k8s/selectors.js';
import { lint } from '../../src/engine/run.js';
import { openLinter } from '../../src/linter/linter.js';
import type { Finding } from '../../src/engine/types.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { credentialFormatIn, harmlessValue, nameSuggestsSecret } from '../../src/rules/_shared/secrets.js';
import { applyFixes } from '../../src/source/fix.js';
import { parseSource } from '../../src/source/parse.js';

const FIXTURES = fileURLToPath(new URL('../rules/', import.meta.url));

async function run(id: string, text: string, options?: Record<string, unknown>): Promise<Finding[]> {
  const def = builtinRules().find((d) => d.id === id)!;
  const rules = await compileRules(builtinRules(), {
    presets: [],
    rules: { [id]: options ? { severity: def.severity, options } : def.severity },
  });
  return lint(parseSource('test.yaml', text).resources, { rules }).filter((f) => f.ruleId === id);
}

describe('label and annotation syntax', () => {
  it.each([
    ['app', undefined],
    ['app.kubernetes.io/name', undefined],
    ['Team', undefined],
    ['a', undefined],
    ['x'.repeat(63), undefined],
    [`${'a'.repeat(253)}/name`, undefined],
    ['', 'the key is empty'],
    ['x'.repeat(64), 'the name part is 64 characters long (at most 63)'],
    [`${'a'.repeat(254)}/name`, 'the prefix is 254 characters long (at most 253)'],
    ['/name', 'the prefix before "/" is empty'],
    ['example.com/', 'the name after "/" is empty'],
    ['a/b/c', 'a key may contain at most one "/"'],
    ['Example.com/name', expect.stringContaining('DNS subdomain')],
    ['example..com/name', expect.stringContaining('DNS subdomain')],
    ['-app', expect.stringContaining('alphanumeric')],
    ['app_', expect.stringContaining('alphanumeric')],
    ['my app', expect.stringContaining('alphanumeric')],
  ])('key %j', (key, problem) => {
    expect(keyProblem(key)).toEqual(problem);
  });

  it.each([
    ['', undefined],
    ['web', undefined],
    ['1.0.3-beta_2', undefined],
    ['x'.repeat(63), undefined],
    ['x'.repeat(64), 'the value is 64 characters long (at most 63)'],
    ['backend-', expect.stringContaining('alphanumeric')],
    ['a b', expect.stringContaining('alphanumeric')],
  ])('value %j', (value, problem) => {
    expect(labelValueProblem(value)).toEqual(problem);
  });

  it('reports annotations larger than 256 KiB in total, counting UTF-8 bytes', async () => {
    const doc = (value: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  annotations:\n    example.com/blob: "${value}"\n`;
    // 100 000 three-byte characters: 300 000 bytes although the string has 100 000 UTF-16 units.
    const big = await run('no-invalid-annotations', doc('€'.repeat(100_000)));
    expect(big).toHaveLength(1);
    expect(big[0]!.path).toBe('/metadata/annotations');
    expect(big[0]!.message).toContain('300016 bytes');
    expect(await run('no-invalid-annotations', doc('x'.repeat(200_000)))).toEqual([]);
  });
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'frontend' };
  it.each([
    [{}, true],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'api' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'edge'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['frontend'] }] }, false],
    [{ matchExpressions: [{ key: 'track', operator: 'NotIn', values: ['canary'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Like', values: ['web'] }] }, false],
  ])('%j selects the labels: %s', (sel, expected) => {
    expect(selectorMatches(sel, labels)).toBe(expected);
  });

  it('offers to add a missing template label, and the fixed manifest is accepted', async () => {
    const text = readFileSync(`${FIXTURES}no-selector-mismatch/invalid.yaml`, 'utf8');
    const findings = await run('no-selector-mismatch', text);
    const fixable = findings.filter((f) => f.fix);
    expect(fixable.map((f) => f.resource.name)).toEqual([
      'fire-statefulset-label-missing',
      'fire-daemonset-no-template-labels',
    ]);
    const fixed = applyFixes(text, findings, { unsafe: true });
    const again = await run('no-selector-mismatch', fixed);
    expect(again.filter((f) => fixable.some((x) => x.resource.name === f.resource.name))).toEqual([]);
    expect(fixed).toContain('      labels:\n        app: agent\n');
  });
});

describe('secret heuristics', () => {
  it.each([
    ['DB_PASSWORD', true],
    ['dbPassword', true],
    ['db.password', true],
    ['SMTP_PASS', true],
    ['APIKey', true],
    ['api_key', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['SECRET_KEY_BASE', true],
    ['clientSecret', true],
    ['GITHUB_TOKEN', true],
    ['SSH_PRIVATE_KEY', true],
    ['credentials.json', true],
    ['DB_PASSWORD_FILE', false],
    ['TOKEN_TTL', false],
    ['SECRET_NAME', false],
    ['PASSWORD_MIN_LENGTH', false],
    ['API_KEY_HEADER', false],
    ['AWS_ACCESS_KEY_ID', false],
    ['TOKENIZERS_PARALLELISM', false],
    ['BYPASS_CACHE', false],
    ['LOG_LEVEL', false],
  ])('name %s suggests a secret: %s', (name, expected) => {
    expect(nameSuggestsSecret(name)).toBe(expected);
  });

  it.each([
    ['', true],
    ['true', true],
    ['3600', true],
    ['30s', true],
    ['256Mi', true],
    ['/var/run/secrets/db/password', true],
    ['$(DB_PASSWORD)', true],
    ['${DB_PASSWORD}', true],
    ['<your password here>', true],
    ['https://auth.example.com/token', true],
    ['********', true],
    ['Reset your password', true],
    ['hunter2', false],
    ['1234abcd', false],
    ['Bearer abc.def', false],
    ['postgres://shop:pw@db/shop', false],
  ])('value %j is harmless: %s', (value, expected) => {
    expect(harmlessValue(value)).toBe(expected);
  });

  it.each([
    ['AKIAIOSFODNN7EXAMPLE', 'an AWS access key id'],
    ['key=AKIAIOSFODNN7EXAMPLE;', 'an AWS access key id'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n-----END OPENSSH PRIVATE KEY-----', 'a PEM private key'],
    ['-----BEGIN PGP PRIVATE KEY BLOCK-----', 'a PEM private key'],
    [`ghp_${'a'.repeat(36)}`, 'a GitHub token'],
    [`github_pat_${'A1_'.repeat(10)}`, 'a GitHub token'],
    ['xoxp-1234567890-abcdef', 'a Slack token'],
    ['eyJhbGciOiJub25lIn0.eyJzdWIiOiJleGFtcGxlIn0.', 'a JSON Web Token'],
    [`AIza${'b'.repeat(35)}`, 'a Google API key'],
    [`sk_live_${'c'.repeat(24)}`, 'a Stripe live key'],
    ['amqp://guest:guest-pw@rabbit:5672/', 'a URL with an embedded password'],
    ['redis://:$(REDIS_PASSWORD)@redis:6379', undefined],
    ['https://user:****@example.com', undefined],
    ['-----BEGIN CERTIFICATE-----', undefined],
    ['AKIAIOSFODNN7EXAMPLEX', undefined],
    ['plain text', undefined],
  ])('format of %j', (value, expected) => {
    expect(credentialFormatIn(value)).toBe(expected);
  });

  it.each([
    ['no-secret-literals-in-env', 'no-secret-literals-in-env/invalid.yaml'],
    ['no-secret-literals-in-configmap', 'no-secret-literals-in-configmap/invalid.yaml'],
    ['no-secret-data-in-manifests', 'no-secret-data-in-manifests/invalid.yaml'],
  ])('%s never prints a secret value', async (id, file) => {
    const text = readFileSync(`${FIXTURES}${file}`, 'utf8');
    const findings = await run(id, text);
    expect(findings.length).toBeGreaterThan(0);
    // Every literal string value of the fixture that is secret-like (env values, data values).
    const secrets = new Set<string>();
    for (const r of parseSource(file, text).resources) {
      const collect = (v: unknown, key: string): void => {
        if (typeof v === 'string') {
          if (['value', 'data', 'stringData', 'binaryData'].includes(key) && v.length >= 6) secrets.add(v);
        } else if (Array.isArray(v)) v.forEach((x) => collect(x, key));
        else if (v && typeof v === 'object')
          for (const [k, x] of Object.entries(v))
            collect(x, key === 'data' || key === 'stringData' || key === 'binaryData' ? key : k);
      };
      collect(r.object, '');
    }
    expect(secrets.size).toBeGreaterThan(3);
    for (const f of findings) {
      for (const s of secrets) {
        expect(f.message).not.toContain(s);
        for (const line of s.split('\n'))
          if (line.trim().length >= 8) expect(f.message).not.toContain(line.trim());
      }
    }
  });
});

describe('options and set behaviour', () => {
  const cm = (ns?: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n${ns ? `  namespace: ${ns}\n` : ''}data:\n  a: b\n`;

  it('no-default-namespace reports a missing namespace only with requireNamespace', async () => {
    expect(await run('no-default-namespace', cm())).toEqual([]);
    const f = await run('no-default-namespace', cm(), { requireNamespace: true });
    expect(f.map((x) => x.path)).toEqual(['/metadata']);
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
    expect(await run('no-default-namespace', ns, { requireNamespace: true })).toEqual([]);
    const custom = 'apiVersion: example.com/v1\nkind: Tenant\nmetadata:\n  name: t\n';
    expect(await run('no-default-namespace', custom, { requireNamespace: true })).toHaveLength(1);
    expect(
      await run('no-default-namespace', custom, { requireNamespace: true, clusterScopedKinds: ['Tenant'] }),
    ).toEqual([]);
  });

  it('require-labels does nothing without options and rejects a bad pattern', async () => {
    expect(await run('require-labels', cm())).toEqual([]);
    // A bad regular expression is a configuration error when the rules are compiled (exit 2 in the CLI).
    await expect(run('require-labels', cm(), { labels: [{ key: 'env', pattern: '(' }] })).rejects.toThrow(
      'rule "require-labels": invalid options at /labels/0/pattern: must match format "regex"',
    );
  });

  const pod = (ns: string, labels = 'app: web') =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p-${ns}\n  namespace: ${ns}\n  labels:\n    ${labels}\nspec:\n  containers:\n    - name: c\n      image: registry.example.com/c:1.0.0\n`;
  const policy = (ns: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n  namespace: ${ns}\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n`;

  it('require-network-policy is silent without NetworkPolicies and can skip namespaces without any', async () => {
    expect(await run('require-network-policy', pod('a'))).toEqual([]);
    const text = [policy('a'), pod('a'), pod('a', 'app: api').replace('p-a', 'q-a'), pod('b')].join('---\n');
    expect((await run('require-network-policy', text)).map((f) => f.resource.name)).toEqual(['q-a', 'p-b']);
    expect(
      (await run('require-network-policy', text, { onlyNamespacesWithPolicies: true })).map(
        (f) => f.resource.name,
      ),
    ).toEqual(['q-a']);
  });

  it('no-secret-data-in-manifests honours its options', async () => {
    const secret =
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: example.com/token\nstringData:\n  t: v-not-secret\ndata:\n  u: dg==\n';
    expect(await run('no-secret-data-in-manifests', secret)).toHaveLength(2);
    expect(
      (await run('no-secret-data-in-manifests', secret, { stringData: false })).map((f) => f.path),
    ).toEqual(['/data']);
    expect(await run('no-secret-data-in-manifests', secret, { ignoreTypes: ['example.com/token'] })).toEqual(
      [],
    );
    expect(await run('no-secret-data-in-manifests', `${secret}sops:\n  version: 3.8.1\n`)).toEqual([]);
  });

  it('no-secret-literals-in-env skips ignored names', async () => {
    const text = readFileSync(`${FIXTURES}no-secret-literals-in-env/invalid.yaml`, 'utf8');
    const all = await run('no-secret-literals-in-env', text);
    const some = await run('no-secret-literals-in-env', text, { ignoreNames: ['DB_PASSWORD', 'GH_AUTH'] });
    expect(all.length - some.length).toBe(2);
  });
});

describe('template metadata of custom pod-bearing kinds (docs/pod-kinds.md)', () => {
  const ROOT = fileURLToPath(new URL('../..', import.meta.url));
  const TEXT = [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Rollout',
    'metadata:',
    '  name: canary',
    'spec:',
    '  selector:',
    '    matchLabels: { app: canary }',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: canary',
    '        "bad key!": x',
    '      annotations:',
    '        "owner team": payments',
    '    spec:',
    '      containers:',
    '        - name: app',
    '          image: example.com/app:1.0',
    '---',
    'apiVersion: ci.example.com/v1',
    'kind: Runner',
    'metadata:',
    '  name: nightly',
    'spec:',
    '  jobs:',
    '    - template:',
    '        metadata:',
    '          labels: { tier: ok }',
    '        spec:',
    '          containers: [{ name: a, image: example.com/a:1 }]',
    '    - template:',
    '        metadata:',
    '          labels:',
    '            tier: -broken-',
    '        spec:',
    '          containers: [{ name: b, image: example.com/b:1 }]',
    '',
  ].join('\n');

  it('no-invalid-labels and no-invalid-annotations report on a Rollout template and a podSpecs kind, at the line', async () => {
    const linter = await openLinter(
      {
        presets: [],
        rules: { 'no-invalid-labels': 'error', 'no-invalid-annotations': 'error' },
        podSpecs: [{ apiVersion: 'ci.example.com/v1', kind: 'Runner', paths: ['spec.jobs[].template.spec'] }],
      },
      { baseDir: ROOT },
    );
    const findings = linter
      .lintSources([{ file: 'in.yaml', text: TEXT }])
      .findings.filter((f) => f.ruleId !== 'missing-schema');
    expect(
      findings.map((f) => `${f.location?.start.line}:${f.location?.start.column} ${f.ruleId} ${f.path}`),
    ).toEqual([
      '12:9 no-invalid-labels /spec/template/metadata/labels/bad key!',
      '14:9 no-invalid-annotations /spec/template/metadata/annotations/owner team',
      '34:19 no-invalid-labels /spec/jobs/1/template/metadata/labels/tier',
    ]);
    expect(findings[0]!.message).toContain('spec.template.metadata.labels');
    expect(findings[2]!.message).toContain('spec.jobs[1].template.metadata.labels');
  });
});
