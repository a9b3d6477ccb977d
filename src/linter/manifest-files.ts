/**
 * Which YAML/JSON files are not Kubernetes manifests: one decision for the CLI's directory walk,
 * the pre-commit hook (`--skip-non-manifests`) and the language server. By place and name (Helm
 * chart templates and values, kustomization files, GitHub workflows, compose files) and by
 * content (no document with `apiVersion` / `kind` at its top level).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { isObj as isObject } from '../engine/k8s/object.js';

const TOP_API_VERSION = /^(?:"apiVersion"|'apiVersion'|apiVersion)[ \t]*:/;
const TOP_KIND = /^(?:"kind"|'kind'|kind)[ \t]*:/;
const DOC_MARKER = /^(?:---|\.\.\.)(?:[ \t]|$)/;

/** How much of a Kubernetes object a text shows: 2 = both keys in one document, 1 = one of them, 0 = neither. */
type Shape = 0 | 1 | 2;

/** The shape of a JSON value: a Kubernetes object, or a List / array holding one. */
function jsonShape(value: unknown): Shape {
  if (Array.isArray(value)) return value.reduce<Shape>((best, v) => Math.max(best, jsonShape(v)) as Shape, 0);
  if (!isObject(value)) return 0;
  const own = (('apiVersion' in value ? 1 : 0) + ('kind' in value ? 1 : 0)) as Shape;
  if (own === 2 || !Array.isArray(value.items)) return own;
  return Math.max(own, jsonShape(value.items)) as Shape;
}

/** Block YAML: a line scan for `apiVersion:` / `kind:` at column 0 between the same `---` markers. */
function textShape(text: string): Shape {
  const first = /\S/.exec(text)?.[0];
  if (first === '{' || first === '[') {
    try {
      return jsonShape(JSON.parse(text));
    } catch {
      // YAML flow style or broken JSON: fall through to the line scan
    }
  }
  let api = false;
  let kind = false;
  let seen: Shape = 0;
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
    if (api && kind) return 2;
    if (api || kind) seen = 1;
    start = end + 1;
  }
  return seen;
}

/**
 * True when some document of the text has `apiVersion` and `kind` keys at its top level (block
 * YAML: both keys at column 0 between the same `---` markers), or when the text is JSON holding a
 * Kubernetes object. Cheap: a line scan, no YAML parse. The editor lints only such texts.
 */
export const looksLikeManifest = (text: string): boolean => textShape(text) === 2;

/**
 * True when some document has `apiVersion` or `kind` at its top level. The CLI skips walked files
 * without either (a manifest with one key misspelt is still linted, and reported).
 */
export const mayHoldObjects = (text: string): boolean => textShape(text) > 0;

/** Kustomize's own file names (https://kubectl.docs.kubernetes.io/references/kustomize/glossary/#kustomization-root). */
const KUSTOMIZATION = /^(?:kustomization\.ya?ml|Kustomization)$/;
/** Compose files, as `docker compose` looks for them, and their override/variant files. */
const COMPOSE = /^(?:docker-)?compose(?:\.[^/]+)?\.ya?ml$/i;
/** A Helm values file beside Chart.yaml (values.yaml, values-prod.yaml, values.schema.json). */
const HELM_VALUES = /^values[^/]*\.(?:ya?ml|json)$/i;
/** chart-testing's values files (`ci/*-values.yaml` in a chart). */
const HELM_CI_VALUES = /^ci\/[^/]+\.ya?ml$/i;
/** How far up a file's folders a Chart.yaml is looked for. */
const MAX_CHART_DEPTH = 16;

/**
 * The reason a walk skips `abs` (an absolute path) as not a manifest, or undefined for a file it
 * reads. `hasChart` says whether a folder holds a Chart.yaml (pass a cached one when asking for
 * many files; see {@link nonManifestFilter}).
 */
export function nonManifestReason(
  abs: string,
  hasChart: (dir: string) => boolean = (dir) => existsSync(join(dir, 'Chart.yaml')),
): string | undefined {
  const name = basename(abs);
  if (KUSTOMIZATION.test(name)) return 'a kustomization file (lint the build with --kustomize)';
  if (COMPOSE.test(name)) return 'a compose file';
  const posix = abs.split(sep).join('/');
  if (posix.includes('/.github/workflows/')) return 'a GitHub Actions workflow';
  let dir = dirname(abs);
  for (let depth = 0; depth < MAX_CHART_DEPTH; depth++) {
    if (hasChart(dir)) {
      const rel = relative(dir, abs).split(sep).join('/');
      if (rel === 'Chart.yaml') return "a Helm chart's Chart.yaml";
      if (rel.startsWith('templates/')) return 'a Helm chart template (lint the chart with --helm)';
      if (HELM_VALUES.test(rel) || HELM_CI_VALUES.test(rel)) return 'a Helm values file';
      return undefined; // the nearest chart decides (its crds/ are manifests)
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

/** {@link nonManifestReason} with the Chart.yaml lookups cached, for one walk. */
export function nonManifestFilter(): (abs: string) => string | undefined {
  const charts = new Map<string, boolean>();
  const hasChart = (dir: string) => {
    let has = charts.get(dir);
    if (has === undefined) charts.set(dir, (has = existsSync(join(dir, 'Chart.yaml'))));
    return has;
  };
  return (abs) => nonManifestReason(abs, hasChart);
}

/** The reason given for a walked file whose content holds no Kubernetes object. */
export const NO_OBJECT_REASON = 'no document with apiVersion or kind';
