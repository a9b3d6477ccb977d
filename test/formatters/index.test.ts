import { describe, expect, it } from 'vitest';
import { formatNames, formatters, formatToString, isFormatName } from '../../src/formatters/index.js';
import { countFindings, displayPath, relativePath, resourceLabel } from '../../src/formatters/shared.js';
import { ALL, context } from './fixtures.js';

describe('formatter registry', () => {
  it('has a formatter for every name, stylish first', () => {
    expect(formatNames[0]).toBe('stylish');
    expect(Object.keys(formatters).sort()).toEqual([...formatNames].sort());
    expect(isFormatName('sarif')).toBe(true);
    expect(isFormatName('xml')).toBe(false);
  });

  it.each(formatNames)('%s is pure: same output twice, input untouched, no throw on empty input', (name) => {
    const input = structuredClone(ALL);
    const first = formatToString(formatters[name], input, context());
    expect(formatToString(formatters[name], input, context())).toBe(first);
    expect(input).toEqual(ALL);
    expect(() => formatToString(formatters[name], [], context())).not.toThrow();
  });
});

describe('shared helpers', () => {
  it('prints paths relative to cwd with forward slashes', () => {
    expect(relativePath('/work/proj/a/b.yaml', '/work/proj')).toBe('a/b.yaml');
    expect(relativePath('/work/proj/a/b.yaml', '/work/proj/')).toBe('a/b.yaml');
    expect(relativePath('./a//b.yaml', '/work/proj')).toBe('a/b.yaml');
    expect(relativePath('/elsewhere/x.yaml', '/work/proj')).toBe('../../elsewhere/x.yaml');
    expect(relativePath('C:\\src\\repo\\k8s\\x.yaml', 'C:\\src\\repo')).toBe('k8s/x.yaml');
    expect(relativePath('D:\\x.yaml', 'C:\\src')).toBe('D:/x.yaml');
    expect(displayPath('-', '/work/proj')).toBe('<stdin>');
  });

  it('labels resources as Kind/namespace/name', () => {
    expect(resourceLabel({ apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: 'ns' })).toBe('Pod/ns/p');
    expect(resourceLabel({ apiVersion: 'v1', kind: 'Namespace', name: 'ns' })).toBe('Namespace/ns');
    expect(resourceLabel({ apiVersion: 'v1', kind: 'Pod' })).toBe('Pod/<unnamed>');
  });

  it('counts suppressed findings apart from severities', () => {
    expect(countFindings(ALL)).toEqual({ errors: 2, warnings: 2, infos: 1, suppressed: 2 });
  });
});
