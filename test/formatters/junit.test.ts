import { describe, expect, it } from 'vitest';
import { escapeXmlAttr, escapeXmlText, junit as junitChunks } from '../../src/formatters/junit.js';
import { formatToString } from '../../src/formatters/index.js';
import { ALL, context, hostNetwork, limits, NASTY_MESSAGE, suppressedByConfig } from './fixtures.js';
import { parseXml } from './xml.js';

const junit = (...args: Parameters<typeof junitChunks>): string => formatToString(junitChunks, ...args);

describe('junit', () => {
  it('writes a testsuite per file and a testcase per resource with a failure per finding', () => {
    const out = junit([hostNetwork, limits, suppressedByConfig], context());
    expect(out).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="shipshape" tests="1" failures="1" errors="0">',
        '  <testsuite name="manifests/deploy.yaml" tests="1" failures="1" errors="0" skipped="0">',
        '    <testcase name="Deployment/prod/web" classname="manifests/deploy.yaml">',
        '      <failure message="Container &quot;app&quot; &lt;&amp;&gt; uses 100% CPU,&#10;see: docs" type="require-resource-limits">manifests/deploy.yaml:9:11: warning: Container "app" &lt;&amp;&gt; uses 100% CPU,',
        'see: docs (require-resource-limits)',
        'Pointer: /spec/template/spec/containers/0/resources',
        'Help: https://shipshape.dev/rules/require-resource-limits</failure>',
        '      <failure message="Deployment web sets hostNetwork: true." type="no-host-network">manifests/deploy.yaml:12:7: error: Deployment web sets hostNetwork: true. (no-host-network)',
        'Pointer: /spec/template/spec/hostNetwork',
        'Help: https://shipshape.dev/rules/no-host-network</failure>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('is well-formed, and a parser reads back the original message', () => {
    const doc = parseXml(junit(ALL, context()));
    expect(doc.name).toBe('testsuites');
    expect(doc.attrs).toEqual({ name: 'shipshape', tests: '4', failures: '4', errors: '0' });
    expect(doc.children.map((s) => s.attrs.name)).toEqual([
      'manifests/deploy.yaml',
      'manifests/svc.yaml',
      '(no source location)',
      '<stdin>',
    ]);
    const [deploy] = doc.children;
    const failures = deploy!.children[0]!.children;
    expect(failures.map((f) => f.attrs.type)).toEqual(['require-resource-limits', 'no-host-network']);
    expect(failures[0]!.attrs.message).toBe(NASTY_MESSAGE);
    expect(failures[0]!.text).toContain(`manifests/deploy.yaml:9:11: warning: ${NASTY_MESSAGE}`);
    const orphanCase = doc.children[2]!.children[0]!;
    expect(orphanCase.attrs.name).toBe('Pod/default/orphan');
    expect(orphanCase.children[0]!.text).toMatch(
      /^Pod\/default\/orphan: error: Pod orphan has no readiness probe\./,
    );
  });

  it('is valid with no findings', () => {
    const out = junit([], context());
    expect(out).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="shipshape" tests="0" failures="0" errors="0">\n</testsuites>\n',
    );
    expect(parseXml(out).children).toEqual([]);
    expect(junit([suppressedByConfig], context())).toBe(out);
  });

  it('replaces characters XML cannot carry and keeps line breaks in attributes', () => {
    expect(escapeXmlText('a\u0000b\u001bc\uD800d]]>')).toBe('a\uFFFDb\uFFFDc\uFFFDd]]&gt;');
    expect(escapeXmlAttr('"\t\r\n\'')).toBe("&quot;&#9;&#13;&#10;'");
    const evil = { ...hostNetwork, message: 'bell\u0007 & </failure><x>' };
    const doc = parseXml(junit([evil], context()));
    expect(doc.children[0]!.children[0]!.children[0]!.attrs.message).toBe('bell\uFFFD & </failure><x>');
  });

  it('the test reader rejects what is not well-formed', () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
    expect(() => parseXml(`${head}<a><b></a></b>`)).toThrow(/closes/);
    expect(() => parseXml(`${head}<a x="1 & 2"/>`)).toThrow(/bare &/);
    expect(() => parseXml(`${head}<a>`)).toThrow(/unclosed/);
  });

  it('leaves the Help line out for a rule without documentation', () => {
    expect(junit([{ ...hostNetwork, helpUri: '' }], context())).not.toContain('Help:');
    expect(junit([hostNetwork], context())).toContain(`Help: ${hostNetwork.helpUri}`);
  });
});
