// JUnit XML for CI test-report views: a testsuite per file, a testcase per resource, a failure per finding.
import type { Finding } from '../engine/types.js';
import type { FormatContext, Formatter } from './types.js';
import { byPosition, displayPath, resourceLabel, SEVERITY_WORD, visibleFindings } from './shared.js';

/** Suite name for findings that have no source location. */
export const NO_SOURCE_SUITE = '(no source location)';

// XML 1.0 allows only these characters, even as references (https://www.w3.org/TR/xml/#charsets);
// anything else (most C0 controls, lone surrogates) becomes U+FFFD.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escape character data. `>` is escaped too so `]]>` can never appear. */
export function escapeXmlText(s: string): string {
  return s.replace(NOT_XML_CHAR, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escape an attribute value for double quotes. Tabs and line breaks become character references
 * so attribute-value normalisation does not turn them into spaces.
 */
export function escapeXmlAttr(s: string): string {
  return escapeXmlText(s)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

interface Suite {
  name: string;
  cases: Map<string, Finding[]>;
}

function suitesOf(findings: readonly Finding[], cwd: string): Suite[] {
  const suites = new Map<string, Suite>();
  for (const f of findings) {
    const name = f.location ? displayPath(f.location.file, cwd) : NO_SOURCE_SUITE;
    let suite = suites.get(name);
    if (!suite) {
      suite = { name, cases: new Map() };
      suites.set(name, suite);
    }
    const label = resourceLabel(f.resource);
    const list = suite.cases.get(label) ?? [];
    list.push(f);
    suite.cases.set(label, list);
  }
  return [...suites.values()];
}

function failure(f: Finding, suite: string): string {
  const where = f.location
    ? `${suite}:${f.location.start.line}:${f.location.start.column}`
    : resourceLabel(f.resource);
  const body = [
    `${where}: ${SEVERITY_WORD[f.severity]}: ${f.message} (${f.ruleId})`,
    `Pointer: ${f.path === '' ? '/' : f.path}`,
    ...(f.helpUri ? [`Help: ${f.helpUri}`] : []),
  ].join('\n');
  return `      <failure message="${escapeXmlAttr(f.message)}" type="${escapeXmlAttr(f.ruleId)}">${escapeXmlText(body)}</failure>`;
}

/**
 * JUnit XML. Formatters see findings only, so only resources with (unsuppressed) findings appear,
 * each as a failed testcase; with no findings the document is an empty, valid `<testsuites>`.
 */
export const junit: Formatter = (findings, ctx: FormatContext) => {
  const suites = suitesOf(visibleFindings(findings), ctx.cwd);
  let total = 0;
  const body: string[] = [];
  for (const suite of suites) {
    const n = suite.cases.size;
    total += n;
    body.push(
      `  <testsuite name="${escapeXmlAttr(suite.name)}" tests="${n}" failures="${n}" errors="0" skipped="0">`,
    );
    for (const [label, list] of suite.cases) {
      body.push(`    <testcase name="${escapeXmlAttr(label)}" classname="${escapeXmlAttr(suite.name)}">`);
      for (const f of [...list].sort(byPosition)) body.push(failure(f, suite.name));
      body.push('    </testcase>');
    }
    body.push('  </testsuite>');
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shipshape" tests="${total}" failures="${total}" errors="0">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
};
