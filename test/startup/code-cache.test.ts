// The CLI starts from V8's code cache in the user cache folder (src/program/start.ts): written by a
// run without one, used by the next, and anything wrong with it (corrupt, stale, unwritable folder,
// concurrent writers) means compiling from source with the same output. Runs the built CLI
// (bin/shipshape.js, so dist/ must be built: test/helpers/fresh-dist.ts) in child processes.
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, startupWork } from './helpers.js';

const { work, file } = startupWork('shipshape-code-cache-');
const LINT = ['lint', '--no-config', file];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** What start-up said (SHIPSHAPE_DEBUG_STARTUP=1), one line each. */
  startup: string[];
}

function parse(status: number | null, stdout: string, stderr: string): Run {
  const startup: string[] = [];
  const rest: string[] = [];
  for (const line of stderr.split('\n'))
    if (line.startsWith('shipshape: startup: ')) startup.push(line.slice('shipshape: startup: '.length));
    else if (line !== '') rest.push(line);
  return { status, stdout, stderr: rest.join('\n'), startup };
}

let n = 0;
/** A fresh, empty XDG_CACHE_HOME. */
const freshCache = () => join(work, `cache-${n++}`);
const cacheDir = (xdg: string) => join(xdg, 'shipshape', 'code-cache');
const cacheFiles = (xdg: string) =>
  existsSync(cacheDir(xdg)) ? readdirSync(cacheDir(xdg)).sort() : ([] as string[]);

function env(xdg: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, XDG_CACHE_HOME: xdg, SHIPSHAPE_DEBUG_STARTUP: '1', ...extra };
}

function run(xdg: string, args = LINT, extra: Record<string, string> = {}, bin = BIN): Run {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: env(xdg, extra) });
  return parse(r.status, r.stdout, r.stderr);
}

function runAsync(xdg: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...LINT], { env: env(xdg) });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('error', reject);
    child.on('close', (code) => resolve(parse(code, out, err)));
  });
}

/** The lint without any code cache: what every other run must print. */
const reference = run(freshCache(), LINT, { SHIPSHAPE_CODE_CACHE: '0' });
const referenceAll = run(freshCache(), ['lint', '--no-config', '--preset', 'all', file], {
  SHIPSHAPE_CODE_CACHE: '0',
});

/** The one cache file of `xdg` after a writing run. */
function onlyCacheFile(xdg: string): string {
  const files = cacheFiles(xdg);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^v\d+\.\d+\.\d+-[a-z0-9]+-[0-9a-f]+-\d+\.bin$/);
  return join(cacheDir(xdg), files[0]!);
}

/** A cache folder holding a valid cache written by one run. */
function primed(): { xdg: string; cache: string } {
  const xdg = freshCache();
  const first = run(xdg);
  expect(first.startup).toContain('code cache absent');
  const cache = onlyCacheFile(xdg);
  expect(first.startup).toContain(`code cache written ${cache}`);
  return { xdg, cache };
}

/** The run used a valid cache, printed what the uncached run printed, and rewrote nothing. */
function expectHit(xdg: string, cache: string): void {
  const r = run(xdg);
  expect(r.startup).toEqual([`code cache hit ${cache}`]);
  expect(r.stdout).toBe(reference.stdout);
  expect(r.status).toBe(reference.status);
}

