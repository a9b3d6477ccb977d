// Writing reports: batches with backpressure to a stream, and --output-file written whole.
import { spawn, spawnSync } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BATCH_SIZE, OutputError, writeChunks, writeFileAtomic } from '../../src/cli/output.js';
import { runCli } from '../helpers/cli.js';

const FIX = fileURLToPath(new URL('../fixtures/cli', import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'shipshape-output-'));

/** A stream whose buffer is always "full": write returns false until someone emits `drain`. */
class SlowStream extends EventEmitter {
  writes: string[] = [];
  write(s: string): boolean {
    this.writes.push(s);
    return false;
  }
}

function* pieces(n: number, piece: string): Generator<string> {
  for (let i = 0; i < n; i++) yield piece;
}

describe('writing a report to a stream', () => {
  it('joins small chunks into batches and waits for drain before each next write', async () => {
    const out = new SlowStream();
    const piece = 'x'.repeat(1000);
    const done = writeChunks(out, pieces(200, piece));
    let finished = false;
    void done.then(() => (finished = true));

    // 200,000 characters: three full batches of 66 pieces (66,000 ≥ 64 KiB) and one of 2.
    const perBatch = Math.ceil(BATCH_SIZE / piece.length);
    await new Promise((r) => setImmediate(r));
    expect(out.writes).toHaveLength(1);
    for (let n = 2; n <= 4; n++) {
      out.emit('drain');
      await new Promise((r) => setImmediate(r));
      expect(out.writes).toHaveLength(n);
    }
    out.emit('drain');
    await done;
    expect(finished).toBe(true);
    expect(out.writes.map((w) => w.length)).toEqual(
      [perBatch, perBatch, perBatch, 200 - 3 * perBatch].map((k) => k * 1000),
    );
    expect(out.writes.join('')).toBe(piece.repeat(200));
    expect(out.listenerCount('drain') + out.listenerCount('error') + out.listenerCount('close')).toBe(0);
  });

  it('stops at a stream error instead of waiting forever, with one line naming the reason', async () => {
    const out = new SlowStream();
    const done = writeChunks(out, pieces(200, 'y'.repeat(1000)));
    await new Promise((r) => setImmediate(r));
    out.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO', syscall: 'write' }));
    await expect(done).rejects.toThrow(new OutputError('cannot write the report to standard output: eio'));
    await expect(done).rejects.toBeInstanceOf(OutputError);
    expect(out.writes).toHaveLength(1);
    expect(out.listenerCount('error')).toBe(0);
  });

  it('stops quietly when the reader has gone (EPIPE), as `shipshape lint | head` needs', async () => {
    const out = new SlowStream();
    const done = writeChunks(out, pieces(200, 'y'.repeat(1000)));
    await new Promise((r) => setImmediate(r));
    out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' }));
    await expect(done).resolves.toBeUndefined();
    expect(out.writes).toHaveLength(1);
  });
});

