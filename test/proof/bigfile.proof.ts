// 100 MB inputs through the real CLI: a file of ~120k manifests and a file that is one huge
// scalar. Neither crashes, both finish in bounded time, and peak memory stays bounded.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNames, formatters } from '../../src/formatters/index.js';
import { consume, expectWellFormedEdges, syntheticReport } from '../formatters/synthetic.js';
// @ts-expect-error -- plain ESM helper without types
import { corpus } from '../../bench/corpus.mjs';

const MB = 2 ** 20;
const dir = mkdtempSync(join(tmpdir(), 'shipshape-big-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the built CLI under the RSS launcher: exit status, wall time, peak RSS (MiB). */
function cli(args: string[]) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['bench/rss-launcher.mjs', 'bin/shipshape.js', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const ms = performance.now() - t0;
  const rss = Number(/@@maxrss (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
  return { status: r.status, ms, rss, stdout: r.stdout, stderr: r.stderr };
}

/** Lint one big file with the schema preset (JSON report to a file) and log what it cost. */
function lintBig(file: string, label: string) {
  const r = cli(['lint', file, '--no-config', '--preset', 'schema', '-f', 'json', '-o', `${file}.json`]);
  console.log(`${label}: exit ${r.status}, ${(r.ms / 1000).toFixed(1)} s, peak RSS ${r.rss.toFixed(0)} MiB`);
  return r;
}

describe('100 MB files', () => {
  it('a 100 MB file of manifests is linted within bounds', () => {
    const file = join(dir, 'manifests.yaml');
    const fd = openSync(file, 'w');
    const docs = (corpus as (n: number) => string[])(1000);
    let size = 0;
    for (let round = 0; size < 100 * MB; round++) {
      const text =
        docs.map((d) => d.replace(/name: ([a-z]+)-(\d+)/, `name: $1-$2-r${round}`)).join('---\n') + '---\n';
      writeSync(fd, text);
      size += Buffer.byteLength(text);
    }
    closeSync(fd);
    expect(statSync(file).size).toBeGreaterThanOrEqual(100 * MB);
    const r = lintBig(file, '100 MB of manifests');
    expect(r.status, r.stderr.slice(0, 500)).toBe(0);
    expect(r.ms).toBeLessThan(300_000);
    expect(r.rss).toBeLessThan(4096);
  });

  it('a 100 MB single scalar is linted within bounds', () => {
    const file = join(dir, 'scalar.yaml');
    writeFileSync(
      file,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: ${'x'.repeat(100 * MB)}\n`,
    );
    const r = lintBig(file, '100 MB scalar');
    expect(r.status === 0 || r.status === 1, r.stderr.slice(0, 500)).toBe(true);
    expect(r.ms).toBeLessThan(120_000);
    expect(r.rss).toBeLessThan(2048);
  });

  it('100 MB of random bytes is a finding, not a crash', () => {
    const file = join(dir, 'noise.yaml');
    const fd = openSync(file, 'w');
    let x = 12345;
    const chunk = Buffer.alloc(MB);
    for (let i = 0; i < 100; i++) {
      for (let j = 0; j < MB; j++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        chunk[j] = x >>> 24;
      }
      writeSync(fd, chunk);
    }
    closeSync(fd);
    const r = lintBig(file, '100 MB of noise');
    expect(r.status, r.stderr.slice(0, 500)).toBe(1);
    expect(r.ms).toBeLessThan(120_000);
    expect(r.rss).toBeLessThan(4096);
  });
});

// Past 125k findings stylish used to throw (a spread into Math.max), past ~600k SARIF (one string
// longer than V8 allows). Each format is read chunk by chunk here and nothing is kept.
describe('a million findings', () => {
  let million: ReturnType<typeof syntheticReport>;
  beforeAll(() => {
    million = syntheticReport(1_000_000);
  });

  it.each(formatNames)('%s streams a million findings in bounded memory', (name) => {
    const out = consume(formatters[name](million.findings, million.ctx));
    console.log(
      `${name}: ${(out.bytes / MB).toFixed(0)} MiB, heap growth ${out.peakHeapGrowthMiB.toFixed(0)} MiB`,
    );
    expectWellFormedEdges(name, out, million);
    expect(out.peakHeapGrowthMiB).toBeLessThan(300);
  });
});

// The same through the real CLI: 62,500 privileged pods give a million findings, written as SARIF
// to a file and as stylish to a pipe-less stdout (a file descriptor), without an internal error.
describe('a million findings through the CLI', () => {
  const PODS = 62_500;
  const file = join(dir, 'pods.yaml');
  beforeAll(() => {
    const fd = openSync(file, 'w');
    for (let i = 0; i < PODS; i++)
      writeSync(
        fd,
        `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  hostNetwork: true\n  hostPID: true\n` +
          '  containers:\n    - name: a\n      image: nginx\n      securityContext:\n        privileged: true\n' +
          '    - name: b\n      image: busybox:latest\n      securityContext:\n        privileged: true\n',
      );
    closeSync(fd);
  });

  /** Run the CLI with stdout into a file; what it printed to stderr and its peak RSS. */
  function run(args: string[], stdoutFile: string) {
    const out = openSync(stdoutFile, 'w');
    const r = spawnSync(process.execPath, ['bench/rss-launcher.mjs', 'bin/shipshape.js', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', out, 'pipe'],
      maxBuffer: 1 << 24,
    });
    closeSync(out);
    const rss = Number(/@@maxrss (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
    return { status: r.status, stderr: r.stderr.replace(/@@maxrss \d+\n/, ''), rss };
  }

  /** The first and last bytes of a file. */
  function edges(path: string): { size: number; head: string; tail: string } {
    const size = statSync(path).size;
    const fd = openSync(path, 'r');
    const head = Buffer.alloc(Math.min(size, 4096));
    const tail = Buffer.alloc(Math.min(size, 4096));
    readSync(fd, head, 0, head.length, 0);
    readSync(fd, tail, 0, tail.length, size - tail.length);
    closeSync(fd);
    return { size, head: head.toString('utf8'), tail: tail.toString('utf8') };
  }

  it('writes a million-result SARIF log to --output-file', () => {
    const report = join(dir, 'pods.sarif');
    const r = run(['lint', file, '--no-config', '-f', 'sarif', '-o', report], join(dir, 'sarif.stdout'));
    console.log(`SARIF of ${PODS} pods: exit ${r.status}, peak RSS ${r.rss.toFixed(0)} MiB`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const { size, head, tail } = edges(report);
    expect(size).toBeGreaterThan(512 * MB);
    expect(head).toMatch(/^\{\n {2}"\$schema": /);
    expect(tail).toMatch(/"name": "p62499"[\s\S]*\n {6}\]\n {4}\}\n {2}\]\n\}\n$/);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(r.rss).toBeLessThan(3072);
  });

  it('prints a million-line stylish report', () => {
    const printed = join(dir, 'pods.txt');
    const r = run(['lint', file, '--no-config'], printed);
    console.log(`stylish of ${PODS} pods: exit ${r.status}, peak RSS ${r.rss.toFixed(0)} MiB`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const { tail } = edges(printed);
    expect(tail).toMatch(
      new RegExp(`\n\n\u2716 \\d+ problems \\(\\d+ errors, .*\\) in ${PODS} resources in 1 file\n$`),
    );
    const problems = Number(/\u2716 (\d+) problems/.exec(tail)![1]);
    expect(problems).toBeGreaterThanOrEqual(1_000_000);
    expect(r.rss).toBeLessThan(3072);
  });
});