describe('code cache: written, then used', () => {
  it('the reference run lints and has findings (so the comparisons below compare something)', () => {
    expect(reference.status).toBe(0);
    expect(reference.stdout).toMatch(/deployment\.yaml:\d+:\d+ +warning/);
    expect(reference.startup).toEqual(['code cache off']);
  });

  it('the first run writes a cache; the second uses it and prints byte-identical output', () => {
    const xdg = freshCache();
    const first = run(xdg);
    const cache = onlyCacheFile(xdg);
    expect(first.startup).toEqual(['code cache absent', `code cache written ${cache}`]);
    expect(first.stdout).toBe(reference.stdout);
    expect(first.status).toBe(reference.status);
    const bytes = readFileSync(cache);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('SSVMCC01');
    expect(bytes.readUInt32LE(8)).toBe(crc32(bytes.subarray(12)));
    expectHit(xdg, cache);
    // The hit did not rewrite the file.
    expect(readFileSync(cache).equals(bytes)).toBe(true);
  });

  it('without the debug variable start-up prints nothing, cached or not', () => {
    const xdg = freshCache();
    for (let i = 0; i < 2; i++) {
      const r = spawnSync(process.execPath, [BIN, ...LINT], {
        encoding: 'utf8',
        env: { ...process.env, XDG_CACHE_HOME: xdg, SHIPSHAPE_DEBUG_STARTUP: '' },
      });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(reference.stdout);
    }
    expect(cacheFiles(xdg)).toHaveLength(1);
  });

  it('SHIPSHAPE_CODE_CACHE=0 neither reads nor writes a cache', () => {
    const { xdg, cache } = primed();
    const before = readFileSync(cache);
    const r = run(xdg, LINT, { SHIPSHAPE_CODE_CACHE: '0' });
    expect(r.startup).toEqual(['code cache off']);
    expect(r.stdout).toBe(reference.stdout);
    expect(readFileSync(cache).equals(before)).toBe(true);
    const empty = freshCache();
    run(empty, LINT, { SHIPSHAPE_CODE_CACHE: '0' });
    expect(existsSync(empty)).toBe(false);
  });

  it('--preset all (Rego policies through WebAssembly) works through the cached path', () => {
    expect(referenceAll.status).toBe(1);
    expect(referenceAll.stdout).not.toBe(reference.stdout);
    const xdg = freshCache();
    const args = ['lint', '--no-config', '--preset', 'all', file];
    const first = run(xdg, args);
    const cache = onlyCacheFile(xdg);
    expect(first.startup).toEqual(['code cache absent', `code cache written ${cache}`]);
    const second = run(xdg, args);
    expect(second.startup).toEqual([`code cache hit ${cache}`]);
    for (const r of [first, second]) {
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(referenceAll.stdout);
      expect(r.status).toBe(referenceAll.status);
    }
  });
});

