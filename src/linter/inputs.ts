/**
 * Input discovery for every front end: CLI path arguments (files, directories, globs, `-`) into the
 * list of inputs to read, and the one definition of which file names are manifests and which are ignored.
 */
import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
  type Dirent,
  type Stats,
} from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { globsMatcher } from '../engine/glob.js';
import { globSync } from 'tinyglobby';
import { ConfigError } from '../config/config.js';
import { nonManifestFilter } from './manifest-files.js';

export const MANIFEST_GLOB = '**/*.{yaml,yml,json}';
/** A file name a directory walk reads (the extensions of MANIFEST_GLOB). */
export const MANIFEST_NAME = /\.(?:ya?ml|json)$/i;
/** Folders never descended into. */
const NEVER_WALKED = ['node_modules', '.git'];
/** JSON/YAML files that are never Kubernetes manifests (`*` as in a glob). */
const NEVER_MANIFESTS = [
  'package.json',
  'package-lock.json',
  'tsconfig*.json',
  '.shipshape.yaml',
  '.shipshape.yml',
];
/** Never descended into, and files that are JSON/YAML but never Kubernetes manifests. */
export const DEFAULT_IGNORES = [
  ...NEVER_WALKED.map((d) => `**/${d}/**`),
  ...NEVER_MANIFESTS.map((f) => `**/${f}`),
];
const neverManifest = picomatch(NEVER_MANIFESTS);

/** Whether a directory walk skips a folder of this name. */
export const isWalkedDir = (name: string): boolean => !NEVER_WALKED.includes(name);

/** Whether a directory walk reads a file of this (base) name as a manifest. */
export const isManifestName = (name: string): boolean => MANIFEST_NAME.test(name) && !neverManifest(name);

/**
 * The config's `ignorePaths` as a predicate over absolute paths: globs relative to `baseDir`; a
 * path outside `baseDir` is never ignored.
 */
export function ignoreMatcher(ignore: readonly string[], baseDir: string): (abs: string) => boolean {
  if (ignore.length === 0) return () => false;
  const isIgnored = globsMatcher(ignore);
  return (abs) => {
    const rel = relative(baseDir, abs);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && isIgnored(rel.split(sep).join('/'));
  };
}

const GLOB_CHARS = /[*?[\]{}]/;

/** An input that could not be walked or read: a finding of `unreadable-file`, and the run goes on. */
export interface InputProblem {
  /** The path as given or relative to cwd. */
  path: string;
  reason: string;
}

export interface Inputs {
  /** Files to read, in a stable order, as given or relative to cwd. */
  files: string[];
  /** True when `-` asked for standard input. */
  stdin: boolean;
  /** Folders that could not be read during the walk (their manifests would pass unchecked). */
  problems: InputProblem[];
  /** Files left out as not manifests (chart templates, kustomization files, …), with the reason. */
  skipped: SkippedInput[];
  /**
   * Files found by walking or a glob (and, with `skipNonManifests`, named ones): the reader skips
   * those holding no Kubernetes object ({@link mayHoldObjects}) instead of reporting them.
   */
  filtered: Set<string>;
}

/** A file a walk left out, as given or relative to cwd, and why. */
export interface SkippedInput {
  path: string;
  reason: string;
}

/** How {@link collectInputs} treats files named explicitly. */
export interface CollectOptions {
  /**
   * Skip named files that are not manifests, as a walk does (the pre-commit hook, which names every
   * staged file). Default false: a file named explicitly is always linted.
   */
  skipNonManifests?: boolean;
}

/** The reason of a file-system error, without the stack: `permission denied`, `no such file or directory`. */
export function fsReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const m = typeof e?.message === 'string' ? /^[A-Z]+: ([^,]+)/.exec(e.message) : null;
  return m ? m[1]! : String(e?.message ?? err);
}

/**
 * Walk `root` for manifests: sorted relative paths (`/`-separated). Hidden entries, node_modules
 * and .git are skipped; symbolic links are followed, but never back into a folder being walked
 * (a link to a parent would walk it twice). A folder that cannot be read is a problem, not silence.
 */
