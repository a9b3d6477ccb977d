/**
 * The editor's `files` globs: documents they match are linted whatever they hold. Which other
 * documents are manifests is decided once for every front end, in src/linter/manifest-files.ts.
 */
import { relative } from 'node:path';
import { globsMatcher } from '../engine/glob.js';

/** A matcher for the user's `files` globs, relative to a root folder (`*.yaml`-style globs match base names). */
export function globMatcher(globs: readonly string[]): (file: string, root: string | undefined) => boolean {
  if (globs.length === 0) return () => false;
  const pathGlobs = globs.filter((g) => g.includes('/'));
  const nameGlobs = globs.filter((g) => !g.includes('/'));
  const byPath = globsMatcher(pathGlobs);
  const byName = globsMatcher(nameGlobs);
  return (file, root) => {
    const posix = file.split('\\').join('/');
    const rel = root ? relative(root, file).split('\\').join('/') : posix;
    return byName(posix.slice(posix.lastIndexOf('/') + 1)) || byPath(rel) || byPath(posix);
  };
}
