/** Which editor documents the language server lints: Kubernetes manifests, and files matching configured globs. */
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { globsMatcher } from '../engine/glob.js';
import { isObj as isObject } from '../engine/k8s/object.js';

const TOP_API_VERSION = /^(?:"apiVersion"|'apiVersion'|apiVersion)[ \t]*:/;
const TOP_KIND = /^(?:"kind"|'kind'|kind)[ \t]*:/;
const DOC_MARKER = /^(?:---|\.\.\.)(?:[ \t]|$)/;

/** A JSON value that is a Kubernetes object, or a List / array holding one. */
function jsonLooksLikeManifest(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(jsonLooksLikeManifest);
  if (!isObject(value)) return false;
  if ('apiVersion' in value && 'kind' in value) return true;
  return Array.isArray(value.items) && value.items.some(jsonLooksLikeManifest);
}

/**
 * True when some document of the text has `apiVersion` and `kind` keys at its top level (block
 * YAML: both keys at column 0 between the same `---` markers), or when the text is JSON holding a
 * Kubernetes object. Cheap: a line scan, no YAML parse.
 */
export function looksLikeManifest(text: string): boolean {
  const first = /\S/.exec(text)?.[0];
  if (first === '{' || first === '[') {
    try {
      return jsonLooksLikeManifest(JSON.parse(text));
    } catch {
      // YAML flow style or broken JSON: fall through to the line scan
    }
  }
  let api = false;
  let kind = false;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    if (DOC_MARKER.test(line)) {
      api = false;
      kind = false;
    } else if (TOP_API_VERSION.test(line)) api = true;
    else if (TOP_KIND.test(line)) kind = true;
    if (api && kind) return true;
    start = end + 1;
  }
  return false;
}

/**
 * True for a file inside a Helm chart's `templates/` folder (a `Chart.yaml` beside that folder):
 * Go templates, not YAML, so the editor leaves them alone; lint the chart with `--helm` instead.
 */
export function isHelmTemplate(file: string): boolean {
  let dir = dirname(file);
  for (let depth = 0; depth < 8; depth++) {
    if (basename(dir) === 'templates' && existsSync(join(dirname(dir), 'Chart.yaml'))) return true;
    const up = dirname(dir);
    if (up === dir) return false;
    dir = up;
  }
  return false;
}

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
