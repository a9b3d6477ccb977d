/** The lint front end: commander wiring of `lint`, `fix`, `rules` and `init` over the linter. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { homedir } from 'node:os';
import { encodeSource } from '../source/decode.js';
import { STARTER_CONFIG } from './init.js';
import { ConfigError, type Config } from '../config/config.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { collectInputs } from '../linter/inputs.js';
import { openLinter, userCacheDir, type LintOutcome } from '../linter/linter.js';
import { groupByConfig } from './config-groups.js';
import { presetsOf, type RuleSetting } from '../engine/compile.js';
import { builtinRules } from '../rules/builtin.js';
import { suggest } from '../schema/validate.js';
import { SEVERITIES, SEVERITY_RANK, type Finding, type Severity } from '../engine/types.js';
import { formatNames, formatters, isFormatName } from '../formatters/index.js';
import { redactManifestText } from '../source/redact-text.js';
import { ruleHelpUri } from '../engine/rule.js';
import { prepareInputs, progressReporter, type IntegrationFlags } from './integrations.js';
import { VERSION, type ProgramIO } from '../linter/io.js';
import { whyNotWritable, writeFixed } from './fix-write.js';
import { ruleMetas, useColor, writeReport } from './output.js';

export interface LintFlags extends IntegrationFlags {
  format: string;
  outputFile?: string;
  failSeverity?: string;
  maxWarnings?: string;
  quiet?: boolean;
  config?: string | false;
  kubernetesVersion?: string;
  strict: boolean;
  ignoreMissingSchemas?: boolean;
  crd?: string[];
  schemaLocation?: string[];
  preset?: string[];
  rule?: string[];
  color?: boolean;
  fix?: boolean;
  fixUnsafe?: boolean;
  fixDryRun?: boolean;
  inlineConfig: boolean;
  reportUnusedDisableDirectives?: boolean;
  policy?: string[];
  policyNamespace?: string[];
  failIfNoObjects?: boolean;
  skipNonManifests?: boolean;
  verbose?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function parseSeverity(v: string, flag: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(v))
    throw new ConfigError(`${flag} must be one of ${SEVERITIES.join(', ')}, got "${v}"`);
  return v as Severity;
}

/** The outcomes of the linters of one run (one per config), as one. */
function mergeOutcomes(outcomes: readonly LintOutcome[]): LintOutcome {
  if (outcomes.length === 1) return outcomes[0]!;
  const rules = new Map<string, LintOutcome['rules'][number]>();
  for (const o of outcomes) for (const d of o.rules) if (!rules.has(d.id)) rules.set(d.id, d);
  return {
    findings: outcomes.flatMap((o) => o.findings),
    rules: [...rules.values()],
    files: outcomes.reduce((n, o) => n + o.files, 0),
    resources: outcomes.reduce((n, o) => n + o.resources, 0),
    fixed: outcomes.flatMap((o) => o.fixed),
    fixNotes: outcomes.flatMap((o) => o.fixNotes),
    skipped: outcomes.flatMap((o) => o.skipped),
  };
}

/** Merge CLI flags over the config file (flags win). */
export function effectiveConfig(base: Config, flags: LintFlags, strictFromCli: boolean): Config {
  const c: Config = { ...base };
  if (flags.kubernetesVersion) c.kubernetesVersion = flags.kubernetesVersion;
  if (strictFromCli) c.strict = flags.strict;
  if (flags.ignoreMissingSchemas) c.ignoreMissingSchemas = true;
  if (flags.crd) c.crds = [...(c.crds ?? []), ...flags.crd];
  if (flags.schemaLocation) c.schemaLocations = [...(c.schemaLocations ?? []), ...flags.schemaLocation];
  if (flags.preset) c.presets = flags.preset;
  if (!flags.inlineConfig) c.inlineConfig = false;
  if (flags.rule) {
    const rules: Record<string, RuleSetting> = { ...c.rules };
    for (const r of flags.rule) {
      const m = /^([a-z0-9-]+)=(error|warn|info|off)$/.exec(r);
      if (!m) throw new ConfigError(`--rule expects <rule-id>=<error|warn|info|off>, got "${r}"`);
      rules[m[1]!] = m[2] as RuleSetting;
    }
    c.rules = rules;
  }
  return c;
}

