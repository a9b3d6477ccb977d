// Pure helpers behind the language server: minimal edits, suppression edits, manifest detection.
import { describe, expect, it } from 'vitest';
import { ignoreAnnotationValue, minimalEdit, suppressLineEdit } from '../../src/lsp/edits.js';
import { globMatcher } from '../../src/lsp/manifest.js';
import { looksLikeManifest } from '../../src/linter/manifest-files.js';

const apply = (text: string, e: { start: number; end: number; text: string }) =>
  text.slice(0, e.start) + e.text + text.slice(e.end);

describe('minimalEdit', () => {
  it('replaces only the changed middle', () => {
    expect(minimalEdit('a: Unmasked\n', 'a: Default\n')).toEqual({ start: 3, end: 11, text: 'Default' });
    expect(minimalEdit('same', 'same')).toBeUndefined();
  });
  it('never splits a surrogate pair or a CRLF', () => {
    for (const [a, b] of [
      ['x: \u{1F600}\r\n', 'x: \u{1F601}\r\n'],
      ['a\r\nb', 'a\nb'],
      ['a\r\n', 'a\r\r\n'],
    ] as const) {
      const e = minimalEdit(a, b)!;
      expect(apply(a, e)).toBe(b);
      const c = a.charCodeAt(e.start);
      expect(c >= 0xdc00 && c <= 0xdfff).toBe(false);
    }
  });
});

describe('suppressLineEdit', () => {
  const text = 'spec:\n  hostNetwork: true\n  hostPID: true\n';
  it('inserts a comment above the line, indented like it', () => {
    expect(apply(text, suppressLineEdit(text, 2, 'no-host-network'))).toBe(
      'spec:\n  # shipshape-disable-next-line no-host-network -- TODO explain why\n  hostNetwork: true\n  hostPID: true\n',
    );
  });
  it('adds the rule to a next-line directive already above, keeping its reason', () => {
    const t = 'spec:\n  # shipshape-disable-next-line no-host-pid -- host tools\n  hostPID: true\n';
    expect(apply(t, suppressLineEdit(t, 3, 'no-host-ipc'))).toBe(
      'spec:\n  # shipshape-disable-next-line no-host-pid, no-host-ipc -- host tools\n  hostPID: true\n',
    );
  });
  it('keeps CRLF line ends', () => {
    const t = 'a: 1\r\nb: 2\r\n';
    expect(apply(t, suppressLineEdit(t, 2, 'r'))).toBe(
      'a: 1\r\n# shipshape-disable-next-line r -- TODO explain why\r\nb: 2\r\n',
    );
  });
});

describe('ignoreAnnotationValue', () => {
  it('starts, extends and keeps the reason of shipshape.dev/ignore', () => {
    expect(ignoreAnnotationValue(undefined, 'a')).toBe('a -- TODO explain why');
    expect(ignoreAnnotationValue('a -- legacy', 'b')).toBe('a, b -- legacy');
    expect(ignoreAnnotationValue('a', 'a')).toBe('a -- TODO explain why');
  });
});

describe('looksLikeManifest', () => {
  it('wants apiVersion and kind at the top level of one document', () => {
    expect(looksLikeManifest('apiVersion: v1\nkind: Pod\n')).toBe(true);
    expect(looksLikeManifest('# c\n---\nkind: Pod\nmetadata: {}\napiVersion: v1\n')).toBe(true);
    expect(looksLikeManifest('apiVersion: v1\n---\nkind: Pod\n')).toBe(false);
    expect(looksLikeManifest('spec:\n  apiVersion: v1\n  kind: Pod\n')).toBe(false);
    expect(looksLikeManifest('{"apiVersion":"v1","kind":"List","items":[]}')).toBe(true);
    expect(looksLikeManifest('[{"apiVersion":"v1","kind":"Pod"}]')).toBe(true);
    expect(looksLikeManifest('{"name":"x"}')).toBe(false);
    expect(looksLikeManifest('on: push\njobs: {}\n')).toBe(false);
  });
});

describe('globMatcher', () => {
  it('matches paths relative to the root, and name-only globs against the file name', () => {
    const m = globMatcher(['k8s/**/*.yaml', '*.k8s.yml']);
    expect(m('/w/k8s/a/b.yaml', '/w')).toBe(true);
    expect(m('/w/other/b.yaml', '/w')).toBe(false);
    expect(m('/w/deep/x.k8s.yml', '/w')).toBe(true);
    expect(globMatcher([])('/w/a.yaml', '/w')).toBe(false);
  });
});
