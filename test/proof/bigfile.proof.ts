// 100 MB inputs through the real CLI: a file of ~120k manifests and a file that is one huge
// scalar. Neither crashes, both finish in bounded time, and peak memory stays bounded.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