async function lintAction(paths: string[], flags: LintFlags, cmd: Command, io: ProgramIO): Promise<number> {
  if (!isFormatName(flags.format))
    throw new ConfigError(`unknown format "${flags.format}"; formats: ${formatNames.join(', ')}`);
  const loaded: LoadedConfig =
    flags.config === false ? { config: {}, baseDir: io.cwd } : loadConfig(io.cwd, flags.config);
  const strictFromCli = cmd.getOptionValueSource('strict') === 'cli';
  /** A config file's settings with the flags over them (flags win, for every config of the run). */
  const withFlags = (base: Config): Config => {
    const c = effectiveConfig(base, flags, strictFromCli);
    // --policy paths are relative to the working directory (config ones to the config file).
    if (flags.policy)
      c.policies = [...(c.policies ?? []), ...flags.policy.map((p) => ({ path: resolve(io.cwd, p) }))];
    return c;
  };
  const config = withFlags(loaded.config);
  if (flags.policyNamespace && !config.policies?.length)
    throw new ConfigError(
      '--policy-namespace selects packages of policies: add --policy or `policies:` in config',
    );
  const failSeverity = parseSeverity(flags.failSeverity ?? config.failSeverity ?? 'error', '--fail-severity');
  let maxWarnings = config.maxWarnings ?? -1;
  if (flags.maxWarnings !== undefined) {
    maxWarnings = Number(flags.maxWarnings);
    if (!Number.isInteger(maxWarnings) || maxWarnings < -1)
      throw new ConfigError(`--max-warnings expects a whole number, got "${flags.maxWarnings}"`);
  }

  const fixMode =
    flags.fix || flags.fixUnsafe || flags.fixDryRun ? (flags.fixUnsafe ? 'unsafe' : 'safe') : undefined;
  const refused = new Map<string, string>();
  const refuse = (file: string) => {
    const why = whyNotWritable(resolve(io.cwd, file));
    if (why !== undefined) refused.set(file, why);
    return why;
  };
  const linterDeps = (baseDir: string) => ({
    baseDir,
    cwd: io.cwd,
    cacheDir: userCacheDir(io.env, io.env.HOME || homedir()),
    policyNamespaces: flags.policyNamespace,
  });
  const linter = await openLinter(config, linterDeps(loaded.baseDir));
  // --helm/--kustomize render (a chart for the target Kubernetes version); their findings (and
  // piped `helm template` ones) map back to the sources.
  const inputs = await prepareInputs(paths, flags, io, linter.registry.kubernetesVersion);
  // Each file is linted under the config nearest above it, as in the editor, unless --config or
  // --no-config names one for all; standard input and rendered output use the working directory's.
  const collected = collectInputs(inputs.paths, io.cwd, [], io.cwd, {
    skipNonManifests: flags.skipNonManifests,
  });
  const groups = groupByConfig(collected, io.cwd, loaded.file, flags.config === undefined);
  const progress = progressReporter(io.stderr, io.env);
  const outcomes: LintOutcome[] = [];
  try {
    for (const group of groups) {
      const nested = group.configFile === loaded.file ? undefined : loadConfig(io.cwd, group.configFile);
      const groupLinter = nested
        ? await openLinter(withFlags(nested.config), linterDeps(nested.baseDir))
        : linter;
      outcomes.push(
        await groupLinter.lintFiles([], {
          collected: group.inputs,
          readStdin: inputs.readStdin,
          onProgress: progress,
          reportUnusedDirectives: flags.reportUnusedDisableDirectives,
          fix: fixMode,
          // Files --fix cannot write are left as they are (and linted as they are); --fix-dry-run shows all.
          fixable: flags.fixDryRun ? undefined : (file) => file === '-' || refuse(file) === undefined,
        }),
      );
    }
  } finally {
    progress?.({ phase: 'done' });
  }
  const outcome = mergeOutcomes(outcomes);
  outcome.findings = await inputs.map(outcome.findings);
  // The rendered output counts as the templates / resource files it came from, not as one file.
  if (inputs.renderedFiles !== undefined) outcome.files += inputs.renderedFiles - 1;
  for (const note of outcome.fixNotes) io.stderr.write(`shipshape: ${note}\n`);
  if (flags.verbose)
    for (const s of outcome.skipped) io.stderr.write(`shipshape: skipped ${s.path}: ${s.reason}\n`);
  if (flags.fixDryRun) {
    // Print what --fix would change; exit 1 when it would change something.
    const { createTwoFilesPatch } = await import('diff');
    for (const f of outcome.fixed) {
      const name = f.file === '-' ? '<stdin>' : f.file;
      io.stdout.write(
        // Context lines can hold Secret data or literal credentials: redacted like every output.
        createTwoFilesPatch(
          `a/${name}`,
          `b/${name}`,
          redactManifestText(f.before),
          redactManifestText(f.after),
          undefined,
          undefined,
          { context: 3 },
        ),
      );
    }
    return outcome.fixed.length > 0 ? 1 : 0;
  }
  for (const f of outcome.fixed) {
    if (f.file === '-')
      throw new ConfigError('--fix cannot rewrite standard input; use --fix-dry-run to see the changes');
    writeFixed(resolve(io.cwd, f.file), encodeSource({ encoding: f.encoding, file: f.file }, f.after));
  }
  for (const [file, why] of refused) io.stderr.write(`shipshape: ${file} is ${why}: not fixed\n`);
  let shown: Finding[] = outcome.findings;
  if (flags.quiet) shown = shown.filter((f) => f.severity === 'error');

  const metas = ruleMetas(outcome.rules);
  const color = useColor(flags, io);
  const report = formatters[flags.format](shown, {
    cwd: io.cwd,
    color: flags.format === 'stylish' && color,
    rules: metas,
    toolVersion: VERSION,
    filesLinted: outcome.files,
    resourcesLinted: outcome.resources,
    filesSkipped: outcome.skipped.length,
  });
  await writeReport(io, report, flags.outputFile);

  const active = outcome.findings.filter((f) => !f.suppressed);
  const failed = active.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failSeverity]);
  // Nothing to check is a broken pipeline (a chart rendering nothing), not a pass: exit 2, as for
  // a path that matches nothing. Findings (a parse error) fail with 1 first.
  if (flags.failIfNoObjects && outcome.resources === 0 && !failed) {
    const stdin = inputs.paths.includes('-') ? 1 : 0;
    const files = outcome.files - stdin;
    const what =
      inputs.renderedFiles !== undefined
        ? `the output of ${flags.helm ? `--helm ${flags.helm}` : `--kustomize ${flags.kustomize}`}`
        : [
            ...(files > 0 || stdin === 0 ? [`${files} ${files === 1 ? 'file' : 'files'}`] : []),
            ...(stdin ? ['standard input'] : []),
          ].join(' and ');
    io.stderr.write(`shipshape: no Kubernetes objects in the input (--fail-if-no-objects): read ${what}\n`);
    return 2;
  }
  const warnings = active.filter((f) => f.severity === 'warn').length;
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    io.stderr.write(
      `shipshape: ${warnings} warnings exceed the maximum of ${maxWarnings} (--max-warnings)\n`,
    );
    return 1;
  }
  return failed ? 1 : 0;
}

