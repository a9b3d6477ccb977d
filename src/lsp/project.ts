/**
 * What the language server lints with: per configuration file (`.shipshape.yaml`, found upward
 * from a document as the CLI does) the compiled rules, schema registry and suppression hooks; per
 * workspace folder the manifests on disk that cross-resource rules see.
 */
import { readFileSync, statSync, type Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { collectInputs } from '../cli/files.js';
import type { Config } from '../config/config.js';
import { exemptionSuppressor } from '../config/exemptions.js';
import { findConfig, loadConfig } from '../config/load.js';
import { compileRules } from '../engine/compile.js';
import { compileWithPolicies, policyDeps } from '../policy/setup.js';
import type { CompiledRule, RuleDefinition } from '../engine/rule.js';
import { lint } from '../engine/run.js';
import { aliasTable, type AliasTable } from '../engine/suppress.js';
import type { Finding, Resource, SourceProblem } from '../engine/types.js';
import { builtinRules } from '../rules/builtin.js';
import { bundledSchemas } from '../schema/bundled.js';
import { loadFromLocations } from '../schema/locations.js';
import { SchemaRegistry } from '../schema/registry.js';
import { decodeSource, parseSource, type DecodedSource } from '../source/parse.js';
import { Suppressor, type SuppressHook } from '../source/suppressions.js';
import { looksLikeManifest } from './manifest.js';

/** Files bigger than this are not read from the workspace for cross-resource context. */
const MAX_CONTEXT_FILE_BYTES = 2 * 1024 * 1024;
/** At most this many workspace files are read for cross-resource context. */
const MAX_CONTEXT_FILES = 5000;
/** At most this many folders are walked looking for them. */
const MAX_WALK_DIRS = 20_000;
const MANIFEST_NAME = /\.(?:ya?ml|json)$/i;
/** JSON/YAML files that are never Kubernetes manifests (as in the CLI's directory walk). */
const NEVER_MANIFESTS = new Set([
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  '.shipshape.yaml',
  '.shipshape.yml',
]);

const isCrd = (r: Resource) =>
  r.object.kind === 'CustomResourceDefinition' &&
  String(r.object.apiVersion).startsWith('apiextensions.k8s.io/');

/** A parsed text: its resources and problems, kept while the text does not change. */
export interface Parsed {
  resources: Resource[];
  problems: SourceProblem[];
}

/** Everything needed to lint under one configuration. */
export interface Project {
  /** The config file, or undefined for the defaults. */
  configFile?: string;
  baseDir: string;
  config: Config;
  rules: CompiledRule[];
  defs: RuleDefinition[];
  registry: SchemaRegistry;
  aliases: AliasTable;
  exemptions?: SuppressHook;
  isIgnored: (file: string) => boolean;
  /** CRD objects already registered (parsed objects are cached, so identity tells a new one). */
  crdsSeen: WeakSet<object>;
  /** apiVersion/kind pairs already looked up in the config's `schemaLocations`. */
  locatedTypes: Set<string>;
  /** Set when the config could not be loaded; the defaults are used instead. */
  error?: string;
}

/** Build a project from a config file (or the defaults). A broken config falls back to the defaults and says why. */
export async function loadProject(configFile: string | undefined, fallbackDir: string): Promise<Project> {
  let config: Config = {};
  let baseDir = configFile ? dirname(configFile) : fallbackDir;
  let error: string | undefined;
  if (configFile) {
    try {
      const loaded = loadConfig(baseDir, configFile);
      config = loaded.config;
      baseDir = loaded.baseDir;
    } catch (err) {
      error = (err as Error).message;
    }
  }
  const builtin = builtinRules();
  let defs: RuleDefinition[];
  let rules: CompiledRule[];
  let registry: SchemaRegistry;
  try {
    // The same rule set as runLint (src/cli/lint.ts): built-in rules plus the users' Rego policies.
    ({ defs, rules } = await compileWithPolicies(config, { baseDir, cwd: baseDir }));
    registry = new SchemaRegistry(bundledSchemas(), config.kubernetesVersion);
  } catch (err) {
    error = (err as Error).message;
    config = {};
    defs = builtin;
    rules = await compileRules(defs, {}, policyDeps({}));
    registry = new SchemaRegistry(bundledSchemas());
  }
  for (const file of configCrdFiles(config, baseDir)) {
    try {
      for (const r of parseSource(file, decodeSource(file, readFileSync(file))).resources)
        if (isCrd(r)) registry.registerCrd(r.object);
    } catch {
      // an unreadable CRD file is reported by the CLI; the editor lints without it
    }
  }
  const ignore = config.ignorePaths ?? [];
  const ignored = ignore.length > 0 ? picomatch([...ignore], { dot: true }) : undefined;
  return {
    configFile,
    baseDir,
    config,
    rules,
    defs,
    registry,
    aliases: aliasTable(defs),
    exemptions: exemptionSuppressor(config.exemptions, baseDir, baseDir),
    isIgnored: (file) => {
      if (!ignored) return false;
      const rel = relative(baseDir, file);
      return !rel.startsWith('..') && ignored(rel.split(sep).join('/'));
    },
    crdsSeen: new WeakSet(),
    locatedTypes: new Set(),
    error,
  };
}

function configCrdFiles(config: Config, baseDir: string): string[] {
  if (!config.crds || config.crds.length === 0) return [];
  try {
    return collectInputs(config.crds, baseDir, [], baseDir).files.map((f) => resolve(baseDir, f));
  } catch {
    return [];
  }
}

/** The config file that governs `file` (nearest upward, as the CLI finds it from the file's folder). */
export const configFileFor = (file: string): string | undefined => findConfig(dirname(file));

/** One input of a lint: the document being linted and what set-scoped rules may also see. */
export interface LintInput {
  file: string;
  text: string;
  parsed: Parsed;
  /** Resources of other open documents and workspace manifests. */
  context: readonly Resource[];
}

/**
 * Load schemas from the config's `schemaLocations` (folders or URLs, cached on disk as the CLI
 * does) for the types of `resources` not looked up yet. Each type is tried once per project.
 */
export async function loadLocatedSchemas(project: Project, resources: readonly Resource[]): Promise<void> {
  const locations = project.config.schemaLocations ?? [];
  if (locations.length === 0) return;
  const fresh = new Map<string, { apiVersion: string; kind: string }>();
  for (const r of resources) {
    const t = { apiVersion: String(r.object.apiVersion), kind: String(r.object.kind) };
    const key = `${t.apiVersion}/${t.kind}`;
    if (!project.locatedTypes.has(key)) fresh.set(key, t);
  }
  if (fresh.size === 0) return;
  for (const key of fresh.keys()) project.locatedTypes.add(key);
  await loadFromLocations(locations, [...fresh.values()], project.registry, {
    kubernetesVersion: project.registry.kubernetesVersion,
    strict: project.config.strict ?? true,
    cwd: project.baseDir,
    cacheDir: join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'shipshape', 'schemas'),
  });
}

