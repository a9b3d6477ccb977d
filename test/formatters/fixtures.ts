// A small fixed set of findings exercising every formatter branch: absolute and relative paths,
// stdin, no location, suppressions of both kinds, and a message that needs escaping everywhere.
import type { Finding } from '../../src/engine/types.js';
import { helpUriFor } from '../../src/engine/types.js';
import type { FormatContext, RuleMeta } from '../../src/formatters/types.js';

export const CWD = '/work/proj';

/** Characters that every format must escape in its own way. */
export const NASTY_MESSAGE = 'Container "app" <&> uses 100% CPU,\nsee: docs';

const web = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'prod' };

export const hostNetwork: Finding = {
  ruleId: 'no-host-network',
  severity: 'error',
  category: 'security',
  message: 'Deployment web sets hostNetwork: true.',
  resource: web,
  path: '/spec/template/spec/hostNetwork',
  location: {
    file: '/work/proj/manifests/deploy.yaml',
    document: 1,
    start: { line: 12, column: 7 },
    end: { line: 12, column: 24 },
  },
  fix: { safety: 'unsafe', patch: [{ op: 'remove', path: '/spec/template/spec/hostNetwork' }] },
  helpUri: helpUriFor('no-host-network'),
};

export const limits: Finding = {
  ruleId: 'require-resource-limits',
  severity: 'warn',
  category: 'efficiency',
  message: NASTY_MESSAGE,
  resource: web,
  path: '/spec/template/spec/containers/0/resources',
  location: {
    file: '/work/proj/manifests/deploy.yaml',
    document: 1,
    start: { line: 9, column: 11 },
    end: { line: 10, column: 1 },
  },
  helpUri: helpUriFor('require-resource-limits'),
};

export const serviceLabel: Finding = {
  ruleId: 'require-app-label',
  severity: 'info',
  category: 'hygiene',
  message: 'Service api has no app.kubernetes.io/name label.',
  resource: { apiVersion: 'v1', kind: 'Service', name: 'api' },
  path: '/metadata/labels',
  location: {
    file: 'manifests/svc.yaml',
    document: 2,
    start: { line: 3, column: 3 },
    end: { line: 3, column: 9 },
  },
  helpUri: helpUriFor('require-app-label'),
};

/** No location (e.g. webhook input); its rule has no metadata in the context either. */
export const orphan: Finding = {
  ruleId: 'require-probes',
  severity: 'error',
  category: 'reliability',
  message: 'Pod orphan has no readiness probe.',
  resource: { apiVersion: 'v1', kind: 'Pod', name: 'orphan', namespace: 'default' },
  path: '/spec/containers/0',
  helpUri: helpUriFor('require-probes'),
};

export const fromStdin: Finding = {
  ruleId: 'no-latest-tag',
  severity: 'warn',
  category: 'reliability',
  message: 'Container "app" uses the latest tag.',
  resource: { apiVersion: 'v1', kind: 'Pod', name: 'piped' },
  path: '/spec/containers/0/image',
  location: { file: '-', document: 1, start: { line: 7, column: 14 }, end: { line: 7, column: 26 } },
  fix: { safety: 'safe', patch: [{ op: 'replace', path: '/spec/containers/0/image', value: 'app:1.0' }] },
  helpUri: helpUriFor('no-latest-tag'),
};

export const suppressedByAnnotation: Finding = {
  ruleId: 'no-latest-tag',
  severity: 'warn',
  category: 'reliability',
  message: 'Container "sidecar" uses the latest tag.',
  resource: web,
  path: '/spec/template/spec/containers/1/image',
  location: {
    file: '/work/proj/manifests/deploy.yaml',
    document: 1,
    start: { line: 30, column: 5 },
    end: { line: 30, column: 20 },
  },
  helpUri: helpUriFor('no-latest-tag'),
  suppressed: { kind: 'annotation', justification: 'pinned by digest upstream' },
};

export const suppressedByConfig: Finding = {
  ruleId: 'require-app-label',
  severity: 'info',
  category: 'hygiene',
  message: 'Deployment web has no app.kubernetes.io/name label.',
  resource: web,
  path: '/metadata/labels',
  helpUri: helpUriFor('require-app-label'),
  suppressed: { kind: 'config' },
};

export const ALL: readonly Finding[] = [
  hostNetwork,
  limits,
  serviceLabel,
  orphan,
  fromStdin,
  suppressedByAnnotation,
  suppressedByConfig,
];

const meta = (m: Omit<RuleMeta, 'helpUri'>): [string, RuleMeta] => [
  m.id,
  { ...m, helpUri: helpUriFor(m.id) },
];

export const RULES: ReadonlyMap<string, RuleMeta> = new Map([
  meta({
    id: 'no-host-network',
    description: "Disallow pods that share the node's network namespace.",
    category: 'security',
    severity: 'error',
    why: "A pod on the host network can reach node-local services and sniff other pods' traffic.",
    remediation: 'Remove `hostNetwork`, or expose the workload through a Service.',
  }),
  meta({
    id: 'require-resource-limits',
    description: 'Require CPU and memory limits on every container.',
    category: 'efficiency',
    severity: 'warn',
    why: 'Without limits one container can starve its neighbours.',
    remediation: 'Set `resources.limits.cpu` and `resources.limits.memory`.',
  }),
  meta({
    id: 'require-app-label',
    description: 'Require the app.kubernetes.io/name label.',
    category: 'hygiene',
    severity: 'info',
  }),
  meta({
    id: 'no-latest-tag',
    description: 'Disallow images tagged latest or untagged.',
    category: 'reliability',
    severity: 'warn',
    why: 'A moving tag makes rollouts unrepeatable.',
    remediation: 'Pin the image to a version tag or a digest.',
  }),
]);

export function context(overrides: Partial<FormatContext> = {}): FormatContext {
  return {
    cwd: CWD,
    color: false,
    rules: RULES,
    toolVersion: '0.1.0',
    filesLinted: 3,
    resourcesLinted: 5,
    ...overrides,
  };
}
