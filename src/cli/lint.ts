/** The `lint` pipeline: inputs → parse → schemas/CRDs → engine → findings. No output, no exit codes. */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { collectInputs } from './files.js';
import { ConfigError, type Config } from '../config/config.js';
import { exemptionSuppressor } from '../config/exemptions.js';
import { aliasTable } from '../engine/suppress.js';
import { applyFixes } from '../source/fix.js';
import { Suppressor } from '../source/suppressions.js';
import { compileWithPolicies } from '../policy/setup.js';
import type { RuleDefinition } from '../engine/rule.js';
import { lint } from '../engine/run.js';
import type { Finding, Resource, SourceProblem } from '../engine/types.js';
import { bundledSchemas } from '../schema/bundled.js';
import { loadFromLocations } from '../schema/locations.js';
import { SchemaRegistry } from '../schema/registry.js';
import { decodeSource, parseSource, type DecodedSource, type SourceEncoding } from '../source/parse.js';

export interface LintRequest {
  paths: string[];
  cwd: string;
  config: Config;
  /** Folder the config's relative paths are resolved against. */
  baseDir: string;
  readStdin: () => Promise<string>;
  /** Report disable directives that suppressed nothing. */
  reportUnusedDirectives?: boolean;
  /** Apply fixes: 'safe', or 'unsafe' to include unsafe ones. */
  fix?: 'safe' | 'unsafe';
  /** Called as files are parsed and when the rules start (the CLI's TTY progress line). */
  onProgress?: (p: LintProgress) => void;
  /** Packages whose entrypoints user policies evaluate (--policy-namespace); default all. */
  policyNamespaces?: string[];
}

/** How far a run is: files parsed so far, resources found, and whether the rules are running. */
export interface LintProgress {
  phase: 'read' | 'lint';
  files: number;
  totalFiles: number;
  resources: number;
}

/** A file whose text the fixes changed. */
export interface FixedFile {
  file: string;
  before: string;
  after: string;
  /** The encoding the file was read in, to write `after` back in (`encodeSource`). */
  encoding: SourceEncoding;
}

export interface LintOutcome {
  findings: Finding[];
  rules: RuleDefinition[];
  files: number;
  resources: number;
  /** With `fix`: the files whose text changed (not yet written). */
  fixed: FixedFile[];
  /** With `fix`: one line per fix that was left out, saying where and why (`file:line:col: rule: …`). */
  fixNotes: string[];
}

const MAX_FIX_PASSES = 10;

const textOf = (s: string | DecodedSource): string => (typeof s === 'string' ? s : s.text);

const isCrd = (r: Resource) =>
  r.object.kind === 'CustomResourceDefinition' &&
  String(r.object.apiVersion).startsWith('apiextensions.k8s.io/');

function readInput(file: string, cwd: string): DecodedSource {
  try {
    return decodeSource(file, readFileSync(resolve(cwd, file)));
  } catch (err) {
    throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

/** Run a whole lint: everything the CLI needs except printing and writing fixed files. */
export async function runLint(req: LintRequest): Promise<LintOutcome> {
  const { config, cwd } = req;
  const strict = config.strict ?? true;
  const inputs = collectInputs(req.paths, cwd, config.ignorePaths ?? [], req.baseDir);
  const texts = new Map<string, string | DecodedSource>();
  for (const file of inputs.files) texts.set(file, readInput(file, cwd));
  if (inputs.stdin) texts.set('-', await req.readStdin());

  const registry = new SchemaRegistry(bundledSchemas(), config.kubernetesVersion);
  // CRDs passed with --crd / config register first; CRDs in the input register as they are parsed.
  if (config.crds && config.crds.length > 0) {
    const crdInputs = collectInputs(config.crds, req.baseDir, [], req.baseDir);
    for (const file of crdInputs.files) {
      const parsed = parseSource(file, readInput(file, req.baseDir));
      for (const r of parsed.resources) if (isCrd(r)) registry.registerCrd(r.object);
    }
  }

  // Built-in rules plus the users' Rego policies, loaded once (shared with the language server).
  const { defs, rules } = await compileWithPolicies(config, {
    baseDir: req.baseDir,
    cwd,
    namespaces: req.policyNamespaces,
  });
  const aliases = aliasTable(defs);
  const exemptions = exemptionSuppressor(config.exemptions, req.baseDir, cwd);
  let locationsLoaded = false;

  /** Parse and lint a set of texts; a fresh suppressor each time so directive usage is exact. */
  const lintTexts = async (files: ReadonlyMap<string, string | DecodedSource>) => {
    const suppressor = new Suppressor({ exemptions, inline: config.inlineConfig ?? true, aliases });
    const resources: Resource[] = [];
    const problems: SourceProblem[] = [];
    let filesDone = 0;
    for (const [file, text] of files) {
      const parsed = parseSource(file, text);
      for (const r of parsed.resources) {
        resources.push(r);
        if (isCrd(r)) registry.registerCrd(r.object);
      }
      for (const p of parsed.problems) problems.push(p);
      suppressor.addFile(file, textOf(text));
      req.onProgress?.({
        phase: 'read',
        files: ++filesDone,
        totalFiles: files.size,
        resources: resources.length,
      });
    }
    if (!locationsLoaded && config.schemaLocations && config.schemaLocations.length > 0) {
      locationsLoaded = true;
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
    req.onProgress?.({
      phase: 'lint',
      files: filesDone,
      totalFiles: files.size,
      resources: resources.length,
    });
    const findings = lint(resources, {
      rules,
      schemas: registry,
      strict,
      ignoreMissingSchemas: config.ignoreMissingSchemas ?? false,
      problems,
      suppress: suppressor.hook,
    });
    if (req.reportUnusedDirectives) findings.push(...suppressor.unusedDirectives());
    return { findings, resources };
  };

  let result = await lintTexts(texts);
  const fixed: FixedFile[] = [];
  const notes = new Set<string>();
  const onSkip = (f: Finding, why: string) => {
    const at = f.location ? `${f.location.file}:${f.location.start.line}:${f.location.start.column}` : '';
    notes.add(`${at}: ${f.ruleId}: fix not applied: ${why}`);
  };
  if (req.fix) {
    const unsafe = req.fix === 'unsafe';
    const current = new Map(texts);
    // Apply, re-lint, repeat until nothing changes (fixes can uncover or enable other fixes).
    for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
      let changed = false;
      for (const [file, source] of current) {
        const mine = result.findings.filter((f) => f.location?.file === file);
        // a file with invalid bytes is never fixed (applyFixes returns its text unchanged)
        const next = applyFixes(source, mine, { unsafe, onSkip });
        if (next !== textOf(source)) {
          current.set(file, typeof source === 'string' ? next : { ...source, text: next });
          changed = true;
        }
      }
      if (!changed) break;
      result = await lintTexts(current);
    }
    for (const [file, after] of current) {
      const before = texts.get(file)!;
      if (after !== before)
        fixed.push({
          file,
          before: textOf(before),
          after: textOf(after),
          encoding: typeof before === 'string' ? 'utf-8' : before.encoding,
        });
    }
  }
  return {
    findings: result.findings,
    rules: defs,
    files: texts.size,
    resources: result.resources.length,
    fixed,
    fixNotes: [...notes],
  };
}