/** Lint one document under a project; returns every finding (suppressed ones marked). */
export function lintWithProject(project: Project, input: LintInput): Finding[] {
  const { config } = project;
  // Register CRDs seen in the document and its context; each parsed object once (re-registering drops the compiled check).
  for (const list of [input.parsed.resources, input.context])
    for (const r of list)
      if (isCrd(r) && !project.crdsSeen.has(r.object)) {
        project.crdsSeen.add(r.object);
        project.registry.registerCrd(r.object);
      }
  const suppressor = new Suppressor({
    exemptions: project.exemptions,
    inline: config.inlineConfig ?? true,
    aliases: project.aliases,
  });
  suppressor.addFile(input.file, input.text);
  return lint(input.parsed.resources, {
    rules: project.rules,
    schemas: project.registry,
    strict: config.strict ?? true,
    ignoreMissingSchemas: config.ignoreMissingSchemas ?? false,
    problems: input.parsed.problems,
    context: input.context,
    suppress: suppressor.hook,
  });
}

/** A manifest file of a workspace folder, parsed on first use and re-read when its mtime changes. */
interface DiskEntry {
  mtimeMs: number;
  parsed?: Parsed;
}

/**
 * The manifests on disk under one workspace folder (the same walk as `shipshape lint <folder>`,
 * config `ignorePaths` honoured), for cross-resource context. Files that do not look like
 * Kubernetes manifests are dropped when first read.
 */
