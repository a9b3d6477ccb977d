/**
 * Render Helm charts and Kustomize overlays with the real tools (`helm template`, `kustomize
 * build` or `kubectl kustomize`), found on PATH or in .cache/bin, and map findings on the output
 * back to the files they came from.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, delimiter, join, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../config/config.js';
import type { Finding, KubeObject } from '../engine/types.js';
import { readTar, type TarFiles } from '../policy/tar.js';
import { splitDocuments } from '../source/documents.js';
import { parseSource } from '../source/parse.js';
import { locateInTemplate, mapToTemplates } from './source-map.js';

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

/** What to render: a chart (folder or .tgz) with values files and --set overrides. */
export interface HelmRequest {
  chart: string;
  values: string[];
  set: string[];
}

/** The rendered manifests and how to map findings on them back to their sources. */
export interface Rendered {
  text: string;
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
  const args = ['template', HELM_RELEASE_NAME, chart];
  for (const v of req.values) args.push('--values', resolve(cwd, v));
  for (const s of req.set) args.push('--set', s);
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
    map: (findings, renderedFile) =>
      mapToTemplates(findings, {
        renderedFile,
        text,
        resolve: resolveSource,
        read: (file) => (isArchive ? fromArchive(file) : readText(resolve(cwd, file))),
      }),
  };
}

/** Piped `helm template … | shipshape lint -`: `# Source:` paths are taken relative to cwd. */
export function mapPipedHelm(findings: readonly Finding[], text: string, cwd: string): Finding[] {
  return mapToTemplates(findings, { renderedFile: '-', text, read: (file) => readText(resolve(cwd, file)) });
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The local files a kustomization pulls resources and patches from, recursively (remote bases are skipped). */
function kustomizationFiles(dir: string, seen = new Set<string>()): string[] {
  if (seen.has(dir)) return [];
  seen.add(dir);
  const name = KUSTOMIZATION_NAMES.find((n) => existsSync(join(dir, n)));
  if (!name) return [];
  const k = (parseDocument(readFileSync(join(dir, name), 'utf8')).toJS() ?? {}) as Record<string, unknown>;
  const out: string[] = [];
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  for (const entry of [...list(k.resources), ...list(k.bases), ...list(k.components)]) {
    if (/^[a-z]+:\/\//i.test(entry) || entry.includes('?ref=')) continue;
    const p = resolve(dir, entry);
    try {
      if (statSync(p).isDirectory()) out.push(...kustomizationFiles(p, seen));
      else out.push(p);
    } catch {
      // kustomize reports missing files itself
    }
  }
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
  const index: Array<{ file: string; kind: string; name: string; text: string; document: number }> = [];
  for (const file of kustomizationFiles(dir)) {
    const t = readText(file);
    if (t === undefined) continue;
    for (const r of parseSource(file, t).resources) {
      const name = (r.object.metadata as { name?: unknown } | undefined)?.name;
      if (typeof name === 'string')
        index.push({ file, kind: String(r.object.kind), name, text: t, document: r.source?.document ?? 1 });
    }
  }
  const rendered = parseSource('-', text).resources;
  const display = (p: string) => relative(cwd, p) || basename(p);
  return {
    text,
    map: (findings, renderedFile) =>
      findings.map((f) => {
        const loc = f.location;
        if (!loc || loc.file !== renderedFile) return f;
        const r = rendered.find((x) => x.source?.document === loc.document);
        const obj: KubeObject | undefined = r?.object;
        const kind = typeof obj?.kind === 'string' ? obj.kind : f.resource.kind;
        const metaName = (obj?.metadata as { name?: unknown } | undefined)?.name;
        const name = typeof metaName === 'string' ? metaName : (f.resource.name ?? '');
        // Exact name first; then a name that namePrefix/nameSuffix turned into the rendered one.
        const hit =
          index.find((e) => e.kind === kind && e.name === name) ??
          index
            .filter((e) => e.kind === kind && name.includes(e.name))
            .sort((a, b) => b.name.length - a.name.length)[0];
        if (!hit) return f;
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
