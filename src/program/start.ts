/**
 * Start-up of the installed CLI (bin/shipshape.js → dist/bundle/start.cjs, built from ./boot.ts): run the CLI script
 * (dist/bundle/shipshape.cjs) compiled with V8's code cache when a valid one is in the user cache
 * folder, and write one at exit after a run that had none, so the next start skips most of the
 * compile. Anything wrong with the cache (absent, stale, corrupt, rejected by V8, unwritable
 * folder) means compiling from source, silently; a missing script means the ESM bundle.
 *
 * The cache file is `<cache>/shipshape/code-cache/<node version>-<arch>-<crc32 and length of the
 * script>.bin`: an 8-byte magic, the CRC-32 of the payload (V8 does not check its own payload in
 * release builds, and a corrupt one aborts the process), then V8's cached data. It is written to a
 * temporary file and renamed, so concurrent runs each see a whole file or none.
 * SHIPSHAPE_CODE_CACHE=0 turns the cache off; SHIPSHAPE_DEBUG_STARTUP=1 says on stderr what
 * start-up did (for tests and benchmarks).
 */
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const MAGIC = Buffer.from('SSVMCC01', 'latin1');
const HEADER = MAGIC.length + 4;
/** Cache files of other versions of the script kept beside the current one (other installs). */
const KEEP = 4;

type Outcome = 'hit' | 'absent' | 'corrupt' | 'rejected' | 'off';

/** The user cache folder shipshape uses (as userCacheDir in src/linter/linter.ts). */
export function codeCacheDir(env: Record<string, string | undefined>): string | undefined {
  const home = env.HOME || env.USERPROFILE;
  const base = env.XDG_CACHE_HOME || (home ? join(home, '.cache') : undefined);
  return base === undefined ? undefined : join(base, 'shipshape', 'code-cache');
}

/** The payload of a cache file, or undefined when it is not one or its checksum does not match. */
export function readCacheFile(bytes: Buffer, crc32: (b: Uint8Array) => number): Buffer | undefined {
  if (bytes.length <= HEADER || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const payload = bytes.subarray(HEADER);
  return bytes.readUInt32LE(MAGIC.length) === crc32(payload) ? payload : undefined;
}

/** A cache file's bytes for V8's cached data. */
export function cacheFileBytes(data: Buffer, crc32: (b: Uint8Array) => number): Buffer {
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header);
  header.writeUInt32LE(crc32(data), MAGIC.length);
  return Buffer.concat([header, data]);
}

/** Write `bytes` to `file` atomically (temporary file in the same folder, then rename). */
function writeAtomically(file: string, bytes: Buffer): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(tmp, bytes, { mode: 0o644 });
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // never written
    }
    throw err;
  }
}

/** Remove all but the newest KEEP cache files, and temporary files of writers that died (> 1 h). */
function prune(dir: string, current: string): void {
  const now = Date.now();
  const files = readdirSync(dir).map((name) => {
    const p = join(dir, name);
    return { name, p, mtime: statSync(p).mtimeMs };
  });
  for (const f of files) if (f.name.endsWith('.tmp') && now - f.mtime > 3_600_000) unlinkSync(f.p);
  const caches = files.filter((f) => f.name.endsWith('.bin') && f.p !== current);
  caches.sort((a, b) => b.mtime - a.mtime);
  for (const f of caches.slice(KEEP - 1)) unlinkSync(f.p);
}

/** Start the CLI. `here` is dist/bundle/. */
export function start(here: string, env: Record<string, string | undefined> = process.env): void {
  const debug = env.SHIPSHAPE_DEBUG_STARTUP === '1';
  const note = (s: string) => {
    if (debug) process.stderr.write(`shipshape: startup: ${s}\n`);
  };
  const scriptFile = join(here, 'shipshape.cjs');
  let source: Buffer;
  try {
    // The script's import() calls are require() calls (Node's vm gives a cached script no import()
    // without experimental flags): ESM-only packages and the webhook bundle need require(esm).
    if (process.features.require_module !== true) throw new Error('no require(esm)');
    source = readFileSync(scriptFile);
  } catch {
    note('no CommonJS script or no require(esm); the ESM bundle');
    void import(pathToFileURL(join(here, 'shipshape.mjs')).href);
    return;
  }
  // zlib.crc32 is Node ≥ 20.15; without it, no cache.
  const crc32 = (process.getBuiltinModule('node:zlib') as { crc32?: (b: Uint8Array) => number }).crc32;
  const dir = env.SHIPSHAPE_CODE_CACHE === '0' || !crc32 ? undefined : codeCacheDir(env);
  const key = `${process.version}-${process.arch}-${crc32 ? crc32(source).toString(16) : ''}-${source.length}`;
  const cacheFile = dir === undefined ? undefined : join(dir, `${key}.bin`);
  let cached: Buffer | undefined;
  let outcome: Outcome = cacheFile === undefined ? 'off' : 'absent';
  if (cacheFile !== undefined && crc32) {
    try {
      cached = readCacheFile(readFileSync(cacheFile), crc32);
      if (!cached) outcome = 'corrupt';
    } catch {
      // absent or unreadable
    }
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source.toString('utf8')}\n})`;
  const script = new vm.Script(wrapper, {
    filename: scriptFile,
    cachedData: cached,
  });
  if (cached) outcome = script.cachedDataRejected === true ? 'rejected' : 'hit';
  note(`code cache ${outcome}${cacheFile && outcome !== 'absent' ? ` ${cacheFile}` : ''}`);
  if (cacheFile !== undefined && outcome !== 'hit' && crc32) {
    // At exit the run's functions are compiled, so the cache holds them too.
    process.once('exit', () => {
      try {
        mkdirSync(dir!, { recursive: true });
        writeAtomically(cacheFile, cacheFileBytes(script.createCachedData(), crc32));
        note(`code cache written ${cacheFile}`);
        prune(dir!, cacheFile);
      } catch (err) {
        note(`code cache not written (${(err as Error).message})`);
      }
    });
  }
  const run = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: { exports: object },
    filename: string,
    dirname: string,
  ) => void;
  const module = { exports: {} };
  // import(new URL(…).href) in the sources became require(href): give require file: URLs as paths.
  const base = createRequire(scriptFile);
  const require = Object.assign(
    (id: string): unknown => base(id.startsWith('file:') ? fileURLToPath(id) : id),
    base,
  ) as NodeJS.Require;
  run(module.exports, require, module, scriptFile, here);
}
