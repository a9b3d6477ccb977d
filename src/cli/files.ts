/** Turn CLI path arguments (files, directories, globs, `-`) into the list of inputs to read. */
import { statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import { ConfigError } from '../config/config.js';
import { globsMatcher } from '../engine/glob.js';

export const MANIFEST_GLOB = '**/*.{yaml,yml,json}';
/** Never descended into, and files that are JSON/YAML but never Kubernetes manifests. */
export const DEFAULT_IGNORES = [
  '**/node_modules/**',
  '**/.git/**',
  '**/package.json',
  '**/package-lock.json',
  '**/tsconfig*.json',
  '**/.shipshape.yaml',
  '**/.shipshape.yml',
];

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
  const isIgnored = globsMatcher(ignore);
  const ignoredFromBase = (abs: string) => isIgnored(relative(baseDir, abs).split('\\').join('/'));
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
