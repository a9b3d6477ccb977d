// Unit tests for the helpers of the workload rules: quantities, image references, registry
// prefixes and LimitRange defaults.
import { describe, expect, it } from 'vitest';
import { normalizeRegistryPrefix, parseImageRef, underPrefix } from '../../src/engine/k8s/images.js';
import { parseQuantity } from '../../src/engine/k8s/quantity.js';
import { DEFAULT_KINDS } from '../../src/engine/pod-kinds.js';
import type { CheckContext } from '../../src/engine/rule.js';
import type { Resource } from '../../src/engine/types.js';
import { limitRangeDefaults } from '../../src/rules/_shared/resources.js';
import { RULE_FUNCTIONS as functions } from '../../src/rules/registry.generated.js';

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['1.5', 1.5],
    ['+2', 2],
    ['1', 1],
    ['100m', 0.1],
    ['250u', 0.00025],
    ['10n', 1e-8],
    ['1k', 1000],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1.5e-3', 0.0015],
    ['1Ki', 1024],
    ['1Mi', 1048576],
    ['1Gi', 1073741824],
    ['1.5Gi', 1610612736],
    ['1G', 1e9],
    ['1M', 1e6],
    ['2T', 2e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Ei', 2 ** 60],
  ])('%s → %d', (s, n) => {
    expect(parseQuantity(s)).toBe(n);
  });

  it('accepts YAML numbers', () => {
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity(0.25)).toBe(0.25);
  });

  it.each(['', ' 1', '1 ', 'abc', '1Xi', '1mi', '1KB', '1.2.3', 'e3', '1e', '--1', '1Gib'])(
    'rejects %j',
    (s) => {
      expect(parseQuantity(s)).toBeUndefined();
    },
  );

  it('rejects non-quantities', () => {
    expect(parseQuantity(undefined)).toBeUndefined();
    expect(parseQuantity(null)).toBeUndefined();
    expect(parseQuantity(true)).toBeUndefined();
    expect(parseQuantity(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('gives equal amounts in different spellings the same value', () => {
    expect(parseQuantity('100m')).toBe(parseQuantity('0.1'));
    expect(parseQuantity('1500m')).toBe(parseQuantity('1.5'));
    expect(parseQuantity('1024Mi')).toBe(parseQuantity('1Gi'));
    expect(parseQuantity('1000M')).toBe(parseQuantity('1G'));
    expect(parseQuantity('1e9')).toBe(parseQuantity('1G'));
    expect(parseQuantity('1G')! < parseQuantity('1Gi')!).toBe(true);
  });
});

describe('parseImageRef', () => {
  it.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
    ['nginx:latest', { registry: 'docker.io', repository: 'library/nginx', tag: 'latest' }],
    ['bitnami/redis:7.2', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7.2' }],
    ['docker.io/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['index.docker.io/library/nginx:1', { registry: 'docker.io', repository: 'library/nginx', tag: '1' }],
    ['registry.example.com/app', { registry: 'registry.example.com', repository: 'app' }],
    ['registry.example.com:5000/app', { registry: 'registry.example.com:5000', repository: 'app' }],
    [
      'registry.example.com:5000/team/app:2.0',
      { registry: 'registry.example.com:5000', repository: 'team/app', tag: '2.0' },
    ],
    ['localhost/app:dev', { registry: 'localhost', repository: 'app', tag: 'dev' }],
    ['localhost:5000/app', { registry: 'localhost:5000', repository: 'app' }],
    ['Registry.Example.com/app', { registry: 'registry.example.com', repository: 'app' }],
    ['ghcr.io/acme/tools/cli:v1', { registry: 'ghcr.io', repository: 'acme/tools/cli', tag: 'v1' }],
    ['app@sha256:abc', { registry: 'docker.io', repository: 'library/app', digest: 'sha256:abc' }],
    [
      'registry.example.com:5000/app:1.0@sha256:abc',
      { registry: 'registry.example.com:5000', repository: 'app', tag: '1.0', digest: 'sha256:abc' },
    ],
    ['app:', { registry: 'docker.io', repository: 'library/app' }],
  ])('%s', (image, expected) => {
    const ref = parseImageRef(image)!;
    expect(ref).toEqual({ ...expected, name: `${expected.registry}/${expected.repository}` });
  });

  it('rejects empty or padded references', () => {
    expect(parseImageRef('')).toBeUndefined();
    expect(parseImageRef(' nginx')).toBeUndefined();
    expect(parseImageRef(':1.0')).toBeUndefined();
  });
});

describe('registry prefixes', () => {
  it.each([
    ['registry.example.com', 'registry.example.com'],
    ['registry.example.com/', 'registry.example.com'],
    ['Registry.Example.com:5000/Team', 'registry.example.com:5000/Team'],
    ['index.docker.io/library', 'docker.io/library'],
    ['bitnami', 'docker.io/bitnami'],
    ['library', 'docker.io/library'],
    ['localhost:5000', 'localhost:5000'],
    ['  ', ''],
  ])('normalises %j to %j', (p, n) => {
    expect(normalizeRegistryPrefix(p)).toBe(n);
  });

  it('matches whole segments only', () => {
    expect(underPrefix('registry.example.com/app', 'registry.example.com')).toBe(true);
    expect(underPrefix('registry.example.com/app', 'registry.example.com/app')).toBe(true);
    expect(underPrefix('registry.example.com.evil.io/app', 'registry.example.com')).toBe(false);
    expect(underPrefix('registry.example.com:5000/app', 'registry.example.com')).toBe(false);
    expect(underPrefix('ghcr.io/acme-evil/app', 'ghcr.io/acme')).toBe(false);
  });
});

describe('limitRangeDefaults', () => {
  const res = (object: Record<string, unknown>): Resource => ({ object });
  it('applies the API defaulting of LimitRange items of type Container', () => {
    const index = limitRangeDefaults([
      res({
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: { name: 'a', namespace: 'shop' },
        spec: {
          limits: [
            { type: 'Container', defaultRequest: { cpu: '100m' } },
            { type: 'Container', max: { memory: '1Gi' } },
            { type: 'Container', min: { 'ephemeral-storage': '1Gi' } },
            { type: 'Pod', max: { cpu: '4' } },
          ],
        },
      }),
      res({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'shop' } }),
      res({
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: { name: 'c' },
        spec: { limits: [{ type: 'Container', default: { cpu: '1' } }] },
      }),
    ]);
    expect([...index.get('shop')!.requests].sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
    expect([...index.get('shop')!.limits].sort()).toEqual(['memory']);
    expect([...index.get('')!.requests]).toEqual(['cpu']);
    expect([...index.get('')!.limits]).toEqual(['cpu']);
  });
});

describe('check functions', () => {
  const ctxFor = (
    container: Record<string, unknown>,
    options: Record<string, unknown> = {},
    resources: Resource[] = [],
  ) =>
    ({
      object: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace: 'ns' },
        spec: { containers: [container] },
      },
      resource: undefined,
      target: container,
      targetPath: '/spec/containers/0',
      container: { name: String(container.name), list: 'containers', index: 0 },
      options,
      env: { strict: true, ignoreMissingSchemas: false, resources, memo: new Map(), kinds: DEFAULT_KINDS },
    }) as unknown as CheckContext;

  it('no-stale-image-pull-policy accepts Never for pinned images only with allowNever', () => {
    const pinned = { name: 'a', image: 'registry.example.com/app:1.0', imagePullPolicy: 'Never' };
    const mutable = { name: 'a', image: 'registry.example.com/app', imagePullPolicy: 'Never' };
    const fn = functions['no-stale-image-pull-policy']!;
    expect(fn(ctxFor(pinned, { allowNever: false }))).toHaveLength(1);
    expect(fn(ctxFor(pinned, { allowNever: true }))).toEqual([]);
    expect(fn(ctxFor(mutable, { allowNever: true }))).toHaveLength(1);
  });

  it('require-allowed-image-registry reports every image when no registry is configured', () => {
    const fn = functions['require-allowed-image-registry']!;
    const c = { name: 'a', image: 'registry.example.com/app:1.0' };
    expect(fn(ctxFor(c, { registries: [] }))[0]?.data?.allowed).toBe('(none configured)');
    expect(fn(ctxFor(c, { registries: ['registry.example.com/'] }))).toEqual([]);
  });

  it('require-memory-limit honours skipWhenLimitRangePresent in the same namespace only', () => {
    const fn = functions['require-memory-limit']!;
    const lr = (ns: string) =>
      ({
        object: {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: 'l', namespace: ns },
          spec: { limits: [{ type: 'Container', default: { memory: '1Gi' } }] },
        },
      }) as Resource;
    const c = { name: 'a', image: 'registry.example.com/app:1.0' };
    expect(fn(ctxFor(c, { skipWhenLimitRangePresent: true }, [lr('ns')]))).toEqual([]);
    expect(fn(ctxFor(c, { skipWhenLimitRangePresent: true }, [lr('other')]))).toHaveLength(1);
    expect(fn(ctxFor(c, { skipWhenLimitRangePresent: false }, [lr('ns')]))).toHaveLength(1);
  });
});
