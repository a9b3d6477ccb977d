import { describe, expect, it } from 'vitest';
import { gitlab as gitlabChunks, type GitlabIssue } from '../../src/formatters/gitlab.js';
import { formatToString } from '../../src/formatters/index.js';
import {
  ALL,
  context,
  fromStdin,
  hostNetwork,
  NASTY_MESSAGE,
  orphan,
  suppressedByAnnotation,
} from './fixtures.js';

const gitlab = (...args: Parameters<typeof gitlabChunks>): string => formatToString(gitlabChunks, ...args);

const parse = (s: string): GitlabIssue[] => JSON.parse(s) as GitlabIssue[];

describe('gitlab', () => {
  it('writes a Code Quality issue per unsuppressed finding', () => {
    const out = gitlab(ALL, context());
    expect(out.endsWith(']\n')).toBe(true);
    const issues = parse(out);
    expect(issues.map((i) => [i.check_name, i.severity, i.location.path, i.location.lines.begin])).toEqual([
      ['no-host-network', 'major', 'manifests/deploy.yaml', 12],
      ['require-resource-limits', 'minor', 'manifests/deploy.yaml', 9],
      ['require-app-label', 'info', 'manifests/svc.yaml', 3],
      ['require-probes', 'major', '<resource Pod/default/orphan>', 1],
      ['no-latest-tag', 'minor', '<stdin>', 7],
    ]);
    expect(issues[1]!.description).toBe(NASTY_MESSAGE);
    for (const issue of issues) {
      expect(Object.keys(issue)).toEqual([
        'description',
        'check_name',
        'fingerprint',
        'severity',
        'location',
      ]);
      expect(issue.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
  });

  it('keeps fingerprints stable across runs, line moves and neighbours', () => {
    const [alone] = parse(gitlab([hostNetwork], context()));
    const moved = { ...hostNetwork, location: { ...hostNetwork.location!, start: { line: 40, column: 1 } } };
    const [afterMove] = parse(gitlab([orphan, moved], context())).slice(1);
    expect(afterMove!.fingerprint).toBe(alone!.fingerprint);
    expect(parse(gitlab(ALL, context()))[0]!.fingerprint).toBe(alone!.fingerprint);
  });

  it('makes repeated identities unique', () => {
    const again = { ...hostNetwork, location: { ...hostNetwork.location!, file: '/work/proj/other.yaml' } };
    const [a, b] = parse(gitlab([hostNetwork, again], context()));
    expect(a!.fingerprint).not.toBe(b!.fingerprint);
    expect(parse(gitlab([hostNetwork, again], context()))[1]!.fingerprint).toBe(b!.fingerprint);
  });

  it('is an empty array with nothing to show', () => {
    expect(gitlab([], context())).toBe('[]\n');
    expect(gitlab([suppressedByAnnotation], context())).toBe('[]\n');
    expect(parse(gitlab([fromStdin], context()))).toHaveLength(1);
  });
});