// The built binary with a real standard output (run `npm run build` first).
describe('shipshape lint to a standard output that fails', () => {
  const BIN = fileURLToPath(new URL('../../bin/shipshape.js', import.meta.url));
  /** 500 privileged pods: about half a megabyte of stylish output, more than a pipe buffers. */
  function manyFindings(): string {
    const dir = tmp();
    const pod = (i: number) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  hostNetwork: true\n  containers:\n` +
      '    - name: a\n      image: nginx\n      securityContext:\n        privileged: true\n';
    writeFileSync(join(dir, 'pods.yaml'), Array.from({ length: 500 }, (_, i) => pod(i)).join('---\n'));
    return dir;
  }

  it('a reader that goes away early ends the report quietly, with the lint exit code', async () => {
    const cwd = manyFindings();
    const child = spawn(process.execPath, [BIN, 'lint', 'pods.yaml', '--no-config'], { cwd });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const [code] = (await once(child, 'close')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(1);
  });

  it('a full device is one line and exit 2', () => {
    const cwd = manyFindings();
    const full = openSync('/dev/full', 'w');
    const r = spawnSync(process.execPath, [BIN, 'lint', 'pods.yaml', '--no-config'], {
      cwd,
      stdio: ['ignore', full, 'pipe'],
      encoding: 'utf8',
    });
    closeSync(full);
    expect(r.stderr).toBe(
      'shipshape: cannot write the report to standard output: no space left on the device\n',
    );
    expect(r.status).toBe(2);
  });
});

describe('shipshape lint --output-file', () => {
  it.each(['stylish', 'json', 'sarif', 'junit', 'github', 'gitlab'])(
    '%s: the file holds exactly what stdout would, and nothing else is left in the folder',
    async (format) => {
      const dir = tmp();
      writeFileSync(join(dir, 'bad.yaml'), readFileSync(join(FIX, 'bad.yaml')));
      const args = ['lint', 'bad.yaml', '-f', format, '--no-config', '--preset', 'schema'];
      const printed = await runCli(args, { cwd: dir });
      const written = await runCli([...args, '-o', 'report.out'], { cwd: dir });
      expect(written).toEqual({ code: printed.code, stdout: '', stderr: '' });
      expect(readFileSync(join(dir, 'report.out'), 'utf8')).toBe(printed.stdout);
      expect(readdirSync(dir).sort()).toEqual(['bad.yaml', 'report.out']);
    },
  );
});

describe('shipshape lint --output-file that cannot be written', () => {
  /** A folder with bad.yaml, a sub-folder `reports` and a plain file `notes.txt`. */
  function workspace(): string {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.yaml'), readFileSync(join(FIX, 'bad.yaml')));
    mkdirSync(join(dir, 'reports'));
    writeFileSync(join(dir, 'notes.txt'), 'keep me\n');
    return dir;
  }

  /** Every file under `dir`, as relative paths. */
  const files = (dir: string): string[] => (readdirSync(dir, { recursive: true }) as string[]).sort();

  // Cases that fail for root too (these tests run as root, which ignores permission bits).
  it.each([
    ['an existing directory', 'reports', 'cannot write reports: it is a directory'],
    [
      'a file in a folder that does not exist',
      'missing/report.json',
      'cannot write missing/report.json: its folder does not exist',
    ],
    [
      'a file under a plain file',
      'notes.txt/report.json',
      'cannot write notes.txt/report.json: a part of its path is not a folder',
    ],
  ])('-o %s: one line naming the file and why, exit 2, nothing left behind', async (_, target, message) => {
    const dir = workspace();
    const before = files(dir);
    const r = await runCli(
      ['lint', 'bad.yaml', '-f', 'sarif', '--no-config', '--preset', 'schema', '-o', target],
      {
        cwd: dir,
      },
    );
    expect(r).toEqual({ code: 2, stdout: '', stderr: `shipshape: ${message}\n` });
    expect(files(dir)).toEqual(before);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep me\n');
  });

  it('a failure in the middle of the report removes the temporary file and keeps the old report', () => {
    const dir = tmp();
    const target = join(dir, 'report.json');
    writeFileSync(target, 'the previous report\n');
    function* failing(): Generator<string> {
      // More than one batch is written before the failure.
      for (let i = 0; i < 3 * BATCH_SIZE; i += 1000) yield 'z'.repeat(1000);
      throw new Error('formatter failed half-way');
    }
    expect(() => writeFileAtomic(target, failing(), 'report.json')).toThrow('formatter failed half-way');
    expect(readdirSync(dir)).toEqual(['report.json']);
    expect(readFileSync(target, 'utf8')).toBe('the previous report\n');
  });

  it('a rename that fails after the whole report was written removes the temporary file', () => {
    const dir = tmp();
    // A directory appears at the target after the check: the rename is what fails.
    const target = join(dir, 'late');
    function* lateDirectory(): Generator<string> {
      yield 'x'.repeat(2 * BATCH_SIZE);
      mkdirSync(target);
      writeFileSync(join(target, 'inside'), '');
      yield 'y';
    }
    expect(() => writeFileAtomic(target, lateDirectory(), 'late')).toThrow(/^cannot write late: /);
    expect(files(dir)).toEqual(['late', join('late', 'inside')]);
    expect(existsSync(`${target}.${process.pid}.tmp`)).toBe(false);
  });
});
