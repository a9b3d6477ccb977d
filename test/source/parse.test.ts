// parseSource: documents → resources, List expansion, problems, CRLF/BOM, JSON, and the locate rules.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, type Document } from 'yaml';
import type { SourceRange } from '../../src/engine/types.js';
import { parseSource } from '../../src/source/parse.js';

const r = (l1: number, c1: number, l2: number, c2: number, exact = true): SourceRange => ({
  start: { line: l1, column: c1 },
  end: { line: l2, column: c2 },
  exact,
});

/** The text a range covers (single- or multi-line). */
function slice(text: string, range: SourceRange): string {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const off = (p: { line: number; column: number }) =>
    lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
  return text.replace(/^\uFEFF/, '').slice(off(range.start), off(range.end));
}

const DEPLOY = `# a deployment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # the name
  labels: {app: web, "tier": 'front'}
spec:
  replicas: 3
  template:
    spec:
      containers:
      - name: app
        image: "nginx:1.25"
        args: [--port, "8080"]
        command:
          - sh
          - -c
          - |
            echo hi
            exec nginx
      - name: side  # sidecar
        image: busybox
`;

describe('parseSource: resources', () => {
  it('reads a multi-document file, skipping empty documents but counting them', () => {
    const text = `---\n# nothing\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: ns}\n---\n~\n---\napiVersion: v1\nkind: Secret\n...\n`;
    const { resources, problems } = parseSource('m.yaml', text);
    expect(problems).toEqual([]);
    expect(resources.map((x) => [x.source!.document, x.object.kind])).toEqual([
      [2, 'ConfigMap'],
      [4, 'Secret'],
    ]);
    expect(resources[0]!.source!.file).toBe('m.yaml');
  });

  it('expands List kinds into one resource per item, located relative to the item', () => {
    const text = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: svc
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: cm}
`;
    const { resources, problems } = parseSource('l.yaml', text);
    expect(problems).toEqual([]);
    expect(resources.map((x) => x.object.kind)).toEqual(['Service', 'ConfigMap']);
    const [svc, cm] = resources.map((x) => x.source!);
    expect(svc!.locate('')).toEqual(r(4, 3, 4, 17));
    expect(svc!.locate('/metadata/name')).toEqual(r(7, 11, 7, 14));
    expect(svc!.locate('/spec/ports')).toEqual(r(4, 3, 4, 17, false));
    expect(cm!.locate('/metadata/name')).toEqual(r(10, 20, 10, 22));
    expect(cm!.locate('/metadata', 'key')).toEqual(r(10, 3, 10, 11));
  });

  it('expands any *List kind with an items array, and reports bad items', () => {
    const text = `apiVersion: v1\nkind: PodList\nitems:\n- apiVersion: v1\n  kind: Pod\n- just a string\n- apiVersion: v1\n`;
    const { resources, problems } = parseSource('l.yaml', text);
    expect(resources.map((x) => x.object.kind)).toEqual(['Pod']);
    expect(problems.map((p) => [p.ruleId, p.path, p.message, p.start])).toEqual([
      [
        'invalid-resource',
        '/items/1',
        'item 1 of the PodList is a string, not a Kubernetes object',
        { line: 6, column: 3 },
      ],
      [
        'invalid-resource',
        '/items/2/kind',
        'missing required field "kind" (item 2 of the PodList)',
        { line: 7, column: 3 },
      ],
    ]);
  });

  it('produces plain JSON-compatible objects', () => {
    const { resources } = parseSource('d.yaml', DEPLOY);
    const obj = resources[0]!.object;
    expect(JSON.parse(JSON.stringify(obj))).toEqual(obj);
    expect(obj).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web', tier: 'front' } },
      spec: {
        replicas: 3,
        template: {
          spec: {
            containers: [
              {
                name: 'app',
                image: 'nginx:1.25',
                args: ['--port', '8080'],
                command: ['sh', '-c', 'echo hi\nexec nginx\n'],
              },
              { name: 'side', image: 'busybox' },
            ],
          },
        },
      },
    });
  });
});

describe('parseSource: problems', () => {
  it('reports yaml syntax errors with the yaml package position, and keeps the other documents', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a\n---\napiVersion: v1\nkind: Service\n`;
    const { resources, problems } = parseSource('s.yaml', text);
    expect(resources.map((x) => [x.source!.document, x.object.kind])).toEqual([[2, 'Service']]);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p.ruleId).toBe('yaml-syntax');
      expect(p.document).toBe(1);
      expect(p.file).toBe('s.yaml');
    }
    expect(problems[0]!.start.line).toBeGreaterThanOrEqual(4);
    expect(problems[0]!.start.line).toBeLessThanOrEqual(5);
  });

  it('positions a syntax error in a later document against the whole file', () => {
    const text = `a: 1\n---\nb: 2\n---\nkey: value\n  bad: indent\n`;
    const problems = parseSource('s.yaml', text).problems.filter((p) => p.ruleId === 'yaml-syntax');
    // the yaml package on the whole file agrees on messages and positions
    const whole = parseAllDocuments(text, { version: '1.1', prettyErrors: true }) as Document[];
    const expected = whole[2]!.errors.map((e) => ({
      message: e.message.split(' at line')[0],
      start: { line: e.linePos![0].line, column: e.linePos![0].col },
    }));
    expect(expected.length).toBeGreaterThan(0);
    expect(problems.map((p) => ({ message: p.message, start: p.start }))).toEqual(expected);
    expect(problems.every((p) => p.document === 3)).toBe(true);
  });

  it('reports duplicate keys at the repeated key; the last value wins', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\ndata:\n  k: 1\n  "k": 2\n`;
    for (const fastPath of [true, false]) {
      const { resources, problems } = parseSource('d.yaml', text, { fastPath });
      expect(resources[0]!.object).toMatchObject({ metadata: { name: 'b' }, data: { k: 2 } });
      expect(problems).toEqual([
        {
          ruleId: 'duplicate-key',
          message: 'Duplicate key "name"; the last value wins.',
          file: 'd.yaml',
          document: 1,
          start: { line: 5, column: 3 },
          end: { line: 5, column: 7 },
          path: '/metadata/name',
          resource: { apiVersion: 'v1', kind: 'ConfigMap', name: 'b' },
        },
        {
          ruleId: 'duplicate-key',
          message: 'Duplicate key "k"; the last value wins.',
          file: 'd.yaml',
          document: 1,
          start: { line: 8, column: 3 },
          end: { line: 8, column: 6 },
          path: '/data/k',
          resource: { apiVersion: 'v1', kind: 'ConfigMap', name: 'b' },
        },
      ]);
    }
  });

  it('reports documents that are not mappings', () => {
    const text = `- a\n- b\n---\njust text\n---\n42\n`;
    const { resources, problems } = parseSource('n.yaml', text);
    expect(resources).toEqual([]);
    expect(problems.map((p) => [p.ruleId, p.document, p.message, p.start, p.end])).toEqual([
      [
        'invalid-resource',
        1,
        'document 1 is a sequence, not a Kubernetes object',
        { line: 1, column: 1 },
        { line: 1, column: 4 },
      ],
      [
        'invalid-resource',
        2,
        'document 2 is a string, not a Kubernetes object',
        { line: 4, column: 1 },
        { line: 4, column: 10 },
      ],
      [
        'invalid-resource',
        3,
        'document 3 is a number, not a Kubernetes object',
        { line: 6, column: 1 },
        { line: 6, column: 3 },
      ],
    ]);
  });

  it('reports missing or non-string apiVersion/kind and produces no resource', () => {
    const text = `metadata:\n  name: x\napiVersion: v1\n---\napiVersion: 1\nkind: Pod\n---\napiVersion: v1\nkind:\n`;
    const { resources, problems } = parseSource('k.yaml', text);
    expect(resources).toEqual([]);
    expect(problems.map((p) => [p.document, p.path, p.message, p.start, p.end])).toEqual([
      [1, '/kind', 'missing required field "kind"', { line: 1, column: 1 }, { line: 1, column: 9 }],
      [
        2,
        '/apiVersion',
        'field "apiVersion" must be a string, got a number',
        { line: 5, column: 13 },
        { line: 5, column: 14 },
      ],
      [3, '/kind', 'missing required field "kind"', { line: 9, column: 1 }, { line: 9, column: 5 }],
    ]);
  });

  it('never throws, even on binary garbage', () => {
    expect(() => parseSource('g.yaml', '\u0000\uFFFF\uD800: [\n\t- *a')).not.toThrow();
    expect(() => parseSource('g.yaml', '['.repeat(20000))).not.toThrow();
    expect(() => parseSource('g.yaml', '- '.repeat(5000) + 'x')).not.toThrow();
  });
});

describe('parseSource: CRLF, BOM and JSON', () => {
  it('handles CRLF line endings and a UTF-8 BOM', () => {
    const text =
      '\uFEFFapiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: crlf\r\ndata:\r\n  s: |\r\n    a\r\n    b\r\n';
    const { resources, problems } = parseSource('c.yaml', text);
    expect(problems).toEqual([]);
    expect(resources[0]!.object).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'crlf' },
      data: { s: 'a\nb\n' },
    });
    const src = resources[0]!.source!;
    expect(src.locate('')).toEqual(r(1, 1, 1, 11));
    expect(src.locate('/metadata/name')).toEqual(r(4, 9, 4, 13));
    expect(src.locate('/data/s')).toEqual(r(6, 6, 8, 6));
  });

  it('reads .json files with positions, including duplicate keys', () => {
    const text =
      '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "p", "name": "q"},\n  "spec": {"containers": [\n    {"name": "c", "image": "i"}\n  ]}\n}\n';
    const { resources, problems } = parseSource('p.json', text);
    expect(resources[0]!.object).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'q' },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    });
    expect(problems.map((p) => [p.ruleId, p.path, p.start])).toEqual([
      ['duplicate-key', '/metadata/name', { line: 4, column: 29 }],
    ]);
    const src = resources[0]!.source!;
    expect(src.locate('')).toEqual(r(2, 3, 2, 15));
    expect(src.locate('/metadata/name')).toEqual(r(4, 37, 4, 40));
    expect(src.locate('/spec/containers/0')).toEqual(r(6, 5, 6, 32));
    expect(src.locate('/spec/containers/0/image')).toEqual(r(6, 28, 6, 31));
  });

  it('reports JSON syntax errors in .json files with line and column', () => {
    const { resources, problems } = parseSource('bad.json', '{\n  "a": 1,\n  "b" 2\n}\n');
    expect(resources).toEqual([]);
    expect(problems).toEqual([
      {
        ruleId: 'yaml-syntax',
        message: "Expected ':' after property name in JSON",
        file: 'bad.json',
        document: 1,
        start: { line: 3, column: 7 },
        end: { line: 3, column: 8 },
      },
    ]);
  });

  it('treats JSON-looking YAML files as JSON, and YAML flow mappings as YAML', () => {
    expect(parseSource('a.yaml', '{"apiVersion": "v1", "kind": "Pod"}').resources[0]!.object).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
    });
    expect(
      parseSource(
        'b.yaml',
        '{apiVersion: v1, kind: Pod}\n---\n{apiVersion: v1, kind: Service}\n',
      ).resources.map((x) => x.object.kind),
    ).toEqual(['Pod', 'Service']);
  });
});

describe('ResourceSource.locate', () => {
  const { resources } = parseSource('d.yaml', DEPLOY);
  const src = resources[0]!.source!;
  const at = (ptr: string, target?: 'key' | 'value') => slice(DEPLOY, src.locate(ptr, target));

  it('a scalar resolves to its own range, quotes included', () => {
    expect(src.locate('/metadata/name')).toEqual(r(5, 9, 5, 12));
    expect(at('/spec/template/spec/containers/0/image')).toBe('"nginx:1.25"');
    expect(at('/metadata/labels/tier')).toBe("'front'");
    expect(at('/spec/template/spec/containers/0/args/1')).toBe('"8080"');
    expect(at('/spec/replicas')).toBe('3');
  });

  it('a block scalar resolves from its indicator to its last character', () => {
    expect(src.locate('/spec/template/spec/containers/0/command/2')).toEqual(r(18, 13, 20, 23));
  });

  it('a collection that is a mapping value resolves to its key', () => {
    expect(src.locate('/metadata')).toEqual(r(4, 1, 4, 9));
    expect(at('/metadata/labels')).toBe('labels');
    expect(at('/spec/template/spec/containers')).toBe('containers');
  });

  it('a collection that is a sequence item resolves from its first character to the end of the line', () => {
    expect(src.locate('/spec/template/spec/containers/0')).toEqual(r(12, 9, 12, 18));
    expect(at('/spec/template/spec/containers/1')).toBe('name: side');
  });

  it('the root resolves to the first key', () => {
    expect(src.locate('')).toEqual(r(2, 1, 2, 11));
  });

  it("target 'key' resolves a mapping entry to its key", () => {
    expect(at('/metadata/name', 'key')).toBe('name');
    expect(at('/spec/replicas', 'key')).toBe('replicas');
    expect(at('/metadata/labels/tier', 'key')).toBe('"tier"');
    expect(at('/metadata/name', 'value')).toBe('web');
  });

  it('a missing path resolves to its closest existing ancestor, not exact', () => {
    expect(src.locate('/metadata/annotations/x')).toEqual({ ...r(4, 1, 4, 9), exact: false });
    expect(src.locate('/spec/template/spec/containers/0/resources/limits')).toEqual({
      ...r(12, 9, 12, 18),
      exact: false,
    });
    expect(src.locate('/spec/template/spec/containers/7')).toEqual({
      ...src.locate('/spec/template/spec/containers'),
      exact: false,
    });
    expect(src.locate('/spec/replicas/deeper')).toEqual({ ...src.locate('/spec/replicas'), exact: false });
    expect(src.locate('/spec/template/spec/containers/01')).toMatchObject({ exact: false });
    expect(src.locate('not-a-pointer')).toEqual({ ...r(2, 1, 2, 11), exact: false });
  });

  it('decodes ~0 and ~1 in pointers', () => {
    const text = 'apiVersion: v1\nkind: X\nmetadata:\n  annotations:\n    a/b: 1\n    c~d: 2\n';
    const s = parseSource('e.yaml', text).resources[0]!.source!;
    expect(slice(text, s.locate('/metadata/annotations/a~1b'))).toBe('1');
    expect(slice(text, s.locate('/metadata/annotations/c~0d'))).toBe('2');
  });

  it('an empty value resolves to its key; an empty sequence item to its dash', () => {
    const text = 'apiVersion: v1\nkind: X\nspec:\n  empty:\n  list:\n  -\n  - x\n';
    for (const fastPath of [true, false]) {
      const s = parseSource('e.yaml', text, { fastPath }).resources[0]!.source!;
      expect(s.locate('/spec/empty')).toEqual(r(4, 3, 4, 8));
      expect(s.locate('/spec/list/0')).toEqual(r(6, 3, 6, 4));
    }
  });

  it('gives the same ranges on the fast path and in the fallback', () => {
    const slow = parseSource('d.yaml', DEPLOY, { fastPath: false }).resources[0]!.source!;
    for (const ptr of [
      '',
      '/metadata',
      '/metadata/name',
      '/metadata/labels/app',
      '/spec/template/spec/containers/0',
      '/spec/template/spec/containers/0/command/2',
      '/spec/template/spec/containers/1/image',
      '/nope/deeper',
    ]) {
      expect(src.locate(ptr)).toEqual(slow.locate(ptr));
      expect(src.locate(ptr, 'key')).toEqual(slow.locate(ptr, 'key'));
    }
  });
});
