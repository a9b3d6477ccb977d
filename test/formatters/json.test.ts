import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { json as jsonChunks, type JsonReport } from '../../src/formatters/json.js';
import { formatToString } from '../../src/formatters/index.js';
import { ALL, context, fromStdin, hostNetwork, NASTY_MESSAGE, suppressedByAnnotation } from './fixtures.js';

const json = (...args: Parameters<typeof jsonChunks>): string => formatToString(jsonChunks, ...args);

const parse = (s: string): JsonReport => JSON.parse(s) as JsonReport;

describe('json', () => {
  it('has a versioned envelope with a summary, pretty-printed with a trailing newline', () => {
    const out = json(ALL, context());
    expect(out.startsWith('{\n  "version": 1,\n  "summary": {\n    "errors": 2,')).toBe(true);
    expect(out.endsWith('}\n')).toBe(true);
    const report = parse(out);
    expect(Object.keys(report)).toEqual(['version', 'summary', 'findings']);
    expect(report.summary).toEqual({
      errors: 2,
      warnings: 2,
      infos: 1,
      suppressed: 2,
      files: 3,
      resources: 5,
    });
    expect(report.findings.map((f) => f.ruleId)).toEqual(ALL.map((f) => f.ruleId));
  });

  it('writes findings with a fixed key order and paths relative to cwd', () => {
    const [first, second, third, fourth, fifth] = parse(json(ALL, context())).findings;
    expect(first).toEqual({
      ...hostNetwork,
      location: { ...hostNetwork.location, file: 'manifests/deploy.yaml' },
    });
    expect(Object.keys(first!)).toEqual([
      'ruleId',
      'severity',
      'category',
      'message',
      'resource',
      'path',
      'location',
      'fix',
      'helpUri',
    ]);
    expect(Object.keys(first!.resource)).toEqual(['apiVersion', 'kind', 'name', 'namespace']);
    expect(Object.keys(first!.location!)).toEqual(['file', 'document', 'start', 'end']);
    expect(second!.message).toBe(NASTY_MESSAGE);
    expect(third!.location!.file).toBe('manifests/svc.yaml');
    expect(fourth!.location).toBeUndefined();
    expect(fifth!.location!.file).toBe('-');
    expect(fifth!.fix).toEqual(fromStdin.fix);
  });

  it('keeps suppressed findings with their suppression', () => {
    const findings = parse(json(ALL, context())).findings;
    expect(findings[5]!.suppressed).toEqual(suppressedByAnnotation.suppressed);
    expect(Object.keys(findings[5]!).at(-1)).toBe('suppressed');
    expect(findings[6]!.suppressed).toEqual({ kind: 'config' });
  });

  it('drops fields outside the contract and orders keys the same whatever the input order', () => {
    const shuffled = {
      helpUri: hostNetwork.helpUri,
      path: hostNetwork.path,
      resource: { namespace: 'prod', name: 'web', kind: 'Deployment', apiVersion: 'apps/v1' },
      message: hostNetwork.message,
      category: hostNetwork.category,
      severity: hostNetwork.severity,
      ruleId: hostNetwork.ruleId,
      extra: 'not in the contract',
    } as Finding;
    const [out] = parse(json([shuffled], context())).findings;
    expect(JSON.stringify(out)).toBe(
      JSON.stringify({
        ruleId: 'no-host-network',
        severity: 'error',
        category: 'security',
        message: hostNetwork.message,
        resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'prod' },
        path: hostNetwork.path,
        helpUri: hostNetwork.helpUri,
      }),
    );
  });

  it('is a complete document with no findings', () => {
    expect(parse(json([], context({ filesLinted: 0, resourcesLinted: 0 })))).toEqual({
      version: 1,
      summary: { errors: 0, warnings: 0, infos: 0, suppressed: 0, files: 0, resources: 0 },
      findings: [],
    });
  });
});
