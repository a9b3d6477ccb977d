/** The `lint` pipeline: inputs → parse → schemas/CRDs → engine → findings. No output, no exit codes. */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { collectInputs } from './files.js';
import { ConfigError, type Config } from '../config/config.js';
import { exemptionSuppressor } from '../config/exemptions.js';
import { compileRules, type RuleSettings } from '../engine/compile.js';
import type { RuleDefinition } from '../engine/rule.js';
import { lint } from '../engine/run.js';
import type { Finding, Resource, SourceProblem } from '../engine/types.js';
import { builtinRules } from '../rules/builtin.js';
import { bundledSchemas } from '../schema/bundled.js';
import { loadFromLocations } from '../schema/locations.js';
import { SchemaRegistry } from '../schema/registry.js';
import { parseSource } from '../source/parse.js';

export interface LintRequest {
  paths: string[];
  cwd: string;
  config: Config;
  /** Folder the config's relative paths are resolved against. */
  baseDir: string;
  readStdin: () => Promise<string>;
}

export interface LintOutcome {
  findings: Finding[];
  rules: RuleDefinition[];
  files: number;
  resources: number;
}

const isCrd = (r: Resource) =>
  r.object.kind === 'CustomResourceDefinition' && String(r.object.apiVersion).startsWith('apiextensions.k8s.io/');

function readInput(file: string, cwd: string): string {
  try {
    return readFileSync(resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

/** Run a whole lint: everything the CLI needs except printing. */
export async function runLint(req: LintRequest): Promise<LintOutcome> {
  const { config, cwd } = req;
  const strict = config.strict ?? true;
  const inputs = collectInputs(req.paths, cwd, config.ignorePaths ?? [], req.baseDir);

  const resources: Resource[] = [];
  const problems: SourceProblem[] = [];
  const take = (file: string, text: string) => {
    const parsed = parseSource(file, text);
    for (const r of parsed.resources) resources.push(r);
    for (const p of parsed.problems) problems.push(p);
  };
  for (const file of inputs.files) take(file, readInput(file, cwd));
  if (inputs.stdin) take('-', await req.readStdin());

  const registry = new SchemaRegistry(bundledSchemas(), config.kubernetesVersion);
  // CRDs passed with --crd / config, then CRDs in the input itself.
  if (config.crds && config.crds.length > 0) {
    const crdInputs = collectInputs(config.crds, req.baseDir, [], req.baseDir);
    for (const file of crdInputs.files) {
      const parsed = parseSource(file, readInput(file, req.baseDir));
      for (const r of parsed.resources) if (isCrd(r)) registry.registerCrd(r.object);
    }
  }
  for (const r of resources) if (isCrd(r)) registry.registerCrd(r.object);

  if (config.schemaLocations && config.schemaLocations.length > 0) {
    const types = new Map<string, { apiVersion: string; kind: string }>();
    for (const r of resources) {
      const t = { apiVersion: String(r.object.apiVersion), kind: String(r.object.kind) };
      types.set(`${t.apiVersion}/${t.kind}`, t);
    }
    await loadFromLocations(config.schemaLocations, [...types.values()], registry, {
      kubernetesVersion: registry.kubernetesVersion,
      strict,
      cwd: req.baseDir,
      cacheDir: join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'shipshape', 'schemas'),
    });
  }

  const defs = builtinRules();
  const settings: RuleSettings = { presets: config.presets, rules: config.rules };
  const rules = await compileRules(defs, settings);
  const findings = lint(resources, {
    rules,
    schemas: registry,
    strict,
    ignoreMissingSchemas: config.ignoreMissingSchemas ?? false,
    problems,
    suppress: exemptionSuppressor(config.exemptions, req.baseDir, cwd),
  });
  return {
    findings,
    rules: defs,
    files: inputs.files.length + (inputs.stdin ? 1 : 0),
    resources: resources.length,
  };
}