export class WorkspaceManifests {
  private readonly entries = new Map<string, DiskEntry>();
  private scanning: Promise<void> | undefined;
  /**
   * True when the client reports file changes (workspace/didChangeWatchedFiles): files already read
   * are then not stat'ed again on every lint.
   */
  watched = false;

  constructor(
    readonly root: string,
    private readonly ignorePaths: readonly string[] = [],
    private readonly baseDir: string = root,
  ) {}

  /**
   * Walk the folder once (later calls wait for the first): .yaml/.yml/.json files, skipping hidden
   * folders, node_modules and `ignorePaths`, at most {@link MAX_CONTEXT_FILES} files and
   * {@link MAX_WALK_DIRS} folders, so opening a huge folder cannot stall the editor.
   */
  scan(): Promise<void> {
    return (this.scanning ??= this.walk());
  }

  private async walk(): Promise<void> {
    const ignored = this.ignorePaths.length > 0 ? picomatch([...this.ignorePaths], { dot: true }) : undefined;
    const isIgnored = (abs: string) =>
      ignored !== undefined && ignored(relative(this.baseDir, abs).split(sep).join('/'));
    const queue = [this.root];
    let dirs = 0;
    while (queue.length > 0 && dirs < MAX_WALK_DIRS && this.entries.size < MAX_CONTEXT_FILES) {
      const dir = queue.shift()!;
      dirs++;
      let items: Dirent[];
      try {
        items = await readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const it of items) {
        if (it.name.startsWith('.') || it.name === 'node_modules') continue;
        const abs = join(dir, it.name);
        if (it.isDirectory()) queue.push(abs);
        else if (
          it.isFile() &&
          MANIFEST_NAME.test(it.name) &&
          !NEVER_MANIFESTS.has(it.name) &&
          !isIgnored(abs)
        ) {
          this.entries.set(abs, { mtimeMs: -1 });
          if (this.entries.size >= MAX_CONTEXT_FILES) break;
        }
      }
    }
  }

  /** True when `file` lies inside this folder. */
  contains(file: string): boolean {
    const rel = relative(this.root, file);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  }

  /** A file was created, changed or deleted on disk. */
  touch(file: string, deleted: boolean): void {
    if (!this.contains(file) || !/\.(ya?ml|json)$/i.test(file)) return;
    if (deleted) this.entries.delete(file);
    else this.entries.set(file, { mtimeMs: -1 });
  }

  /** Resources of every manifest except those in `exclude` (open documents, whose buffers win). */
  async resources(exclude: ReadonlySet<string>): Promise<Resource[]> {
    await this.scan();
    const out: Resource[] = [];
    for (const [file, entry] of this.entries) {
      if (exclude.has(file)) continue;
      const parsed = this.read(file, entry);
      if (parsed) for (const r of parsed.resources) out.push(r);
    }
    return out;
  }

  private read(file: string, entry: DiskEntry): Parsed | undefined {
    if (this.watched && entry.mtimeMs !== -1) return entry.parsed;
    let mtimeMs: number;
    let size: number;
    try {
      const st = statSync(file);
      mtimeMs = st.mtimeMs;
      size = st.size;
    } catch {
      this.entries.delete(file);
      return undefined;
    }
    if (entry.mtimeMs === mtimeMs) return entry.parsed;
    entry.mtimeMs = mtimeMs;
    entry.parsed = undefined;
    if (size > MAX_CONTEXT_FILE_BYTES) return undefined;
    let source: DecodedSource;
    try {
      source = decodeSource(file, readFileSync(file));
    } catch {
      return undefined;
    }
    if (!looksLikeManifest(source.text)) return undefined;
    const parsed = parseSource(file, source);
    entry.parsed = { resources: parsed.resources, problems: [] };
    return entry.parsed;
  }
}
