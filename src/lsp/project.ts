/**
 * What the language server lints with: per configuration file (`.shipshape.yaml`, found upward
 * from a document as the CLI does) the compiled rules, schema registry and suppression hooks; per
 * workspace folder the manifests on disk that cross-resource rules see.
 */
import { readFileSync, statSync, type Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { findConfig, loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/resolve.js';
import type { RuleDefinition } from '../engine/rule.js';
import type { Finding, Resource, SourceProblem } from '../engine/types.js';
import {
  ignoreMatcher,
  isManifestName,
  isWalkedDir,
  MANIFEST_NAME,
  readInputFile,
} from '../linter/inputs.js';
import { openLinter, type Linter } from '../linter/linter.js';
import { decodeSource, parseSource, type DecodedSource } from '../source/parse.js';
import { looksLikeManifest, nonManifestFilter, nonManifestReason } from '../linter/manifest-files.js';

/** Files bigger than this are not read from the workspace for cross-resource context. */
const MAX_CONTEXT_FILE_BYTES = 2 * 1024 * 1024;
/** At most this many workspace files are read for cross-resource context. */
const MAX_CONTEXT_FILES = 5000;
/** At most this many folders are walked looking for them. */
const MAX_WALK_DIRS = 20_000;

/** A parsed text: its resources and problems, kept while the text does not change. */
export interface Parsed {
  resources: Resource[];
  problems: SourceProblem[];
}

/** Everything needed to lint under one configuration: the linter opened for it. */
export interface Project {
  /** The config file, or undefined for the defaults. */
  configFile?: string;
  linter: Linter;
  baseDir: string;
  config: ResolvedConfig;
  defs: RuleDefinition[];
  isIgnored: (file: string) => boolean;
  /** Set when the config could not be loaded; the defaults are used instead. */
  error?: string;
}

/**
 * Build a project from a config file (or the defaults). A broken config falls back to the
 * defaults and says why. `cacheDir` is shipshape's cache folder (schemaLocations downloads).
 */
export async function loadProject(
  configFile: string | undefined,
  fallbackDir: string,
  cacheDir?: string,
): Promise<Project> {
  let linter: Linter;
  let error: string | undefined;
  try {
    const loaded = configFile
      ? loadConfig(dirname(configFile), configFile)
      : { config: {}, baseDir: fallbackDir };
    linter = await openLinter(loaded.config, { baseDir: loaded.baseDir, cacheDir, readFile: readCrdFile });
  } catch (err) {
    error = (err as Error).message;
    linter = await openLinter({}, { baseDir: configFile ? dirname(configFile) : fallbackDir, cacheDir });
  }
  return {
    configFile,
    linter,
    baseDir: linter.baseDir,
    config: linter.config,
    defs: linter.defs,
    isIgnored: linter.isIgnored,
    error,
  };
}

/** The editor lints without a CRD file it cannot read (the CLI reports it). */
function readCrdFile(abs: string): Buffer {
  try {
    return readInputFile(abs);
  } catch {
    return Buffer.alloc(0);
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

/** Lint one document under a project; returns every finding (suppressed ones marked). */
export function lintWithProject(project: Project, input: LintInput): Finding[] {
  return project.linter.lintSources([input], { context: input.context }).findings;
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
    const isIgnored = ignoreMatcher(this.ignorePaths, this.baseDir);
    const notManifest = nonManifestFilter();
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
        if (it.name.startsWith('.')) continue;
        const abs = join(dir, it.name);
        if (it.isDirectory()) {
          if (isWalkedDir(it.name)) queue.push(abs);
        } else if (
          it.isFile() &&
          isManifestName(it.name) &&
          !isIgnored(abs) &&
          notManifest(abs) === undefined
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
    if (!this.contains(file) || !MANIFEST_NAME.test(file) || nonManifestReason(file) !== undefined) return;
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
