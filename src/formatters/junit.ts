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

/** Findings by suite name (their file, as shown), suites in order of first appearance. */
function suitesOf(findings: readonly Finding[], cwd: string): Map<string, Finding[]> {
  const suites = new Map<string, Finding[]>();
  let lastFile: string | undefined;
  let lastName = NO_SOURCE_SUITE;
  for (const f of findings) {
    let name = NO_SOURCE_SUITE;
    if (f.location) {
      if (f.location.file !== lastFile) {
        lastFile = f.location.file;
        lastName = displayPath(lastFile, cwd);
      }
      name = lastName;
    }
    const list = suites.get(name);
    if (list) list.push(f);
    else suites.set(name, [f]);
  }
  return suites;
}

/** One suite's findings by resource label (its testcases), in order of first appearance. */
function casesOf(findings: readonly Finding[]): Map<string, Finding[]> {
  const cases = new Map<string, Finding[]>();
  for (const f of findings) {
    const label = resourceLabel(f.resource);
    const list = cases.get(label);
    if (list) list.push(f);
    else cases.set(label, [f]);
  }
  return cases;
}

/** Number of testcases in a suite, without keeping its grouping. */
function caseCount(findings: readonly Finding[]): number {
  return new Set(findings.map((f) => resourceLabel(f.resource))).size;
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
 * The header needs the total number of testcases, so suites are counted first and then grouped
 * into testcases one suite at a time as they are written.
 */
export const junit: Formatter = function* (findings, ctx: FormatContext) {
  const suites = suitesOf(visibleFindings(findings), ctx.cwd);
  let total = 0;
  for (const list of suites.values()) total += caseCount(list);
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="shipshape" tests="${total}" failures="${total}" errors="0">\n`;
  for (const [name, list] of suites) {
    const cases = casesOf(list);
    const n = cases.size;
    yield `  <testsuite name="${escapeXmlAttr(name)}" tests="${n}" failures="${n}" errors="0" skipped="0">\n`;
    for (const [label, caseFindings] of cases) {
      const lines = [`    <testcase name="${escapeXmlAttr(label)}" classname="${escapeXmlAttr(name)}">`];
      for (const f of [...caseFindings].sort(byPosition)) lines.push(failure(f, name));
      lines.push('    </testcase>', '');
      yield lines.join('\n');
    }
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
};
