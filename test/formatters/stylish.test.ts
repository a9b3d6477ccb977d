import { describe, expect, it } from 'vitest';
import { stylish as stylishChunks } from '../../src/formatters/stylish.js';
import { formatToString } from '../../src/formatters/index.js';
import {
  ALL,
  context,
  hostNetwork,
  orphan,
  serviceLabel,
  suppressedByAnnotation,
  suppressedByConfig,
} from './fixtures.js';

const stylish = (...args: Parameters<typeof stylishChunks>): string => formatToString(stylishChunks, ...args);

describe('stylish', () => {
  it('prints file:line:col severity message rule-id per finding, hides suppressed ones and sums up', () => {
    expect(stylish(ALL, context())).toBe(
      [
        `${'<stdin>:7:14'.padEnd(48)}  warning  Container "app" uses the latest tag.  no-latest-tag`,
        `${'manifests/deploy.yaml:9:11'.padEnd(48)}  warning  Container "app" <&> uses 100% CPU,\\nsee: docs  require-resource-limits`,
        `${'manifests/deploy.yaml:12:7'.padEnd(48)}  error    Deployment web sets hostNetwork: true.  no-host-network`,
        `${'manifests/svc.yaml:3:3'.padEnd(48)}  info     Service api has no app.kubernetes.io/name label.  require-app-label`,
        `${'<resource Pod/default/orphan> /spec/containers/0'.padEnd(48)}  error    Pod orphan has no readiness probe.  require-probes`,
        '',
        '\u2716 5 problems (2 errors, 2 warnings, 1 info) in 5 resources in 3 files',
        '',
      ].join('\n'),
    );
  });

  it('colours severities and dims positions and rule ids when asked', () => {
    const E = '\u001b[';
    expect(stylish([hostNetwork, serviceLabel], context({ color: true }))).toBe(
      [
        `${E}2mmanifests/deploy.yaml:12:7${E}22m  ${E}31merror${E}39m  Deployment web sets hostNetwork: true.  ${E}2mno-host-network${E}22m`,
        `${E}2m${'manifests/svc.yaml:3:3'.padEnd(26)}${E}22m  ${E}34minfo ${E}39m  Service api has no app.kubernetes.io/name label.  ${E}2mrequire-app-label${E}22m`,
        '',
        `${E}1m${E}31m\u2716 2 problems (1 error, 0 warnings, 1 info) in 5 resources in 3 files${E}39m${E}22m`,
        '',
      ].join('\n'),
    );
  });

  it('names the resource when a finding has no location', () => {
    const unlocated = { ...orphan, resource: hostNetwork.resource };
    expect(stylish([hostNetwork, unlocated], context())).toBe(
      [
        `${'manifests/deploy.yaml:12:7'.padEnd(49)}  error  Deployment web sets hostNetwork: true.  no-host-network`,
        '<resource Deployment/prod/web> /spec/containers/0  error  Pod orphan has no readiness probe.  require-probes',
        '',
        '\u2716 2 problems (2 errors, 0 warnings, 0 info) in 5 resources in 3 files',
        '',
      ].join('\n'),
    );
  });

  it('names what was checked instead of files when the context says (an audit of a cluster)', () => {
    const checked = 'cluster context "dev", all namespaces';
    expect(stylish([], context({ checked }))).toBe(
      '\u2714 no problems (5 resources in cluster context "dev", all namespaces)\n',
    );
    expect(stylish([orphan], context({ checked })).split('\n').slice(-2)[0]).toBe(
      '\u2716 1 problem (1 error, 0 warnings, 0 info) in 5 resources in cluster context "dev", all namespaces',
    );
  });

  it('says what was checked when nothing is left to show', () => {
    expect(stylish([], context())).toBe('\u2714 no problems (5 resources in 3 files)\n');
    expect(stylish([suppressedByAnnotation, suppressedByConfig], context())).toBe(
      '\u2714 no problems (5 resources in 3 files)\n',
    );
  });

  it('never lets control characters from a resource reach the terminal', () => {
    const evil = { ...hostNetwork, message: 'name \u001b[2Jx\tgone' };
    const out = stylish([evil], context());
    expect(out).not.toContain('\u001b');
    expect(out).toContain('name \\x1b[2Jx\\tgone');
  });

  it('says "problem" and uses the severity colour of the worst finding', () => {
    const E = '\u001b[';
    const warnOnly = stylish([{ ...serviceLabel, severity: 'warn' }], context({ color: true }));
    expect(warnOnly).toContain(
      `${E}1m${E}33m\u2716 1 problem (0 errors, 1 warning, 0 info) in 5 resources in 3 files${E}39m${E}22m`,
    );
    const infoOnly = stylish([serviceLabel], context({ color: true }));
    expect(infoOnly).toContain(
      `${E}1m${E}34m\u2716 1 problem (0 errors, 0 warnings, 1 info) in 5 resources in 3 files${E}39m${E}22m`,
    );
  });
});