function rulesList(flags: { format: 'text' | 'json' | 'markdown'; preset?: string }, io: ProgramIO): number {
  let defs = builtinRules();
  if (flags.preset) {
    const ids = presetsOf(defs).get(flags.preset);
    if (!ids)
      throw new ConfigError(
        `unknown preset "${flags.preset}"; presets: ${[...presetsOf(defs).keys()].sort().join(', ')}`,
      );
    defs = defs.filter((d) => ids.includes(d.id));
  }
  if (flags.format === 'json') {
    io.stdout.write(
      JSON.stringify(
        defs.map((d) => ({
          id: d.id,
          category: d.category,
          severity: d.severity,
          presets: d.presets,
          description: d.description,
          fix: d.fix?.safety ?? null,
          helpUri: ruleHelpUri(d),
        })),
        null,
        2,
      ) + '\n',
    );
  } else if (flags.format === 'markdown') {
    io.stdout.write(
      [
        '| rule | category | severity | presets | description |',
        '| --- | --- | --- | --- | --- |',
        ...defs.map(
          (d) => `| ${d.id} | ${d.category} | ${d.severity} | ${d.presets.join(', ')} | ${d.description} |`,
        ),
      ].join('\n') + '\n',
    );
  } else {
    const w = Math.max(...defs.map((d) => d.id.length));
    for (const d of defs)
      io.stdout.write(
        `${d.id.padEnd(w)}  ${d.category.padEnd(11)}  ${d.severity.padEnd(5)}  ${d.description}\n`,
      );
  }
  return 0;
}