function walk(root: string, label: string, problems: InputProblem[]): { rel: string; viaLink: boolean }[] {
  const out: { rel: string; viaLink: boolean }[] = [];
  const ancestors: string[] = [];
  const visit = (dir: string, rel: string, viaLink: boolean) => {
    let real: string;
    let items: Dirent[];
    try {
      real = realpathSync(dir);
      if (ancestors.includes(real)) return;
      items = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      problems.push({ path: rel === '' ? label : join(label, rel), reason: fsReason(err) });
      return;
    }
    ancestors.push(real);
    for (const it of items) {
      if (it.name.startsWith('.')) continue;
      const path = join(dir, it.name);
      const r = rel === '' ? it.name : `${rel}/${it.name}`;
      let isDir = it.isDirectory();
      const link = it.isSymbolicLink();
      if (link) {
        try {
          isDir = statSync(path).isDirectory();
        } catch {
          isDir = false; // a dangling link: read as a file, so that it is reported
        }
      }
      if (isDir) {
        if (isWalkedDir(it.name)) visit(path, r, viaLink || link);
      } else if (isManifestName(it.name)) out.push({ rel: r, viaLink: viaLink || link });
    }
    ancestors.pop();
  };
  visit(root, '', false);
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/**
 * Expand arguments. Files named explicitly are always read (whatever their kind: the reader reports
 * what is not a regular file) unless `skipNonManifests`; directories are walked for
 * .yaml/.yml/.json; `ignore` globs (relative to `baseDir`) apply to walked and globbed files, and
 * so does the skip list of files that are not manifests (src/linter/manifest-files.ts). A file
 * reached twice (through a symbolic link) is read once.
 */
export function collectInputs(
  args: readonly string[],
  cwd: string,
  ignore: readonly string[],
  baseDir: string,
  options: CollectOptions = {},
): Inputs {
  const ignoredFromBase = ignoreMatcher(ignore, baseDir);
  const notManifest = nonManifestFilter();
  const seen = new Set<string>();
  const files: string[] = [];
  const problems: InputProblem[] = [];
  const skipped: SkippedInput[] = [];
  const filtered = new Set<string>();
  const skippedKeys = new Set<string>();
  let stdin = false;
  /** Add a walked or globbed file (or a named one with skipNonManifests) unless it is not a manifest. */
  const addFiltered = (f: string, viaLink: boolean) => {
    const abs = resolve(cwd, f);
    const reason = notManifest(abs);
    if (reason !== undefined) {
      if (!skippedKeys.has(abs)) skipped.push({ path: f, reason });
      skippedKeys.add(abs);
      return;
    }
    if (add(f, viaLink)) filtered.add(f);
  };
  const add = (f: string, viaLink = false): boolean => {
    let key = resolve(cwd, f);
    if (viaLink)
      try {
        key = realpathSync(key);
      } catch {
        // dangling: keep the path itself
      }
    if (seen.has(key)) return false;
    seen.add(key);
    files.push(f);
    return true;
  };

  for (const arg of args.length > 0 ? args : ['.']) {
    if (arg === '-') {
      stdin = true;
      continue;
    }
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(resolve(cwd, arg));
    } catch {
      // A dangling link is an input that cannot be read (a finding), not a missing argument.
      st = lstatSync(resolve(cwd, arg), { throwIfNoEntry: false });
    }
    if (st?.isDirectory()) {
      for (const { rel, viaLink } of walk(resolve(cwd, arg), arg, problems)) {
        const abs = resolve(cwd, arg, rel);
        if (!ignoredFromBase(abs)) addFiltered(relative(cwd, abs) || rel, viaLink);
      }
    } else if (st) {
      if (options.skipNonManifests) addFiltered(arg, true);
      else add(arg, true);
    } else if (GLOB_CHARS.test(arg)) {
      const found = globSync(arg, { cwd, ignore: DEFAULT_IGNORES.slice(0, 2), dot: false, onlyFiles: true });
      if (found.length === 0) throw new ConfigError(`no files match the pattern "${arg}"`);
      for (const f of found.sort()) if (!ignoredFromBase(resolve(cwd, f))) addFiltered(f, true);
    } else {
      throw new ConfigError(`no such file or directory: ${arg}`);
    }
  }
  return { files, stdin, problems, skipped, filtered };
}

/** Inputs larger than this are not read (a finding says so): 256 MiB. */
export const MAX_INPUT_BYTES = 256 * 2 ** 20;

/** An input that is not a regular file, too large, or could not be read. */
export class InputError extends Error {}

const KIND_NAMES: [keyof Stats, string][] = [
  ['isDirectory', 'a directory'],
  ['isFIFO', 'a named pipe (FIFO)'],
  ['isSocket', 'a socket'],
  ['isCharacterDevice', 'a character device'],
  ['isBlockDevice', 'a block device'],
];

/**
 * Read a regular file of at most `maxBytes`. Opened without blocking and checked on the open
 * descriptor, so a FIFO (or a file swapped for one) never hangs the run and a device such as
 * /dev/zero is never read. Throws InputError with the reason.
 */
export function readInputFile(abs: string, maxBytes = MAX_INPUT_BYTES): Buffer {
  let fd: number;
  try {
    fd = openSync(abs, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (err) {
    throw new InputError(fsReason(err));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const kind = KIND_NAMES.find(([k]) => (st[k] as () => boolean).call(st))?.[1] ?? 'not a regular file';
      throw new InputError(`${kind}, not a regular file`);
    }
    if (st.size > maxBytes) throw new InputError(`${st.size} bytes, over the limit of ${maxBytes} bytes`);
    // Read to the end (the file may have grown since fstat), never past the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(st.size - total, 64 * 1024), maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new InputError(`over the limit of ${maxBytes} bytes`);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(fsReason(err));
  } finally {
    closeSync(fd);
  }
}
