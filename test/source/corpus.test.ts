// A manifest corpus big enough for the scalar memo: the fast path handles all of it and agrees with the yaml package.
import { describe, expect, it } from 'vitest';
import { parseDocuments } from '../../src/source/parse.js';
import { locateOffsets } from '../../src/source/positions.js';
import { codeUnits } from '../../src/source/fast-yaml.js';

const deployment = (i: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
  namespace: team-${i % 7}
  labels: {app.kubernetes.io/name: web-${i}, tier: "frontend"}
  annotations:
    checksum/config: '${(i * 2654435761) % 4294967296}'
spec:
  replicas: ${i % 4}
  template:
    spec:
      containers:
      - name: app
        image: "registry.example.com/web:1.${i % 9}.0"
        args: [--port, "8080", --verbose, yes]
        env:
        - {name: MODE, value: "on"}
        - name: RATIO
          value: 0.${i % 10}
        resources: {limits: {cpu: 500m, memory: 256Mi}}
`;

const configMap = (i: number) => `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg-${i}}
data:
  enabled: ${i % 2 ? 'yes' : 'off'}
  octal: ${i % 3 ? '0644' : '0x1F'}
  script: |-
    #!/bin/sh
    echo "run ${i}"

      indented line
  folded: >
    one
    two

    three
`;

const corpus = (n: number) =>
  Array.from({ length: n }, (_, i) => (i % 3 === 2 ? configMap(i) : deployment(i))).join('---\n');

function pointers(v: unknown, prefix = ''): string[] {
  const out = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pointers(x, `${prefix}/${i}`)));
  else if (typeof v === 'object' && v !== null)
    for (const [k, x] of Object.entries(v))
      out.push(...pointers(x, `${prefix}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  return out;
}

describe('a 300-resource corpus', () => {
  const text = corpus(300);

  it('is big enough to use the scalar memo', () => {
    expect(text.length).toBeGreaterThan(32_768);
  });

  it('is read entirely by the fast path, with the yaml package’s values and positions', () => {
    const fast = parseDocuments('c.yaml', text);
    const slow = parseDocuments('c.yaml', text, { fastPath: false });
    expect(fast.problems).toEqual([]);
    expect(slow.problems).toEqual([]);
    expect(fast.documents.every((d) => d.parser === 'fast')).toBe(true);
    expect(fast.documents.map((d) => d.value)).toEqual(slow.documents.map((d) => d.value));
    for (let i = 0; i < fast.documents.length; i += 7) {
      const a = fast.documents[i]!;
      const b = slow.documents[i]!;
      for (const ptr of pointers(a.value)) {
        expect(locateOffsets(text, a.source.tables, ptr)).toEqual(locateOffsets(text, b.source.tables, ptr));
      }
    }
  });

  it('copies code units exactly, lone surrogates and astral characters included', () => {
    const s = 'a\uD800b\uDC00😀é\u0000z';
    const u = codeUnits(s);
    expect(u.length).toBe(s.length + 1);
    expect(Array.from(u.subarray(0, s.length))).toEqual(
      Array.from({ length: s.length }, (_, i) => s.charCodeAt(i)),
    );
    expect(u[s.length]).toBe(0);
  });
});