function rulesDescribe(id: string, flags: { format: 'markdown' | 'json' }, io: ProgramIO): number {
  const defs = builtinRules();
  const def = defs.find((d) => d.id === id);
  if (!def) {
    const hint = suggest(
      id,
      defs.map((d) => d.id),
    );
    throw new ConfigError(`unknown rule "${id}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
  }
  if (flags.format === 'json')
    io.stdout.write(JSON.stringify({ ...def, helpUri: ruleHelpUri(def) }, null, 2) + '\n');
  else
    io.stdout.write(
      readFileSync(fileURLToPath(new URL(`../../docs/rules/${def.id}.md`, import.meta.url)), 'utf8'),
    );
  return 0;
}

function initAction(flags: { force?: boolean }, io: ProgramIO): number {
  const target = resolve(io.cwd, '.shipshape.yaml');
  if (existsSync(target) && !flags.force)
    throw new ConfigError(`${target} already exists (use --force to overwrite)`);
  writeFileSync(target, STARTER_CONFIG);
  io.stdout.write(`wrote ${target}\n`);
  return 0;
}

/** Register `lint` (the default command), `fix`, `rules` and `init`; `done` receives the exit code. */
export function registerLintCommands(program: Command, io: ProgramIO, done: (code: number) => void): void {
  program
    .command('lint', { isDefault: true })
    .description('lint Kubernetes manifests (files, directories, globs, or - for stdin)')
    .argument('[paths...]', 'files, directories or globs; - reads stdin; default: the current directory')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices([...formatNames]).default('stylish'),
    )
    .option('-o, --output-file <file>', 'write the report to a file instead of stdout')
    .option(
      '--fail-severity <severity>',
      'exit 1 when a finding is at or above this severity (default: error)',
    )
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this')
    .option('-q, --quiet', 'report errors only')
    .option('-c, --config <file>', 'configuration file (default: .shipshape.yaml found upward)')
    .option('--no-config', 'ignore configuration files')
    .option(
      '-k, --kubernetes-version <version>',
      'target Kubernetes version, e.g. 1.33 (default: newest bundled)',
    )
    .option('--no-strict', 'allow unknown fields; duplicate keys become warnings')
    .option('--ignore-missing-schemas', 'skip resources whose schema is unknown')
    .option('--crd <path>', 'CustomResourceDefinition file or folder (repeatable)', collect)
    .option(
      '--schema-location <location>',
      'folder or URL template of JSON schemas, kubeconform naming (repeatable)',
      collect,
    )
    .option('--preset <name>', 'rule preset to enable (repeatable; default: recommended)', collect)
    .option('--rule <id=severity>', 'set a rule severity or turn it off (repeatable)', collect)
    .option(
      '--policy <path>',
      'Rego policy built with `opa build -t wasm`: policy.wasm, bundle .tar.gz or folder (repeatable)',
      collect,
    )
    .option(
      '--policy-namespace <package>',
      'evaluate only the deny/warn/violation rules of this package of --policy policies, e.g. main (repeatable)',
      collect,
    )
    .option('--helm <chart>', 'render a Helm chart (folder or .tgz) with `helm template` and lint the output')
    .option('--values <file>', 'values file for --helm (repeatable; helm template --values)', collect)
    .option('--set <key=value>', 'value override for --helm (repeatable; helm template --set)', collect)
    .option('--release-name <name>', 'release name for --helm (default: release-name)')
    .option('--namespace <namespace>', 'release namespace for --helm (helm template --namespace)')
    .option(
      '--api-versions <version>',
      'extra API version for --helm .Capabilities (repeatable; helm template --api-versions)',
      collect,
    )
    .option('--include-crds', "render the chart's crds/ too (helm template --include-crds)")
    .option(
      '--kustomize <dir>',
      'render a kustomization with `kustomize build` (or `kubectl kustomize`) and lint the output',
    )
    .option(
      '--fail-if-no-objects',
      'exit 2 when the input holds no Kubernetes object (an empty pipe, a chart rendering nothing)',
    )
    .option(
      '--skip-non-manifests',
      'skip named files that are not manifests too, as a directory walk does (the pre-commit hook)',
    )
    .option('--verbose', 'list the files skipped as not manifests (on stderr)')
    .option('--fix', 'apply safe fixes in place (comments and formatting are kept)')
    .option('--fix-unsafe', 'apply safe and unsafe fixes in place')
    .option(
      '--fix-dry-run',
      'print the changes --fix would make as a unified diff (exit 1 when there are any)',
    )
    .option('--no-inline-config', 'ignore suppressions written in manifests (annotations, comments)')
    .option('--report-unused-disable-directives', 'report shipshape-disable comments that suppress nothing')
    .option('--color', 'force colour output')
    .option('--no-color', 'disable colour output')
    .action(async (paths: string[], flags: LintFlags, cmd: Command) =>
      done(await lintAction(paths, flags, cmd, io)),
    );

  program
    .command('fix')
    .description('apply safe fixes in place (same as lint --fix)')
    .argument('[paths...]', 'files, directories or globs')
    .option('--unsafe', 'also apply unsafe fixes')
    .option('--dry-run', 'print the changes as a unified diff instead of writing them')
    .option('-c, --config <file>', 'configuration file')
    .option('--no-config', 'ignore configuration files')
    .option('--preset <name>', 'rule preset to enable (repeatable)', collect)
    .option('--rule <id=severity>', 'set a rule severity or turn it off (repeatable)', collect)
    .action(
      async (
        paths: string[],
        flags: {
          unsafe?: boolean;
          dryRun?: boolean;
          config?: string | false;
          preset?: string[];
          rule?: string[];
        },
        cmd: Command,
      ) =>
        done(
          await lintAction(
            paths,
            {
              format: 'stylish',
              strict: true,
              inlineConfig: true,
              config: flags.config,
              preset: flags.preset,
              rule: flags.rule,
              fix: true,
              fixUnsafe: flags.unsafe,
              fixDryRun: flags.dryRun,
            },
            cmd,
            io,
          ),
        ),
    );

  const rules = program.command('rules').description('list and describe the built-in rules');
  rules
    .command('list')
    .description('list every rule with its category, severity and presets')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['text', 'json', 'markdown'])
        .default('text'),
    )
    .option('--preset <name>', 'only rules in this preset')
    .action((flags: { format: 'text' | 'json' | 'markdown'; preset?: string }) => done(rulesList(flags, io)));
  rules
    .command('describe')
    .description('show one rule: why it matters, how to fix it, options and examples')
    .argument('<id>', 'rule id')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['markdown', 'json']).default('markdown'),
    )
    .action((id: string, flags: { format: 'markdown' | 'json' }) => done(rulesDescribe(id, flags, io)));

  program
    .command('init')
    .description('write a commented starter .shipshape.yaml in the current directory')
    .option('--force', 'overwrite an existing file')
    .action((flags: { force?: boolean }) => done(initAction(flags, io)));
}
