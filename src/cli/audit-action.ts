/** The `shipshape audit` action (imported by ./audit.ts only when `audit` runs): lint a cluster's live objects. */
import { homedir } from 'node:os';
import type { Command } from 'commander';
import { applyReports } from '../audit/apply.js';
import { auditCluster, type AuditProgress } from '../audit/audit.js';
import { ClusterError, openCluster } from '../audit/kube.js';
import { policyReportYaml, policyReports } from '../audit/policyreport.js';
import { qualified, type ListProblem } from '../audit/collect.js';
import { ConfigError } from '../config/config.js';
import { loadConfig } from '../config/load.js';
import { SEVERITIES, SEVERITY_RANK, type Finding, type Severity } from '../engine/types.js';
import { formatNames, formatters, isFormatName } from '../formatters/index.js';
import { VERSION, type ProgramIO } from '../linter/io.js';
import { openLinter, userCacheDir } from '../linter/linter.js';
import { effectiveConfig } from './commands.js';
import { ruleMetas, useColor, writeReport } from './output.js';

/** The formats of `audit`: every report format plus PolicyReport objects (as in ./audit.ts). */
const AUDIT_FORMATS = [...formatNames, 'policyreport'] as const;

export interface AuditFlags {
  format: string;
  outputFile?: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
  kinds?: string[];
  excludeKinds?: string[];
  includeSecrets?: boolean;
  includeOwned?: boolean;
  includeBootstrap?: boolean;
  apply?: boolean;
  pageSize: string;
  failSeverity?: string;
  quiet?: boolean;
  config?: string | false;
  kubernetesVersion?: string;
  strict: boolean;
  preset?: string[];
  rule?: string[];
  color?: boolean;
}

/** A progress line on stderr when it is a terminal (not in CI, not TERM=dumb), erased at the end. */
function auditProgress(io: ProgramIO): ((p: AuditProgress | 'done') => void) | undefined {
  const env = io.env;
  if (
    io.stderr.isTTY !== true ||
    (env.CI !== undefined && env.CI !== '' && env.CI !== 'false') ||
    env.TERM === 'dumb'
  )
    return undefined;
  const after = Number(env.SHIPSHAPE_PROGRESS_AFTER_MS ?? 500);
  const start = performance.now();
  let shown = false;
  let last = -Infinity;
  return (p) => {
    if (p === 'done') {
      if (shown) io.stderr.write('\r\x1b[2K');
      return;
    }
    const t = performance.now();
    if (t - start < (Number.isFinite(after) ? after : 500) || t - last < 100) return;
    last = t;
    shown = true;
    const what =
      p.phase === 'list'
        ? `listing ${p.kind ?? ''} (${p.kindsDone}/${p.kinds} kinds, ${p.objects} objects)`
        : `linting ${p.objects} objects`;
    io.stderr.write(`\r\x1b[2Kshipshape: ${what}`);
  };
}

export async function auditAction(flags: AuditFlags, cmd: Command, io: ProgramIO): Promise<number> {
  if (!(AUDIT_FORMATS as readonly string[]).includes(flags.format))
    throw new ConfigError(`unknown format "${flags.format}"; formats: ${AUDIT_FORMATS.join(', ')}`);
  if (flags.apply && flags.format !== 'policyreport')
    throw new ConfigError('--apply writes policy reports: use it with --format policyreport');
  if (flags.namespace !== undefined && flags.allNamespaces)
    throw new ConfigError('use either --namespace or --all-namespaces, not both');
  const pageSize = Number(flags.pageSize);
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new ConfigError(`--page-size expects a whole number above 0, got "${flags.pageSize}"`);
  const failSeverity = flags.failSeverity ?? 'error';
  if (!(SEVERITIES as readonly string[]).includes(failSeverity))
    throw new ConfigError(`--fail-severity must be one of ${SEVERITIES.join(', ')}, got "${failSeverity}"`);

  const loaded = flags.config === false ? { config: {}, baseDir: io.cwd } : loadConfig(io.cwd, flags.config);
  const config = effectiveConfig(
    loaded.config,
    { ...flags, inlineConfig: true },
    cmd.getOptionValueSource('strict') === 'cli',
  );
  const linter = await openLinter(config, {
    baseDir: loaded.baseDir,
    cwd: io.cwd,
    cacheDir: userCacheDir(io.env, io.env.HOME || homedir()),
  });
  const cluster = await openCluster({
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    cwd: io.cwd,
    env: io.env,
  });
  const progress = auditProgress(io);
  try {
    const outcome = await auditCluster(linter, cluster, {
      namespace: flags.namespace,
      allNamespaces: flags.allNamespaces === true,
      include: flags.kinds,
      exclude: flags.excludeKinds,
      includeSecrets: flags.includeSecrets === true,
      includeOwned: flags.includeOwned === true,
      includeBootstrap: flags.includeBootstrap === true,
      pageSize,
      onProgress: progress,
    }).finally(() => progress?.('done'));

    const where = `the cluster at ${cluster.server} (context "${cluster.context}")`;
    const refused = (p: ListProblem) =>
      `${qualified(p.kind)}${outcome.namespace !== undefined && p.kind.namespaced ? ` in namespace ${outcome.namespace}` : ''} (${p.status === 403 ? '403 Forbidden' : `${p.status} Not Found`}: ${p.message})`;
    const first = outcome.problems[0];
    if (first && outcome.problems.length === outcome.kinds.length)
      throw new ClusterError(
        `${where} refused to list ${outcome.kinds.length === 1 ? 'the one kind' : `all ${outcome.kinds.length} kinds`} selected, e.g. ${refused(first)}: nothing was audited`,
      );
    // Kinds named with --kinds must be read; the others are read where RBAC allows.
    if (first && flags.kinds !== undefined)
      throw new ClusterError(
        `${where} refused to list ${refused(first)}, named with --kinds: nothing was audited`,
      );
    for (const p of outcome.problems)
      io.stderr.write(
        `shipshape: warning: ${where} refused to list ${refused(p)}; the other kinds were audited\n`,
      );

    let shown: Finding[] = outcome.findings;
    if (flags.quiet) shown = shown.filter((f) => f.severity === 'error');
    if (flags.format === 'policyreport') {
      const scopes = new Set(outcome.namespaces);
      if (outcome.namespace !== undefined) scopes.add(outcome.namespace);
      const reports = policyReports(shown, { now: new Date(), scopes });
      if (flags.apply) {
        for (const a of await applyReports(cluster, reports))
          io.stderr.write(
            `shipshape: ${a.action} ${a.report.kind} ${a.report.metadata.namespace ? `${a.report.metadata.namespace}/` : ''}${a.report.metadata.name} (${a.report.results.length} results)\n`,
          );
      } else await writeReport(io, policyReportYaml(reports), flags.outputFile);
    } else {
      const format = flags.format;
      if (!isFormatName(format)) throw new ConfigError(`unknown format "${format}"`);
      const metas = ruleMetas(linter.defs);
      const color = useColor(flags, io);
      const scope = outcome.namespace === undefined ? 'all namespaces' : `namespace ${outcome.namespace}`;
      const report = formatters[format](shown, {
        cwd: io.cwd,
        color: format === 'stylish' && color,
        rules: metas,
        toolVersion: VERSION,
        filesLinted: 0,
        resourcesLinted: outcome.resources,
        checked: `cluster context "${cluster.context}", ${scope}`,
      });
      await writeReport(io, report, flags.outputFile);
    }
    const failed = outcome.findings.some(
      (f) => !f.suppressed && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failSeverity as Severity],
    );
    return failed ? 1 : 0;
  } finally {
    cluster.close();
  }
}
