/** CLI glue for `lint --helm/--kustomize` (rendered inputs mapped back to their sources) and the TTY progress line. */
import { ConfigError } from '../config/config.js';
import type { Finding } from '../engine/types.js';
import type { Rendered } from '../integrations/render.js';
import { hasSourceComments } from '../integrations/source-map.js';
import type { LintProgress } from '../linter/linter.js';

/** The lint flags this module reads. */
export interface IntegrationFlags {
  helm?: string;
  values?: string[];
  set?: string[];
  releaseName?: string;
  namespace?: string;
  apiVersions?: string[];
  includeCrds?: boolean;
  kustomize?: string;
  fix?: boolean;
  fixUnsafe?: boolean;
  fixDryRun?: boolean;
}

/** The inputs to lint once charts / overlays are rendered, and how to map findings back. */
export interface PreparedInputs {
  paths: string[];
  readStdin: () => Promise<string>;
  /** Rewrite findings on rendered text (and on piped `helm template` output) to their sources. */
  map(findings: Finding[]): Promise<Finding[]>;
  /** With --helm/--kustomize: how many templates / resource files the rendered output came from. */
  renderedFiles?: number;
}

interface IO {
  cwd: string;
  env: Record<string, string | undefined>;
  readStdin: () => Promise<string>;
}

/**
 * Render `--helm` / `--kustomize` inputs with the real tools. The rendered text is linted as
 * standard input (`-`), so it cannot be combined with `-`; findings on it are then mapped to the
 * template or resource file. Piped input carrying Helm's `# Source:` comments is mapped too.
 * `kubeVersion` (the target Kubernetes version) is what the chart renders for (`--kube-version`).
 * The rendering code (and child_process, and tar reading) loads only when it is used.
 */
export async function prepareInputs(
  paths: string[],
  flags: IntegrationFlags,
  io: IO,
  kubeVersion?: string,
): Promise<PreparedInputs> {
  if ((flags.values?.length || flags.set?.length) && !flags.helm)
    throw new ConfigError('--values and --set apply to --helm charts');
  const helmOnly = [
    flags.releaseName !== undefined && '--release-name',
    flags.namespace !== undefined && '--namespace',
    flags.apiVersions?.length && '--api-versions',
    flags.includeCrds && '--include-crds',
  ].filter((x): x is string => typeof x === 'string');
  if (helmOnly.length > 0 && !flags.helm)
    throw new ConfigError(`${helmOnly.join(', ')} apply to --helm charts`);
  if (flags.helm && flags.kustomize) throw new ConfigError('use either --helm or --kustomize, not both');
  let stdinText: string | undefined;
  const readStdin = async () => (stdinText = await io.readStdin());
  if (!flags.helm && !flags.kustomize) {
    return {
      paths,
      readStdin,
      map: async (findings) =>
        stdinText !== undefined && hasSourceComments(stdinText)
          ? (await import('../integrations/render.js')).mapPipedHelm(findings, stdinText, io.cwd)
          : findings,
    };
  }
  if (paths.includes('-'))
    throw new ConfigError(`--${flags.helm ? 'helm' : 'kustomize'} cannot be combined with - (stdin)`);
  if (flags.fix || flags.fixUnsafe || flags.fixDryRun)
    throw new ConfigError('--fix rewrites files; rendered --helm/--kustomize output has no file to rewrite');
  const { renderHelm, renderKustomize } = await import('../integrations/render.js');
  const rendered: Rendered = flags.helm
    ? renderHelm(
        {
          chart: flags.helm,
          values: flags.values ?? [],
          set: flags.set ?? [],
          kubeVersion,
          namespace: flags.namespace,
          apiVersions: flags.apiVersions,
          includeCrds: flags.includeCrds,
          releaseName: flags.releaseName,
        },
        io.cwd,
        io.env,
      )
    : renderKustomize(flags.kustomize!, io.cwd, io.env);
  return {
    // Only the rendered output unless paths were given too (`shipshape lint --helm chart extra/`).
    paths: [...paths, '-'],
    readStdin: () => Promise.resolve(rendered.text),
    map: (findings) => Promise.resolve(rendered.map(findings, '-')),
    renderedFiles: rendered.files,
  };
}

/** Progress of a lint run: runLint's reports, then `done` from the CLI when the run ends. */
export type Progress = LintProgress | { phase: 'done' };

/** Minimum time between two progress redraws. */
const REDRAW_MS = 100;
/** Runs shorter than this never show progress (SHIPSHAPE_PROGRESS_AFTER_MS overrides it). */
const SHOW_AFTER_MS = 500;

/**
 * A progress reporter for stderr, or undefined when progress must not be shown: stderr is not a
 * TTY (pipes, files), CI is set (any CI system), or `TERM=dumb`. The line is redrawn in place and
 * erased when the run ends, so it never mixes with the report.
 */
export function progressReporter(
  stderr: { write(s: string): unknown; isTTY?: boolean },
  env: Record<string, string | undefined>,
  now: () => number = () => performance.now(),
): ((p: Progress) => void) | undefined {
  if (
    stderr.isTTY !== true ||
    (env.CI !== undefined && env.CI !== '' && env.CI !== 'false') ||
    env.TERM === 'dumb'
  )
    return undefined;
  const start = now();
  const after = Number(env.SHIPSHAPE_PROGRESS_AFTER_MS ?? SHOW_AFTER_MS);
  const showAfter = Number.isFinite(after) && after >= 0 ? after : SHOW_AFTER_MS;
  let last = -Infinity;
  let shown = false;
  return (p) => {
    const t = now();
    if (p.phase === 'done') {
      if (shown) stderr.write('\r\x1b[2K');
      return;
    }
    if (t - start < showAfter || t - last < REDRAW_MS) return;
    last = t;
    shown = true;
    const secs = Math.max((t - start) / 1000, 0.001);
    const rate = Math.round(p.files / secs);
    const what =
      p.phase === 'read'
        ? `${p.files}/${p.totalFiles} files, ${p.resources} resources (${rate} files/s)`
        : `linting ${p.resources} resources in ${p.files} files`;
    stderr.write(`\r\x1b[2Kshipshape: ${what}`);
  };
}
