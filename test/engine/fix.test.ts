// The comment-preserving fixer: JSON patches applied to YAML text.
import { describe, expect, it } from 'vitest';
import type { Finding, JsonPatchOp } from '../../src/engine/types.js';
import { applyFixes } from '../../src/source/fix.js';

const finding = (document: number, patch: JsonPatchOp[], extra: Partial<Finding> = {}): Finding => ({
  ruleId: 'r',
  severity: 'warn',
  category: 'hygiene',
  message: 'm',
  resource: { apiVersion: 'v1', kind: 'Pod' },
  path: '',
  helpUri: '',
  location: { file: 'f.yaml', document, start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
  fix: { safety: 'safe', patch },
  ...extra,
});

describe('applyFixes', () => {
  it('replaces a scalar in place, keeping its comment and the flow style elsewhere', () => {
    const text = 'spec:\n  policy: Never # chosen in 2019\n  caps: [ALL]\n';
    expect(applyFixes(text, [finding(1, [{ op: 'replace', path: '/spec/policy', value: 'Always' }])])).toBe(
      'spec:\n  policy: Always # chosen in 2019\n  caps: [ALL]\n',
    );
  });

  it('changes only the bytes a patch touches: flow padding, unindented sequences and quotes stay', () => {
    const text =
      'spec:\n  selector: { app: web }\n  containers:\n  - name: "app"\n    caps: [ALL]\n    image: a:1\n';
    const out = applyFixes(text, [
      finding(1, [{ op: 'add', path: '/spec/containers/0/securityContext/runAsNonRoot', value: true }]),
      finding(1, [{ op: 'replace', path: '/spec/containers/0/name', value: 'web' }]),
    ]);
    expect(out).toBe(
      'spec:\n  selector: { app: web }\n  containers:\n  - name: "web"\n    caps: [ALL]\n    image: a:1\n    securityContext:\n      runAsNonRoot: true\n',
    );
  });

  it('edits flow collections in place', () => {
    expect(applyFixes('spec: {a: 1, b: 2}\n', [finding(1, [{ op: 'remove', path: '/spec/a' }])])).toBe(
      'spec: {b: 2}\n',
    );
  });

  it('creates missing parents for add, and removes', () => {
    const text = 'spec:\n  containers:\n    - name: app # main\n      image: a:1\n  hostPID: true\n';
    const out = applyFixes(text, [
      finding(1, [
        { op: 'add', path: '/spec/containers/0/securityContext/allowPrivilegeEscalation', value: false },
        { op: 'remove', path: '/spec/hostPID' },
      ]),
    ]);
    expect(out).toBe(
      'spec:\n  containers:\n    - name: app # main\n      image: a:1\n      securityContext:\n        allowPrivilegeEscalation: false\n',
    );
  });

  it('touches only documents with fixes, keeping the others byte for byte', () => {
    const other = '# first\napiVersion: v1\nkind:   ConfigMap   # odd spacing kept\n';
    const text = `${other}---\nspec:\n  a: 1\n`;
    expect(applyFixes(text, [finding(2, [{ op: 'replace', path: '/spec/a', value: 2 }])])).toBe(
      `${other}---\nspec:\n  a: 2\n`,
    );
  });

  it('patches List items through the location pointer', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n  - kind: Pod\n    spec: {}\n  - kind: Pod\n    spec:\n      hostIPC: true\n';
    const f = finding(1, [{ op: 'remove', path: '/spec/hostIPC' }]);
    f.location!.pointer = '/items/1';
    expect(applyFixes(text, [f])).toBe(
      'apiVersion: v1\nkind: List\nitems:\n  - kind: Pod\n    spec: {}\n  - kind: Pod\n    spec: {}\n',
    );
  });

  it('skips a patch whose test op fails, unsafe fixes unless asked, and suppressed findings', () => {
    const text = 'a: 1\n';
    expect(
      applyFixes(text, [
        finding(1, [
          { op: 'test', path: '/a', value: 2 },
          { op: 'replace', path: '/a', value: 3 },
        ]),
      ]),
    ).toBe(text);
    const unsafe = finding(1, [{ op: 'replace', path: '/a', value: 3 }], {
      fix: { safety: 'unsafe', patch: [{ op: 'replace', path: '/a', value: 3 }] },
    });
    expect(applyFixes(text, [unsafe])).toBe(text);
    expect(applyFixes(text, [unsafe], { unsafe: true })).toBe('a: 3\n');
    expect(applyFixes(text, [{ ...unsafe, suppressed: { kind: 'inline' } }], { unsafe: true })).toBe(text);
  });
});
