// Locating a finding's JSON path in a Helm template / kustomize source, without running the tools.
import { describe, expect, it } from 'vitest';
import { locateInTemplate, mapToTemplates, sourcesOfDocuments } from '../../src/integrations/source-map.js';
import type { Finding } from '../../src/engine/types.js';

const TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  template:
    spec:
      {{- if .Values.x }}
      hostNetwork: true
      {{- end }}
      containers:
        - name: a
          image: a
        - name: b
          securityContext:
            {{- toYaml .Values.sc | nindent 12 }}
`;

describe('locateInTemplate', () => {
  it('finds nested keys exactly, across template actions', () => {
    expect(locateInTemplate(TEMPLATE, '/spec/template/spec/hostNetwork')).toEqual({
      start: { line: 9, column: 7 },
      end: { line: 9, column: 24 },
      exact: true,
    });
  });
  it('counts list items by their dashes', () => {
    expect(locateInTemplate(TEMPLATE, '/spec/template/spec/containers/1/securityContext').start).toEqual({
      line: 15,
      column: 11,
    });
    expect(locateInTemplate(TEMPLATE, '/spec/template/spec/containers/0/image').start).toEqual({
      line: 13,
      column: 11,
    });
    expect(locateInTemplate(TEMPLATE, '/spec/template/spec/containers/1/name').start).toEqual({
      line: 14,
      column: 11,
    });
  });
  it('falls back to the deepest key present (approximate)', () => {
    const r = locateInTemplate(TEMPLATE, '/spec/template/spec/containers/1/securityContext/privileged');
    expect(r).toMatchObject({ start: { line: 15, column: 11 }, exact: false });
    expect(locateInTemplate(TEMPLATE, '/nope')).toMatchObject({
      start: { line: 1, column: 1 },
      exact: false,
    });
  });
  it('does not take a same-named key from a sibling block', () => {
    const t = 'a:\n  x: 1\nb:\n  y: 2\n';
    expect(locateInTemplate(t, '/a/y')).toMatchObject({ start: { line: 1, column: 1 }, exact: false });
  });
});

describe('mapToTemplates', () => {
  const rendered =
    '---\n# Source: web/templates/a.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n';
  const finding: Finding = {
    ruleId: 'no-host-pid',
    severity: 'error',
    category: 'security',
    message: 'm',
    resource: { apiVersion: 'v1', kind: 'Pod', name: 'p' },
    path: '/spec/hostPID',
    location: { file: '-', document: 1, start: { line: 8, column: 12 }, end: { line: 8, column: 16 } },
    helpUri: '',
  };
  it('reads the # Source: of each document', () => {
    expect([...sourcesOfDocuments(rendered)]).toEqual([[1, 'web/templates/a.yaml']]);
  });
  it('moves findings to the template file and line', () => {
    const [f] = mapToTemplates([finding], {
      renderedFile: '-',
      text: rendered,
      read: () => 'apiVersion: v1\nkind: Pod\nspec:\n  hostPID: true\n',
    });
    expect(f!.location).toEqual({
      file: 'web/templates/a.yaml',
      document: 1,
      start: { line: 4, column: 3 },
      end: { line: 4, column: 16 },
    });
  });
  it('counts lines from the # Source: comment when the template cannot be read', () => {
    const [f] = mapToTemplates([finding], { renderedFile: '-', text: rendered, read: () => undefined });
    expect(f!.location).toMatchObject({ file: 'web/templates/a.yaml', start: { line: 6, column: 12 } });
  });
});

describe('locateInTemplate with the rendered items', () => {
  // Items inside disabled `{{ if }}` blocks rendered nothing; a `{{ range }}` item rendered several.
  const T = `spec:
  containers:
    {{- if .Values.metrics }}
    - name: metrics
      image: m
    {{- end }}
    {{- range .Values.extra }}
    - name: {{ .name }}
      image: {{ .image }}
    {{- end }}
    - name: {{ .Chart.Name }}
      securityContext:
        privileged: true
    - name: helper
      image: h
`;
  const rendered =
    (items: string[]) =>
    (p: string): string | undefined => {
      const m = /^\/spec\/containers\/(\d+)$/.exec(p);
      return m ? items[Number(m[1])] : undefined;
    };

  it('skips items of disabled if blocks', () => {
    const r = locateInTemplate(
      T,
      '/spec/containers/0/securityContext/privileged',
      rendered(['name: app', 'name: helper']),
    );
    expect(r).toMatchObject({ start: { line: 13, column: 9 }, exact: true });
    expect(
      locateInTemplate(T, '/spec/containers/1/image', rendered(['name: app', 'name: helper'])).start,
    ).toEqual({ line: 15, column: 7 });
  });

  it('maps every item a range rendered to the range item, and the rest after it', () => {
    const items = ['name: metrics', 'name: x1', 'name: x2', 'name: app', 'name: helper'];
    expect(locateInTemplate(T, '/spec/containers/0/image', rendered(items)).start.line).toBe(5);
    expect(locateInTemplate(T, '/spec/containers/2/image', rendered(items)).start.line).toBe(9);
    expect(locateInTemplate(T, '/spec/containers/3/securityContext', rendered(items)).start.line).toBe(12);
    expect(locateInTemplate(T, '/spec/containers/4/image', rendered(items)).start.line).toBe(15);
  });

  it('counts dashes when the rendered items are not known', () => {
    expect(locateInTemplate(T, '/spec/containers/1/name').start.line).toBe(8);
  });
});
