import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, github as githubChunks } from '../../src/formatters/github.js';
import { formatToString } from '../../src/formatters/index.js';
import { ALL, context, hostNetwork, suppressedByAnnotation } from './fixtures.js';

const github = (...args: Parameters<typeof githubChunks>): string => formatToString(githubChunks, ...args);

describe('github', () => {
  it('prints one workflow command per unsuppressed finding, escaped', () => {
    expect(github(ALL, context())).toBe(
      [
        '::error file=manifests/deploy.yaml,line=12,col=7,endLine=12,endColumn=24,title=no-host-network::Deployment web sets hostNetwork: true.',
        '::warning file=manifests/deploy.yaml,line=9,col=11,endLine=10,endColumn=1,title=require-resource-limits::Container "app" <&> uses 100%25 CPU,%0Asee: docs',
        '::notice file=manifests/svc.yaml,line=3,col=3,endLine=3,endColumn=9,title=require-app-label::Service api has no app.kubernetes.io/name label.',
        '::error title=require-probes%3A Pod/default/orphan /spec/containers/0::Pod orphan has no readiness probe.',
        '::warning title=no-latest-tag::Container "app" uses the latest tag.',
        '',
      ].join('\n'),
    );
  });

  it('escapes : and , in properties but not in data', () => {
    const odd = {
      ...hostNetwork,
      ruleId: 'a:b,c',
      message: 'x:y,z%\r\n',
      location: { ...hostNetwork.location!, file: '/work/proj/we,ird:dir/100%.yaml' },
    };
    expect(github([odd], context())).toBe(
      '::error file=we%2Cird%3Adir/100%25.yaml,line=12,col=7,endLine=12,endColumn=24,title=a%3Ab%2Cc::x:y,z%25%0D%0A\n',
    );
    expect(escapeData('%\r\n:,')).toBe('%25%0D%0A:,');
    expect(escapeProperty('%\r\n:,')).toBe('%25%0D%0A%3A%2C');
  });

  it('is empty with nothing to show', () => {
    expect(github([], context())).toBe('');
    expect(github([suppressedByAnnotation], context())).toBe('');
  });
});