describe('code cache: a bad cache is ignored and rewritten, never a crash', () => {
  const corruptions: [string, (b: Buffer) => Buffer][] = [
    ['truncated', (b) => b.subarray(0, Math.floor(b.length / 2))],
    ['truncated to part of the header', (b) => b.subarray(0, 10)],
    ['empty', () => Buffer.alloc(0)],
    [
      'flipped bytes in the payload',
      (b) => {
        const c = Buffer.from(b);
        for (const at of [12, 100, Math.floor(c.length / 2), c.length - 1]) c[at] = c[at]! ^ 0xff;
        return c;
      },
    ],
    [
      'a wrong CRC in the header',
      (b) => {
        const c = Buffer.from(b);
        c.writeUInt32LE((c.readUInt32LE(8) + 1) >>> 0, 8);
        return c;
      },
    ],
    ['another magic', (b) => Buffer.concat([Buffer.from('SSVMCC99', 'latin1'), b.subarray(8)])],
  ];
  for (const [what, corrupt] of corruptions)
    it(`${what}: compiled from source, same output, a valid cache written in its place`, () => {
      const { xdg, cache } = primed();
      writeFileSync(cache, corrupt(readFileSync(cache)));
      const r = run(xdg);
      expect(r.startup).toEqual([`code cache corrupt ${cache}`, `code cache written ${cache}`]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(reference.stdout);
      expect(r.status).toBe(reference.status);
      expectHit(xdg, cache);
    });

  it("V8 data of another script under this script's name (checksum valid): rejected and rewritten", () => {
    const { xdg, cache } = primed();
    const other = new vm.Script('(function () { return 42; })').createCachedData();
    const header = Buffer.alloc(12);
    header.write('SSVMCC01', 'latin1');
    header.writeUInt32LE(crc32(other), 8);
    writeFileSync(cache, Buffer.concat([header, other]));
    const r = run(xdg);
    expect(r.startup).toEqual([`code cache rejected ${cache}`, `code cache written ${cache}`]);
    expect(r.stdout).toBe(reference.stdout);
    expectHit(xdg, cache);
  });
});

describe('code cache: the cache belongs to one build of the script', () => {
  /** A package root in `work` like the installed one, with its own copy of bin/ and dist/bundle/*.cjs. */
  function packageCopy(): { bin: string; script: string } {
    const pkg = mkdtempSync(join(work, 'pkg-'));
    for (const name of ['schemas', 'rules', 'policies', 'docs', 'node_modules', 'package.json'])
      symlinkSync(join(ROOT, name), join(pkg, name));
    mkdirSync(join(pkg, 'bin'));
    mkdirSync(join(pkg, 'dist/bundle'), { recursive: true });
    for (const f of [
      'bin/shipshape.js',
      'bin/package.json',
      'dist/bundle/start.cjs',
      'dist/bundle/shipshape.cjs',
    ])
      copyFileSync(join(ROOT, f), join(pkg, f));
    symlinkSync(join(ROOT, 'dist/bundle/shipshape.mjs'), join(pkg, 'dist/bundle/shipshape.mjs'));
    return { bin: join(pkg, 'bin/shipshape.js'), script: join(pkg, 'dist/bundle/shipshape.cjs') };
  }

  it('a changed script (other content, same mtime or not) gets its own cache; the old one is not used', () => {
    const { bin, script } = packageCopy();
    const xdg = freshCache();
    const first = run(xdg, LINT, {}, bin);
    expect(first.stdout).toBe(reference.stdout);
    const [old] = cacheFiles(xdg);
    expect(old).toBeDefined();
    // A rebuild: other bytes.
    appendFileSync(script, '\n// rebuilt\n');
    const second = run(xdg, LINT, {}, bin);
    const now = cacheFiles(xdg).filter((f) => f !== old);
    expect(now).toHaveLength(1);
    const cache = join(cacheDir(xdg), now[0]!);
    expect(second.startup).toEqual(['code cache absent', `code cache written ${cache}`]);
    expect(second.stdout).toBe(reference.stdout);
    expect(run(xdg, LINT, {}, bin).startup).toEqual([`code cache hit ${cache}`]);
    // The old script's data under the new script's name: V8 refuses it, the run recompiles.
    copyFileSync(join(cacheDir(xdg), old!), cache);
    const third = run(xdg, LINT, {}, bin);
    expect(third.startup).toEqual([`code cache rejected ${cache}`, `code cache written ${cache}`]);
    expect(third.stdout).toBe(reference.stdout);
    expect(run(xdg, LINT, {}, bin).startup).toEqual([`code cache hit ${cache}`]);
  });

  it('keeps the four newest caches and removes temporary files of writers that died', () => {
    const xdg = freshCache();
    const dir = cacheDir(xdg);
    mkdirSync(dir, { recursive: true });
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    for (let i = 1; i <= 6; i++) {
      const f = join(dir, `v0.0.${i}-x64-0-0.bin`);
      writeFileSync(f, 'old');
      utimesSync(f, hoursAgo(i), hoursAgo(i));
    }
    const deadTmp = join(dir, 'x.bin.1.abc.tmp');
    const liveTmp = join(dir, 'y.bin.2.def.tmp');
    writeFileSync(deadTmp, '');
    utimesSync(deadTmp, hoursAgo(2), hoursAgo(2));
    writeFileSync(liveTmp, '');
    const r = run(xdg);
    expect(r.stdout).toBe(reference.stdout);
    const written = r.startup
      .find((s) => s.startsWith('code cache written '))!
      .slice('code cache written '.length);
    expect(cacheFiles(xdg)).toEqual(
      [
        written.slice(dir.length + 1),
        'v0.0.1-x64-0-0.bin',
        'v0.0.2-x64-0-0.bin',
        'v0.0.3-x64-0-0.bin',
        'y.bin.2.def.tmp',
      ].sort(),
    );
  });
});

describe('code cache: an unusable cache folder does not change the run', () => {
  it('a cache folder that cannot be created (XDG_CACHE_HOME is a file): lints, exit code as usual', () => {
    const xdg = join(work, 'a-file');
    writeFileSync(xdg, 'not a folder');
    const r = run(xdg);
    expect(r.startup[0]).toBe('code cache absent');
    expect(r.startup[1]).toMatch(/^code cache not written \(.*ENOTDIR/);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(reference.stdout);
    expect(r.status).toBe(reference.status);
    // A clean file lints with exit 0 there too.
    const clean = join(work, 'clean.yaml');
    writeFileSync(clean, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: v\n');
    const ok = run(xdg, ['lint', '--no-config', clean]);
    expect(ok.status).toBe(0);
    expect(ok.stderr).toBe('');
  });

  it('a folder where the cache file should be: read and write fail, the run does not', () => {
    const { xdg, cache } = primed();
    rmSync(cache);
    mkdirSync(cache);
    const r = run(xdg);
    expect(r.startup[0]).toBe('code cache absent');
    expect(r.startup[1]).toMatch(/^code cache not written \(/);
    expect(r.stdout).toBe(reference.stdout);
    expect(r.status).toBe(reference.status);
    // No temporary file left behind.
    expect(cacheFiles(xdg)).toEqual([cache.slice(cacheDir(xdg).length + 1)]);
  });
});

describe('code cache: concurrent runs', () => {
  it('two runs started together on an empty cache both succeed and leave one valid cache', async () => {
    const xdg = freshCache();
    const [a, b] = await Promise.all([runAsync(xdg), runAsync(xdg)]);
    for (const r of [a, b]) {
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(reference.stdout);
      expect(r.status).toBe(reference.status);
    }
    const cache = onlyCacheFile(xdg);
    const bytes = readFileSync(cache);
    expect(bytes.readUInt32LE(8)).toBe(crc32(bytes.subarray(12)));
    expectHit(xdg, cache);
  });
});
