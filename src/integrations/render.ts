/**
 * Render Helm charts and Kustomize overlays with the real tools (`helm template`, `kustomize
 * build` or `kubectl kustomize`), found on PATH or in .cache/bin, and map findings on the output
 * back to the files they came from.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, delimiter, dirname, join, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../config/config.js';
import type { Finding, KubeObject } from '../engine/types.js';
import { readTar, type TarFiles } from '../policy/tar.js';
import { splitDocuments } from '../source/documents.js';
import { parseSource } from '../source/parse.js';
import { PatchIndex, type PatchRef } from './kustomize-patches.js';
import { locateInTemplate, mapToTemplates, sourcesOfDocuments } from './source-map.js';

/** Release name given to `helm template` (shows in names built from `.Release.Name`). */
export const HELM_RELEASE_NAME = 'release-name';

/** A missing tool: the CLI prints the message and exits 2. */
export class ToolMissingError extends ConfigError {}

/**
 * The first executable named `name` on PATH, then in `<cwd>/.cache/bin` (where
 * scripts/install-test-tools.sh puts pinned copies).
 */
export function findTool(
  name: string,
  env: Record<string, string | undefined>,
  cwd: string,
): string | undefined {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  dirs.push(join(cwd, '.cache/bin'));
  for (const d of dirs) {
    const p = join(d, name);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

function exec(
  tool: string,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
  what: string,
): string {
  const r = spawnSync(tool, args, {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.error) throw new ConfigError(`${what}: cannot run ${tool}: ${r.error.message}`);
  if (r.status !== 0)
    throw new ConfigError(`${what} failed (exit ${r.status}):\n${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** What to render: a chart (folder or .tgz) with values files, --set overrides and helm template's flags. */
export interface HelmRequest {
  chart: string;
  values: string[];
  set: string[];
  /** `--kube-version`: what `.Capabilities.KubeVersion` and Chart.yaml's `kubeVersion` see. */
  kubeVersion?: string;
  /** `--namespace`: `.Release.Namespace`. */
  namespace?: string;
  /** `--api-versions` (repeatable): extra `.Capabilities.APIVersions`. */
  apiVersions?: string[];
  /** `--include-crds`: render the chart's `crds/` too. */
  includeCrds?: boolean;
  /** The release name (default {@link HELM_RELEASE_NAME}). */
  releaseName?: string;
}

/** The rendered manifests and how to map findings on them back to their sources. */
export interface Rendered {
  text: string;
  /** How many source files (templates, resource files) the rendered documents came from. */
  files: number;
  /** Map findings located in the rendered text (file `renderedFile`) to the source files. */
  map(findings: readonly Finding[], renderedFile: string): Finding[];
}

/** Run `helm template` on a chart; findings map to the templates through `# Source:` comments. */
export function renderHelm(req: HelmRequest, cwd: string, env: Record<string, string | undefined>): Rendered {
  const helm = findTool('helm', env, cwd);
  if (!helm)
    throw new ToolMissingError(
      '--helm needs the helm binary, which was not found on PATH or in .cache/bin; install helm (https://helm.sh/docs/intro/install/) or run scripts/install-test-tools.sh helm',
    );
  const chart = resolve(cwd, req.chart);
  if (!existsSync(chart)) throw new ConfigError(`no such chart: ${req.chart}`);
  const args = ['template', req.releaseName ?? HELM_RELEASE_NAME, chart];
  for (const v of req.values) args.push('--values', resolve(cwd, v));
  for (const s of req.set) args.push('--set', s);
  if (req.kubeVersion) args.push('--kube-version', req.kubeVersion);
  if (req.namespace) args.push('--namespace', req.namespace);
  for (const a of req.apiVersions ?? []) args.push('--api-versions', a);
  if (req.includeCrds) args.push('--include-crds');
  const text = exec(helm, args, cwd, env, `helm template ${req.chart}`);
  const isArchive = /\.(tgz|tar\.gz)$/i.test(chart);
  // A packaged chart's templates are read from the archive (`<chart name>/templates/…` inside).
  let archive: TarFiles | undefined;
  const fromArchive = (file: string): string | undefined => {
    archive ??= readTar(readFileSync(chart));
    const inner = file.slice(file.indexOf(':') + 1);
    for (const [name, bytes] of archive)
      if (name.split('/').slice(1).join('/') === inner) return Buffer.from(bytes).toString('utf8');
    return undefined;
  };
  // `# Source: <chart name>/templates/x.yaml`: the first segment is the chart's name, the rest is
  // relative to the chart folder (subcharts: <name>/charts/<sub>/templates/x.yaml).
  const display = (p: string) => relative(cwd, p) || '.';
  const resolveSource = (source: string) => {
    const rest = source.split('/').slice(1).join('/');
    return isArchive ? `${display(chart)}:${rest}` : display(join(chart, rest));
  };
  return {
    text,
    files: new Set(sourcesOfDocuments(text).values()).size,
    map: (findings, renderedFile) =>
      mapToTemplates(findings, {
        renderedFile,
        text,
        resolve: resolveSource,
        read: (file) => (isArchive ? fromArchive(file) : readText(resolve(cwd, file))),
      }),
  };
}

/**
 * Piped `helm template … | shipshape lint -`: a `# Source:` path (`<chart name>/templates/x.yaml`)
 * is read relative to cwd; failing that, relative to the chart of that name that holds cwd
 * (`helm template . | shipshape lint -` inside the chart) or that sits in cwd under another folder
 * name. Files are reported relative to cwd.
 */
export function mapPipedHelm(findings: readonly Finding[], text: string, cwd: string): Finding[] {
  const charts = new Map<string, string | undefined>();
  const chartDir = (name: string): string | undefined => {
    if (!charts.has(name)) charts.set(name, findChartDir(name, cwd));
    return charts.get(name);
  };
  const resolveSource = (source: string) => {
    if (existsSync(resolve(cwd, source))) return source;
    const [name, ...rest] = source.split('/');
    const dir = chartDir(name!);
    return dir === undefined ? source : relative(cwd, join(dir, ...rest));
  };
  return mapToTemplates(findings, {
    renderedFile: '-',
    text,
    resolve: resolveSource,
    read: (file) => readText(resolve(cwd, file)),
  });
}

function chartName(dir: string): string | undefined {
  const t = readText(join(dir, 'Chart.yaml'));
  if (t === undefined) return undefined;
  try {
    const name = (parseDocument(t).toJS() as { name?: unknown } | null)?.name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** The folder of the chart named `name`: cwd or one of its parents, or a folder right inside cwd. */
function findChartDir(name: string, cwd: string): string | undefined {
  for (let dir = resolve(cwd), depth = 0; depth < 16; depth++) {
    if (chartName(dir) === name) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  try {
    for (const e of readdirSync(cwd, { withFileTypes: true }))
      if (e.isDirectory() && chartName(join(cwd, e.name)) === name) return join(cwd, e.name);
  } catch {
    // unreadable cwd: keep the path as written
  }
  return undefined;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The local files a kustomization pulls resources from, and its patch files, in the order kustomize applies them. */
interface KustomizationFiles {
  resources: string[];
  patches: PatchRef[];
}

const isRemote = (entry: string) => /^[a-z]+:\/\//i.test(entry) || entry.includes('?ref=');

/** The kustomization's own files, recursively through local bases and components (remote ones are skipped). */
function kustomizationFiles(dir: string, seen = new Set<string>()): KustomizationFiles {
  const out: KustomizationFiles = { resources: [], patches: [] };
  if (seen.has(dir)) return out;
  seen.add(dir);
  const name = KUSTOMIZATION_NAMES.find((n) => existsSync(join(dir, n)));
  if (!name) return out;
  let k: Record<string, unknown>;
  try {
    k = (parseDocument(readFileSync(join(dir, name), 'utf8')).toJS() ?? {}) as Record<string, unknown>;
  } catch {
    return out; // kustomize reports a broken kustomization itself
  }
  const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]) : []);
  const strings = (v: unknown) => list(v).filter((x): x is string => typeof x === 'string');
  for (const entry of [...strings(k.resources), ...strings(k.bases), ...strings(k.components)]) {
    if (isRemote(entry)) continue;
    const p = resolve(dir, entry);
    try {
      if (statSync(p).isDirectory()) {
        const inner = kustomizationFiles(p, seen);
        out.resources.push(...inner.resources);
        out.patches.push(...inner.patches);
      } else out.resources.push(p);
    } catch {
      // kustomize reports missing files itself
    }
  }
  const target = (t: unknown) => {
    if (!t || typeof t !== 'object') return undefined;
    const { kind, name } = t as { kind?: unknown; name?: unknown };
    return {
      kind: typeof kind === 'string' ? kind : undefined,
      name: typeof name === 'string' ? name : undefined,
    };
  };
  const patchFile = (path: unknown, t?: unknown) => {
    // Inline patches (YAML text with a newline) have no file of their own.
    if (typeof path === 'string' && !path.includes('\n') && !isRemote(path))
      out.patches.push({ file: resolve(dir, path), target: target(t) });
  };
  for (const p of strings(k.patchesStrategicMerge)) patchFile(p);
  for (const p of list(k.patchesJson6902))
    if (p && typeof p === 'object')
      patchFile((p as { path?: unknown }).path, (p as { target?: unknown }).target);
  for (const p of list(k.patches))
    if (p && typeof p === 'object')
      patchFile((p as { path?: unknown }).path, (p as { target?: unknown }).target);
  return out;
}

/** Run `kustomize build` (or `kubectl kustomize`); findings map to the file that defines each resource. */
export function renderKustomize(
  dirArg: string,
  cwd: string,
  env: Record<string, string | undefined>,
): Rendered {
  const dir = resolve(cwd, dirArg);
  if (!existsSync(dir)) throw new ConfigError(`no such kustomization: ${dirArg}`);
  const kustomize = findTool('kustomize', env, cwd);
  const kubectl = kustomize ? undefined : findTool('kubectl', env, cwd);
  if (!kustomize && !kubectl)
    throw new ToolMissingError(
      '--kustomize needs kustomize or kubectl, neither was found on PATH or in .cache/bin; install kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/) or run scripts/install-test-tools.sh kustomize',
    );
  const text = kustomize
    ? exec(kustomize, ['build', dir], cwd, env, `kustomize build ${dirArg}`)
    : exec(kubectl!, ['kustomize', dir], cwd, env, `kubectl kustomize ${dirArg}`);

  // Index the resources of the kustomization's own files by kind and name.
  const own = kustomizationFiles(dir);
  const index: Array<{
    file: string;
    kind: string;
    name: string;
    text: string;
    document: number;
    object: KubeObject;
  }> = [];
  for (const file of own.resources) {
    const t = readText(file);
    if (t === undefined) continue;
    for (const r of parseSource(file, t).resources) {
      const name = (r.object.metadata as { name?: unknown } | undefined)?.name;
      if (typeof name === 'string')
        index.push({
          file,
          kind: String(r.object.kind),
          name,
          text: t,
          document: r.source?.document ?? 1,
          object: r.object,
        });
    }
  }
  const patches = new PatchIndex(own.patches, readText);
  const rendered = parseSource('-', text).resources;
  const display = (p: string) => relative(cwd, p) || basename(p);
  const hitOf = (obj: KubeObject | undefined, fallback: { kind: string; name?: string }) => {
    const kind = typeof obj?.kind === 'string' ? obj.kind : fallback.kind;
    const metaName = (obj?.metadata as { name?: unknown } | undefined)?.name;
    const name = typeof metaName === 'string' ? metaName : (fallback.name ?? '');
    // Exact name first; then a name that namePrefix/nameSuffix turned into the rendered one.
    return (
      index.find((e) => e.kind === kind && e.name === name) ??
      index
        .filter((e) => e.kind === kind && name.includes(e.name))
        .sort((a, b) => b.name.length - a.name.length)[0]
    );
  };
  const sourceFiles = new Set(
    rendered.map((r) => hitOf(r.object, { kind: String(r.object.kind) })?.file ?? '-'),
  );
  return {
    text,
    files: sourceFiles.size,
    map: (findings, renderedFile) =>
      findings.map((f) => {
        const loc = f.location;
        if (!loc || loc.file !== renderedFile) return f;
        const r = rendered.find((x) => x.source?.document === loc.document);
        const obj: KubeObject | undefined = r?.object;
        const hit = hitOf(obj, f.resource);
        if (!hit) return f;
        // A value an overlay patch set is reported on the patch's line.
        const patched = obj && patches.find(obj, hit.object, hit.kind, hit.name, f.path);
        if (patched)
          return {
            ...f,
            location: {
              file: display(patched.file),
              document: patched.document,
              start: patched.range.start,
              end: patched.range.end,
            },
          };
        const docText = documentText(hit.text, hit.document);
        const pos = locateInTemplate(docText.text, f.path);
        return {
          ...f,
          location: {
            file: display(hit.file),
            document: hit.document,
            start: { line: pos.start.line + docText.lineOffset, column: pos.start.column },
            end: { line: pos.end.line + docText.lineOffset, column: pos.end.column },
          },
        };
      }),
  };
}

/** The text of one document of a multi-document file and the number of lines before it. */
function documentText(text: string, document: number): { text: string; lineOffset: number } {
  const span = splitDocuments(text)[document - 1];
  if (!span) return { text, lineOffset: 0 };
  return {
    text: text.slice(span.start, span.fullEnd),
    lineOffset: text.slice(0, span.start).split('\n').length - 1,
  };
}
