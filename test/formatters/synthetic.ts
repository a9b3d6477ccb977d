// Synthetic reports of any size for the big-report tests: many files, several resources per file
// and several findings per resource, every severity, some findings without a location (webhook
// style), some suppressed, and one from stdin; plus a consumer that reads a formatter's chunks
// without keeping them.
import { expect } from 'vitest';
import type { Finding, Severity } from '../../src/engine/types.js';
import { helpUriFor } from '../../src/engine/types.js';
import type { FormatName } from '../../src/formatters/index.js';
import type { FormatContext } from '../../src/formatters/types.js';
import { RULES } from './fixtures.js';

export const SYNTHETIC_CWD = '/work/big';

const RULE_IDS = [...RULES.keys()];
const SEVERITIES: readonly Severity[] = ['error', 'warn', 'info'];
const FINDINGS_PER_RESOURCE = 10;
const RESOURCES_PER_FILE = 10;

/**
 * The string made flat now: V8 builds a template literal as a tree of pieces and flattens it on
 * first use, which would count the input's own memory as growth of whichever formatter reads first.
 */
function flat(s: string): string {
  s.charCodeAt(s.length >> 1);
  return s;
}

export interface Synthetic {
  findings: Finding[];
  /** What the visible (unsuppressed) findings add up to, counted while generating. */
  visible: { errors: number; warnings: number; infos: number; total: number };
  suppressed: number;
  ctx: FormatContext;
}

/** `n` findings, deterministic for a given `n`. */
export function syntheticReport(n: number): Synthetic {
  const findings: Finding[] = [];
  const visible = { errors: 0, warnings: 0, infos: 0, total: 0 };
  let suppressed = 0;
  let resource = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-0', namespace: 'team-0' };
  for (let i = 0; i < n; i++) {
    const r = Math.floor(i / FINDINGS_PER_RESOURCE);
    const file = Math.floor(r / RESOURCES_PER_FILE);
    if (i % FINDINGS_PER_RESOURCE === 0)
      resource = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: `web-${r}`,
        namespace: `team-${file % 7}`,
      };
    const ruleId = RULE_IDS[i % RULE_IDS.length]!;
    const severity = SEVERITIES[i % SEVERITIES.length]!;
    const line = 1 + (r % RESOURCES_PER_FILE) * 40 + (i % FINDINGS_PER_RESOURCE) * 3;
    const finding: Finding = {
      ruleId,
      severity,
      category: RULES.get(ruleId)!.category,
      message: flat(
        `Container "app-${i % FINDINGS_PER_RESOURCE}" of Deployment web-${r} breaks ${ruleId} (#${i}).`,
      ),
      resource,
      path: flat(`/spec/template/spec/containers/${i % FINDINGS_PER_RESOURCE}`),
      helpUri: helpUriFor(ruleId),
    };
    // Every 50th finding has no location (as from the webhook); one comes from stdin.
    if (i % 50 !== 49) {
      finding.location = {
        file: i === 3 ? '-' : flat(`${SYNTHETIC_CWD}/manifests/app-${file}/deploy.yaml`),
        document: 1 + (r % RESOURCES_PER_FILE),
        start: { line, column: 7 },
        end: { line, column: 7 + (i % 30) },
      };
    }
    if (i % 5 === 0) finding.fix = { safety: 'safe', patch: [{ op: 'remove', path: finding.path }] };
    if (i % 20 === 7) {
      finding.suppressed =
        i % 40 === 7 ? { kind: 'annotation', justification: 'accepted' } : { kind: 'config' };
      suppressed++;
    } else {
      visible.total++;
      if (severity === 'error') visible.errors++;
      else if (severity === 'warn') visible.warnings++;
      else visible.infos++;
    }
    findings.push(finding);
  }
  const files = Math.ceil(n / (FINDINGS_PER_RESOURCE * RESOURCES_PER_FILE));
  const ctx: FormatContext = {
    cwd: SYNTHETIC_CWD,
    color: false,
    rules: RULES,
    toolVersion: '0.1.0',
    filesLinted: files,
    resourcesLinted: Math.ceil(n / FINDINGS_PER_RESOURCE),
  };
  return { findings, visible, suppressed, ctx };
}

export interface Consumed {
  bytes: number;
  /** Line breaks seen. */
  lines: number;
  /** The first and last characters of the output. */
  head: string;
  tail: string;
  /** Largest `heapUsed` growth over the value before formatting, in MiB. */
  peakHeapGrowthMiB: number;
}

const EDGE = 4096;
const SAMPLE_EVERY = 1 << 20;

/** Read every chunk, keeping only counts, the edges and the heap high-water mark. */
export function consume(chunks: Iterable<string>): Consumed {
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let bytes = 0;
  let lines = 0;
  let head = '';
  let tail = '';
  let sinceSample = 0;
  for (const chunk of chunks) {
    bytes += Buffer.byteLength(chunk);
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) lines++;
    if (head.length < EDGE) head += chunk.slice(0, EDGE - head.length);
    // Trimmed only now and then, so each character is copied a bounded number of times.
    tail += chunk;
    if (tail.length > 2 * EDGE) tail = tail.slice(-EDGE);
    sinceSample += chunk.length;
    if (sinceSample >= SAMPLE_EVERY) {
      sinceSample = 0;
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
  }
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { bytes, lines, head, tail: tail.slice(-EDGE), peakHeapGrowthMiB: (peak - before) / 2 ** 20 };
}

/** What the start and the end of each format look like for a synthetic report. */
export function expectWellFormedEdges(name: FormatName, out: Consumed, report: Synthetic): void {
  const { visible, findings, ctx } = report;
  const last = findings[findings.length - 1]!;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  switch (name) {
    case 'stylish':
      expect(out.head).toMatch(/^<stdin>:\d+:7 +\S/);
      expect(out.tail).toMatch(
        new RegExp(
          `\n\n\u2716 ${visible.total} problems \\(${plural(visible.errors, 'error')}, ` +
            `${plural(visible.warnings, 'warning')}, ${visible.infos} info\\) in ` +
            `${ctx.resourcesLinted} resources in ${ctx.filesLinted} files\n$`,
        ),
      );
      expect(out.lines).toBe(visible.total + 2);
      break;
    case 'json':
      expect(out.head).toMatch(
        new RegExp(`^\\{\n  "version": 1,\n  "summary": \\{\n    "errors": ${visible.errors},`),
      );
      expect(out.tail).toContain(JSON.stringify(last.message));
      expect(out.tail).toMatch(/\n {4}\}\n {2}\]\n\}\n$/);
      break;
    case 'sarif':
      expect(out.head).toMatch(/^\{\n {2}"\$schema": "https:\/\/docs\.oasis-open\.org\/sarif\//);
      expect(out.tail).toContain(JSON.stringify(last.message));
      expect(out.tail).toMatch(/\n {8}\}\n {6}\]\n {4}\}\n {2}\]\n\}\n$/);
      break;
    case 'junit':
      expect(out.head).toMatch(
        /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="shipshape" tests="\d+"/,
      );
      expect(out.tail).toMatch(/<\/failure>\n {4}<\/testcase>\n {2}<\/testsuite>\n<\/testsuites>\n$/);
      break;
    case 'github':
      expect(out.head).toMatch(/^::(error|warning|notice) /);
      expect(out.tail).toMatch(/\n::(error|warning|notice) [^\n]+\n$/);
      expect(out.lines).toBe(visible.total);
      break;
    case 'gitlab':
      expect(out.head).toMatch(/^\[\n {2}\{\n {4}"description": /);
      expect(out.tail).toMatch(/\n {2}\}\n\]\n$/);
      break;
  }
}
