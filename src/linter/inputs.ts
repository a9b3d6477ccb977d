/**
 * Input discovery for every front end: CLI path arguments (files, directories, globs, `-`) into the
 * list of inputs to read, and the one definition of which file names are manifests and which are ignored.
 */
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { globSync } from 'tinyglobby';
import { ConfigError } from '../config/config.js';

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
  const isIgnored = picomatch([...ignore], { dot: true });
  return (abs) => {
    const rel = relative(baseDir, abs);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && isIgnored(rel.split(sep).join('/'));
  };
}

const GLOB_CHARS = /[*?[\]{}]/;

export interface Inputs {
  /** Files to read, in a stable order, as given or relative to cwd. */
  files: string[];
  /** True when `-` asked for standard input. */
  stdin: boolean;
}

/**
 * Expand arguments. Files named explicitly are always read; directories are walked for
 * .yaml/.yml/.json; `ignore` globs (relative to `baseDir`) apply to walked and globbed files.
 */
export function collectInputs(
  args: readonly string[],
  cwd: string,
  ignore: readonly string[],
  baseDir: string,
): Inputs {
  const ignoredFromBase = ignoreMatcher(ignore, baseDir);
  const seen = new Set<string>();
  const files: string[] = [];
  let stdin = false;
  const add = (f: string) => {
    const abs = resolve(cwd, f);
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push(f);
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
      st = undefined;
    }
    if (st?.isFile()) {
      add(arg);
    } else if (st?.isDirectory()) {
      const found = globSync(MANIFEST_GLOB, { cwd: resolve(cwd, arg), ignore: DEFAULT_IGNORES, dot: false });
      for (const f of found.sort()) {
        const abs = resolve(cwd, arg, f);
        if (!ignoredFromBase(abs)) add(relative(cwd, abs) || f);
      }
    } else if (GLOB_CHARS.test(arg)) {
      const found = globSync(arg, { cwd, ignore: DEFAULT_IGNORES.slice(0, 2), dot: false, onlyFiles: true });
      if (found.length === 0) throw new ConfigError(`no files match the pattern "${arg}"`);
      for (const f of found.sort()) if (!ignoredFromBase(resolve(cwd, f))) add(f);
    } else {
      throw new ConfigError(`no such file or directory: ${arg}`);
    }
  }
  return { files, stdin };
}
